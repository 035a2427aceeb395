import { SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { join, resolve } from 'node:path';
import { clientsFor } from '../../collect/aws-access.js';
import { callerAccount } from '../../collect/scope.js';
import { UserError, errorMessage } from '../../core/errors.js';
import { canonicalJsonArrayChunks } from '../../core/json.js';
import { writeStreamAtomic } from '../../core/stream-write.js';
import { writePackJson } from '../../locker/pack.js';
import type { FindingContext } from './asff.js';
import { buildFindings, findingContext, planTargets, type Planned } from './derive.js';
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
  /**
   * The pack of the last push: the Ids its securityhub-pushed.json lists that are findings of its signed results
   * decide what to archive (no GetFindings needed); their content is re-derived from those results.
   */
  previousPack?: string;
  maxAttempts?: number;
  now?: () => Date;
  /** Called for every Security Hub client created (tests add middleware: counters, fault injection). */
  onClient?: (client: SecurityHubClient, target: { account: string; region: string }) => void;
  /** FailedFindings retry rounds (default 3) and base backoff in ms (default 500). */
  retryRounds?: number;
  retryBaseMs?: number;
  /** Largest pack file read whole (default LIMITS.packFileBytes); results.json is streamed, so it may be larger. */
  readLimit?: number;
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
  /** One line each, for the user: e.g. what of a previous pack's push history was not used, and why. */
  warnings: string[];
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

/** This run's findings of one target; an Id pushed before keeps its CreatedAt (and FirstObservedAt). */
function currentFindings(planned: Planned, previous: ReadonlyMap<string, PreviousFinding>, ctx: FindingContext): AwsSecurityFinding[] {
  return buildFindings(planned, ctx, (id) => {
    const before = previous.get(id)?.record;
    return before ? { createdAt: before.createdAt, ...(before.firstObservedAt ? { firstObservedAt: before.firstObservedAt } : {}) } : undefined;
  });
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
 * securityhub-pushed.json) into the pack; neither is part of the sealed manifest, so a later push reads them
 * from a previous pack only as far as that pack's signed results confirm them (see readPreviousPack).
 */
export async function pushToSecurityHub(packDir: string, options: PushOptions = {}): Promise<PushOutcome> {
  const dir = resolve(packDir);
  const pack = await readPackForPush(dir, options.trust, options.readLimit);
  const now = options.now ?? (() => new Date());
  const pushedAt = now().toISOString();
  const ctx = findingContext(pack, pushedAt);
  const planned = planTargets(pack);
  const inScope = evaluatedBy(runScope(pack));
  const history = options.previousPack ? await readPreviousPack(resolve(options.previousPack), options.trust, pushedAt) : undefined;
  const fromPack = history ? groupPrevious(history.findings) : undefined;
  // With a previous pack, its targets count too: a region dropped from this run still gets its findings archived.
  const keys = [...new Set([...planned.keys(), ...(fromPack?.keys() ?? [])])].sort();
  const hub = options.dryRun ? undefined : await hubTargetFactory(pack, options);

  const outcomes: TargetOutcome[] = [];
  const records: PushedFinding[] = [];
  // One entry per target: what is needed to derive its findings again (derivation is pure), never the findings.
  const work: { target?: HubTarget; outcome: TargetOutcome; plan: Planned; previous: Map<string, PreviousFinding>; historyFailed: boolean }[] = [];

  for (const key of keys) {
    const [account, region] = key.split('|') as [string, string];
    const plan = planned.get(key) ?? { account, region, entries: [] };
    const outcome: TargetOutcome = { account, region, imported: [], archived: [], workflowUpdated: [], failed: [] };
    outcomes.push(outcome);
    const target = hub?.(account, region);
    let previous = fromPack?.get(key) ?? new Map<string, PreviousFinding>();
    let historyFailed = false;
    if (target && !fromPack) {
      try {
        previous = await fetchHistory(target);
      } catch (err) {
        // Without history we would reset CreatedAt and miss archives: fail the whole target, loudly.
        const code = (err as { name?: string }).name ?? 'Error';
        for (const e of plan.entries) outcome.failed.push({ id: e.id, action: 'history', errorCode: code, errorMessage: `GetFindings failed: ${errorMessage(err).split('\n')[0]}` });
        historyFailed = true;
      }
    }
    work.push({ ...(target ? { target } : {}), outcome, plan, previous, historyFailed });
  }

  /** A target's findings: this run's (an Id pushed before keeps its CreatedAt) and the archives of vanished ones. */
  const derive = ({ plan, previous, historyFailed }: (typeof work)[number]): { current: AwsSecurityFinding[]; archives: AwsSecurityFinding[] } => {
    const current = currentFindings(plan, previous, ctx);
    if (historyFailed) return { current, archives: [] };
    return { current, archives: planArchives(new Set(current.map((f) => f.Id ?? '')), previous.values(), pushedAt, pack.run.id, inScope) };
  };
  let findingCount = 0;
  function* allFindings(): Generator<AwsSecurityFinding> {
    for (const item of work) {
      const { current, archives } = derive(item);
      findingCount += current.length + archives.length;
      yield* current;
      yield* archives;
    }
  }

  const findingsFile = join(dir, FINDINGS_FILE);
  // Written before sending: what was (or would be) sent is on disk even if the push is interrupted. Streamed, target
  // by target (canonical JSON, the bytes writePackJson gives), so the findings of the organisation are never all in
  // memory nor one string; each target's findings are derived again, identically, when they are sent.
  await writeStreamAtomic(findingsFile, canonicalJsonArrayChunks(allFindings()));

  for (const item of work) {
    const { target, outcome, previous } = item;
    if (!target || item.historyFailed) continue;
    const { current, archives } = derive(item);
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
    // A failed workflow update leaves the finding as it was: a failed suppression is recorded as not waived (so
    // the next push suppresses it again), a failed reopen as still waived (so the next push reopens it).
    const recorded = nextRecords({
      imported,
      failedIds: new Set(failed.map((f) => f.id)),
      currentIds: new Set(current.map((f) => f.Id ?? '')),
      previous: previous.values(),
      archived,
      pushedAt,
    }).map((r) => (workflowFailedIds.has(r.id) ? { ...r, waived: !r.waived } : r));
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
    warnings: history?.warnings ?? [],
    totals: {
      findings: findingCount,
      imported: outcomes.reduce((n, o) => n + o.imported.length, 0),
      archived: outcomes.reduce((n, o) => n + o.archived.length, 0),
      failed: outcomes.reduce((n, o) => n + o.failed.length, 0),
    },
  };
}
