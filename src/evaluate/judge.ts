import { errorMessage } from '../core/errors.js';
import type { Resource, ResourceResult, Status } from '../core/types.js';
import type { CompiledRule } from '../catalog/load.js';
import { EvaluationBudget } from '../rules/budget.js';
import { unreadableEvidence, unreadableFields } from './field-errors.js';

/** Everything a rule sees for one account (and region): the evidence it declared, already collected. */
export interface JudgeScope {
  account: string;
  /** AWS region, or `global` for account-scope controls. */
  region: string;
  /** collector id -> normalised resources. */
  evidence: Record<string, Resource[]>;
  params: Record<string, unknown>;
  /** ISO time of collection: the rules' notion of now (never the wall clock, so re-assessment is stable). */
  now: string;
  /** sha256:<hex> of the evidence files this scope used. */
  evidenceHashes: string[];
  /** The evidence source whose resources are judged when the rule names none. */
  primaryEvidence: string;
  resourceType: string;
}

/** Longest message kept in results: a message built from hostile evidence must not bloat the pack. */
export const MAX_MESSAGE_CHARS = 2_000;

function clip(text: string): string {
  return text.length <= MAX_MESSAGE_CHARS ? text : `${text.slice(0, MAX_MESSAGE_CHARS)}… (${text.length - MAX_MESSAGE_CHARS} more characters)`;
}

function asText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  return clip(String(text));
}

/** First line of an error's message, bounded: the ERROR reason for a resource. */
function reason(err: unknown): string {
  return clip(errorMessage(err).split('\n')[0] ?? '');
}

/** A candidate resource the rule left out of scope (rule.applies was false): no result, but the runner of inline tests sees it. */
export const OUT_OF_SCOPE = 'out of scope (rule.applies is false)';

/**
 * Applies a compiled rule to every resource in scope. A resource passes when every check holds; the first check
 * that does not (and every later failing one, after a `continue` check) makes it FAIL with that check's message.
 * A rule that throws, runs out of its cost budget (rules/budget.ts: one budget per resource, shared by every
 * expression judged for it) or has a check that returns a non-boolean yields ERROR for that resource, never PASS
 * (the lesson of cdk-nag: a broken rule is reported, not ignored), and never stops the other resources from
 * being judged.
 */
export function judge(rule: CompiledRule, scope: JudgeScope, origins?: Map<ResourceResult, unknown>): ResourceResult[] {
  return judgeCandidates(rule, scope, origins).filter((r) => r.status !== 'NOT_APPLICABLE');
}

/**
 * As judge, plus a NOT_APPLICABLE result (message OUT_OF_SCOPE) for every candidate rule.applies leaves out.
 * `origins`, when given, receives each result made for a resource with that resource (for its provenance);
 * results for the scope itself are not in it.
 */
export function judgeCandidates(rule: CompiledRule, scope: JudgeScope, origins?: Map<ResourceResult, unknown>): ResourceResult[] {
  const base = { evidence: scope.evidence, params: scope.params, account: scope.account, region: scope.region, now: scope.now };
  const scopeResult = (status: Status, message: string): ResourceResult => ({
    resourceId: `AWS::::Account:${scope.account}`,
    resourceType: 'AWS::::Account',
    account: scope.account,
    region: scope.region,
    status,
    message,
    evidence: scope.evidenceHashes,
  });
  const blind = unreadableEvidence(scope.evidence, rule.reads?.all);
  if (blind) return [scopeResult('ERROR', clip(blind))];
  let resources: unknown;
  try {
    resources = rule.resources ? rule.resources({ ...base, r: null }, new EvaluationBudget()) : (scope.evidence[scope.primaryEvidence] ?? []);
  } catch (err) {
    return [scopeResult('ERROR', `rule.resources failed: ${reason(err)}`)];
  }
  if (!Array.isArray(resources)) return [scopeResult('ERROR', 'rule.resources did not return a list')];
  const results: ResourceResult[] = [];
  for (const item of resources as Resource[]) {
    const ctx = { ...base, r: item };
    const budget = new EvaluationBudget();
    const result = (status: Status, message: string): ResourceResult => {
      const made: ResourceResult = {
        resourceId: typeof item?.id === 'string' ? item.id : `AWS::::Account:${scope.account}`,
        resourceType: typeof item?.type === 'string' ? item.type : scope.resourceType,
        account: scope.account,
        region: typeof item?.region === 'string' ? item.region : scope.region,
        status,
        message,
        evidence: scope.evidenceHashes,
      };
      origins?.set(made, item);
      return made;
    };
    try {
      // A field the rule reads that could not be collected: ERROR for this resource only, before anything reads it.
      const unscoped = rule.applies ? unreadableFields(item, rule.reads?.applies) : undefined;
      if (unscoped) {
        results.push(result('ERROR', clip(unscoped)));
        continue;
      }
      if (rule.applies && rule.applies(ctx, budget) !== true) {
        results.push(result('NOT_APPLICABLE', OUT_OF_SCOPE));
        continue;
      }
      const unjudged = unreadableFields(item, rule.reads?.verdict);
      if (unjudged) {
        results.push(result('ERROR', clip(unjudged)));
        continue;
      }
      results.push(check(rule, ctx, budget, result));
    } catch (err) {
      results.push(result('ERROR', `rule could not be evaluated: ${reason(err)}`));
    }
  }
  return results;
}

function check(
  rule: CompiledRule,
  ctx: Record<string, unknown>,
  budget: EvaluationBudget,
  result: (status: Status, message: string) => ResourceResult,
): ResourceResult {
  const failures: string[] = [];
  for (const [k, c] of rule.checks.entries()) {
    const holds = c.require(ctx, budget);
    if (typeof holds !== 'boolean') return result('ERROR', `rule.checks[${k}].require returned ${asText(holds)}, not a boolean`);
    if (holds) continue;
    failures.push(asText(c.message(ctx, budget)));
    if (!c.continue) break;
  }
  if (failures.length) return result('FAIL', clip(failures.join('; ')));
  return result('PASS', rule.passMessage ? asText(rule.passMessage(ctx, budget)) : 'compliant');
}

const RANK: Record<Status, number> = { ERROR: 6, FAIL: 5, WAIVED: 4, PASS: 3, MANUAL: 2, INHERITED: 1, NOT_APPLICABLE: 0 };

/** A control's status is the worst of its results (ERROR > FAIL > PASS); no results = NOT_APPLICABLE. */
export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = 'NOT_APPLICABLE';
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

export function compareResults(a: ResourceResult, b: ResourceResult): number {
  return a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || a.resourceId.localeCompare(b.resourceId) || a.message.localeCompare(b.message);
}
