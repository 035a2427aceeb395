import { SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { join, resolve } from 'node:path';
import { clientsFor } from '../../collect/aws-access.js';
import { callerAccount } from '../../collect/scope.js';
import { UserError, errorMessage } from '../../core/errors.js';
import type { Status } from '../../core/types.js';
import { writePackJson } from '../../locker/pack.js';
import type { ControlResult } from '../../results/types.js';
import { findingId, isExportable, targetRegion, toFinding, type ExportableResult, type FindingContext } from './asff.js';
import {
  evaluatedBy,
  FINDINGS_FILE,
  nextRecords,
  planArchives,
  planWorkflow,
  PUSHED_FILE,
  targetKey,
  type PreviousFinding,
  type PushedFinding,
  type PushRecord,
  type RunScope,
} from './lifecycle.js';
import { readPackForPush, readPreviousPack, type PackForPush } from './pack-io.js';
import type { PackTrust } from '../../verify/open-pack.js';
import { SecurityHubRateLimits } from './rate-limit.js';
import { fetchHistory, importFindings, updateWorkflow, type FailedFinding, type HubTarget } from './send.js';

export type { FailedFinding } from './send.js';

export interface PushOptions {
  /** Require the pack (and the previous one) to be signed by this key (`push --public-key`). */
  trust?: PackTrust;
  /** Write findings.asff.json only; no AWS call at all. */
  dryRun?: boolean;
  endpoint?: string;
  /** Role assumed in every account other than the caller's (findings must be imported by their own account). */
  roleName?: string;
  /** The pack of the last push: its securityhub-pushed.json decides what to archive (no GetFindings needed). */
  previousPack?: string;
  maxAttempts?: number;
  now?: () => Date;
  /** Called for every Security Hub client created (tests add middleware: counters, fault injection). */
  onClient?: (client: SecurityHubClient, target: { account: string; region: string }) => void;
  /** FailedFindings retry rounds (default 3) and base backoff in ms (default 500). */
  retryRounds?: number;
  retryBaseMs?: number;
}

/** What happened in one account and region. */
export interface TargetOutcome {
  account: string;
  region: string;
  /** Ids of current results sent successfully (passed ones are sent ARCHIVED). */
  imported: string[];
  /** Ids left ARCHIVED by this push: passed results and findings whose resource is gone. */
  archived: string[];
  /** Ids suppressed for a waiver or reopened (BatchUpdateFindings). */
  workflowUpdated: string[];
  failed: FailedFinding[];
}

export interface PushOutcome {
  dryRun: boolean;
  runId: string;
  findingsFile: string;
  /** securityhub-pushed.json (absent for a dry run). */
  pushedFile?: string;
  targets: TargetOutcome[];
  totals: { findings: number; imported: number; archived: number; failed: number };
}

const RANK: Record<Status, number> = { ERROR: 6, FAIL: 5, WAIVED: 4, PASS: 3, MANUAL: 2, INHERITED: 1, NOT_APPLICABLE: 0 };

interface Planned {
  account: string;
  region: string;
  entries: { control: ControlResult; result: ExportableResult; id: string }[];
}

/** Exportable results grouped by the account and region their finding lives in; one result per Id (the worst). */
function planTargets(pack: PackForPush): Map<string, Planned> {
  const byId = new Map<string, { control: ControlResult; result: ExportableResult; id: string; region: string }>();
  for (const control of pack.results.controls) {
    for (const result of control.results as ExportableResult[]) {
      if (!isExportable(control, result)) continue;
      const id = findingId(control.id, result.account, result.region, result.resourceId);
      const seen = byId.get(id);
      if (!seen || RANK[result.status] > RANK[seen.result.status]) byId.set(id, { control, result, id, region: targetRegion(result.region, pack.run.homeRegion) });
    }
  }
  const targets = new Map<string, Planned>();
  for (const e of byId.values()) {
    const key = targetKey(e.result.account, e.region);
    const t = targets.get(key) ?? { account: e.result.account, region: e.region, entries: [] };
    t.entries.push(e);
    targets.set(key, t);
  }
  return targets;
}

/** What this run evaluated: archiving is limited to it. */
function runScope(pack: PackForPush): RunScope {
  const collectorScope = new Map(pack.run.collectors.map((c) => [c.id, c.scope] as const));
  const controls = new Map(
    pack.results.controls.filter((c) => c.kind === 'automated').map((c) => [c.id, c.evidence.every((id) => collectorScope.get(id) === 'account')] as const),
  );
  return { accounts: pack.run.accounts, regions: pack.run.regions, controls };
}

function groupPrevious(previous: Map<string, PreviousFinding>): Map<string, Map<string, PreviousFinding>> {
  const out = new Map<string, Map<string, PreviousFinding>>();
  for (const p of previous.values()) {
    const key = targetKey(p.record.account, p.record.region);
    const m = out.get(key) ?? new Map<string, PreviousFinding>();
    m.set(p.record.id, p);
    out.set(key, m);
  }
  return out;
}

function buildFindings(planned: Planned, previous: ReadonlyMap<string, PreviousFinding>, ctx: FindingContext): AwsSecurityFinding[] {
  return planned.entries
    .map(({ control, result, id }) => {
      const before = previous.get(id)?.record;
      return toFinding(control, result, ctx, before ? { createdAt: before.createdAt, firstObservedAt: before.firstObservedAt } : undefined);
    })
    .sort((a, b) => (a.Id ?? '').localeCompare(b.Id ?? ''));
}

/** Clients per account: the caller's own credentials, or the audit role elsewhere (as the collectors do). */
async function hubTargetFactory(pack: PackForPush, options: PushOptions): Promise<(account: string, region: string) => HubTarget> {
  const home = pack.run.homeRegion;
  const access = { endpoint: options.endpoint, maxAttempts: options.maxAttempts ?? 6, stsRegion: home };
  const caller = await callerAccount(clientsFor({ account: 'caller', ...access }).forRegion(home));
  const limits = new SecurityHubRateLimits();
  const perAccount = new Map<string, ReturnType<typeof clientsFor>>();
  return (account, region) => {
    if (account !== caller && !options.roleName)
      throw new UserError(`--role-name is required to push findings of account ${account} (the caller is ${caller}; each finding must be imported by its own account) (fix: pass the role deployed in every account, e.g. --role-name AuditpackReadOnly)`);
    let clients = perAccount.get(account);
    if (!clients) {
      clients = clientsFor({ account, ...access, roleName: account === caller ? undefined : options.roleName });
      perAccount.set(account, clients);
    }
    const client = clients.forRegion(region).get(SecurityHubClient);
    options.onClient?.(client, { account, region });
    return {
      account,
      region,
      client,
      take: (op) => limits.take(account, region, op),
      retryRounds: options.retryRounds ?? 3,
      retryBaseMs: options.retryBaseMs ?? 500,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    };
  };
}

/**
 * Publishes a sealed pack's results to Security Hub as ASFF findings, each in its own account and region, and
 * keeps earlier findings right: same Ids updated (CreatedAt kept), passed ones archived, vanished ones archived,
 * anything not created by auditpack untouched. Writes findings.asff.json (and, for a real push,
 * securityhub-pushed.json) into the pack; neither is part of the sealed manifest.
 */
export async function pushToSecurityHub(packDir: string, options: PushOptions = {}): Promise<PushOutcome> {
  const dir = resolve(packDir);
  const pack = await readPackForPush(dir, options.trust);
  const now = options.now ?? (() => new Date());
  const pushedAt = now().toISOString();
  const ctx: FindingContext = {
    runId: pack.run.id,
    manifestSha256: pack.manifestSha256,
    homeRegion: pack.run.homeRegion,
    evidencePaths: pack.evidencePaths,
    observedAt: pack.run.finishedAt,
    updatedAt: pushedAt,
  };
  const planned = planTargets(pack);
  const inScope = evaluatedBy(runScope(pack));
  const fromPack = options.previousPack ? groupPrevious(await readPreviousPack(resolve(options.previousPack), options.trust)) : undefined;
  // With a previous pack, its targets count too: a region dropped from this run still gets its findings archived.
  const keys = [...new Set([...planned.keys(), ...(fromPack?.keys() ?? [])])].sort();
  const hub = options.dryRun ? undefined : await hubTargetFactory(pack, options);

  const outcomes: TargetOutcome[] = [];
  const allFindings: AwsSecurityFinding[] = [];
  const records: PushedFinding[] = [];
  const work: { target?: HubTarget; outcome: TargetOutcome; current: AwsSecurityFinding[]; archives: AwsSecurityFinding[]; previous: Map<string, PreviousFinding> }[] = [];

  for (const key of keys) {
    const [account, region] = key.split('|') as [string, string];
    const plan = planned.get(key) ?? { account, region, entries: [] };
    const outcome: TargetOutcome = { account, region, imported: [], archived: [], workflowUpdated: [], failed: [] };
    outcomes.push(outcome);
    const target = hub?.(account, region);
    let previous = fromPack?.get(key) ?? new Map<string, PreviousFinding>();
    if (target && !fromPack) {
      try {
        previous = await fetchHistory(target);
      } catch (err) {
        // Without history we would reset CreatedAt and miss archives: fail the whole target, loudly.
        const code = (err as { name?: string }).name ?? 'Error';
        for (const e of plan.entries) outcome.failed.push({ id: e.id, action: 'history', errorCode: code, errorMessage: `GetFindings failed: ${errorMessage(err).split('\n')[0]}` });
        allFindings.push(...buildFindings(plan, previous, ctx));
        continue;
      }
    }
    const current = buildFindings(plan, previous, ctx);
    const archives = planArchives(new Set(current.map((f) => f.Id ?? '')), previous.values(), pushedAt, pack.run.id, inScope);
    allFindings.push(...current, ...archives);
    work.push({ target, outcome, current, archives, previous });
  }

  const findingsFile = join(dir, FINDINGS_FILE);
  // Written before sending: what was (or would be) sent is on disk even if the push is interrupted.
  await writePackJson(dir, FINDINGS_FILE, allFindings);

  for (const { target, outcome, current, archives, previous } of work) {
    if (!target) continue;
    const { succeeded, failed } = await importFindings(target, [...current, ...archives]);
    outcome.failed.push(...failed);
    const imported = current.filter((f) => succeeded.has(f.Id ?? ''));
    const archived = archives.filter((f) => succeeded.has(f.Id ?? ''));
    outcome.imported = imported.map((f) => f.Id ?? '');
    outcome.archived = [...imported.filter((f) => f.RecordState === 'ARCHIVED'), ...archived].map((f) => f.Id ?? '').sort();
    const workflow = planWorkflow(imported, previous);
    const workflowFailed = await updateWorkflow(target, workflow);
    outcome.failed.push(...workflowFailed);
    const workflowFailedIds = new Set(workflowFailed.map((f) => f.id));
    outcome.workflowUpdated = workflow.flatMap((u) => u.ids).filter((id) => !workflowFailedIds.has(id)).sort();
    // A finding whose suppression failed is recorded as not waived, so the next push tries again.
    const recorded = nextRecords({
      imported,
      failedIds: new Set(failed.map((f) => f.id)),
      currentIds: new Set(current.map((f) => f.Id ?? '')),
      previous: previous.values(),
      archived,
      pushedAt,
    }).map((r) => (workflowFailedIds.has(r.id) ? { ...r, waived: previous.get(r.id)?.record.waived ?? false } : r));
    records.push(...recorded);
  }

  let pushedFile: string | undefined;
  if (!options.dryRun) {
    const record: PushRecord = { schemaVersion: '1', runId: pack.run.id, manifestSha256: pack.manifestSha256, pushedAt, findings: records };
    await writePackJson(dir, PUSHED_FILE, record);
    pushedFile = join(dir, PUSHED_FILE);
  }
  for (const o of outcomes) o.failed.sort((a, b) => a.id.localeCompare(b.id) || a.action.localeCompare(b.action));
  return {
    dryRun: Boolean(options.dryRun),
    runId: pack.run.id,
    findingsFile,
    ...(pushedFile ? { pushedFile } : {}),
    targets: outcomes,
    totals: {
      findings: allFindings.length,
      imported: outcomes.reduce((n, o) => n + o.imported.length, 0),
      archived: outcomes.reduce((n, o) => n + o.archived.length, 0),
      failed: outcomes.reduce((n, o) => n + o.failed.length, 0),
    },
  };
}
