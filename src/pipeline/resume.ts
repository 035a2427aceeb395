import { lstat, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { collectors as allCollectors } from '../../collectors/index.js';
import type { Collector } from '../core/collector.js';
import { accountTarget, clientsFor } from '../collect/aws-access.js';
import { collectEvidence, planTasks, taskPath, type AccountTarget, type CollectionEvent } from '../collect/collect.js';
import { callerAccount } from '../collect/scope.js';
import { UserError } from '../core/errors.js';
import { TOOL_VERSION } from '../core/version.js';
import { INCOMPLETE_FILE, MAX_RESUMES, hasIncompleteMarker, readIncompleteMarker, writeIncompleteMarker, type IncompleteMarker } from '../locker/incomplete.js';
import { MANIFEST, PackError, type Manifest } from '../locker/pack.js';
import { scanIncompletePack, type PackScan, type PlannedRun } from '../locker/resume-scan.js';
import { RUN_FILE, type ResumeRecord } from '../locker/run-info.js';
import { ATTESTATIONS_DIR } from '../workflow/attestations.js';
import { runRecord, sealCollection, type CollectOutcome } from './collect.js';
import { configSourcesFor } from './evidence-source.js';
import { resolveShard, shardAccounts, type ShardSpec } from './shard.js';

/**
 * What a resuming command says. The scope (accounts, regions, role, collectors, controls) comes from the pack's
 * incomplete marker: a scope option given here must agree with it, so the same command line with `--resume`
 * added works and a different scope is refused rather than silently ignored. Credentials, the endpoint and the
 * retry/concurrency settings come from this command, never from the pack.
 */
export interface ResumeOptions {
  /** The interrupted pack. */
  pack: string;
  regions?: string[];
  accounts?: string[];
  organization?: boolean;
  roleName?: string;
  controlIds?: string[];
  /** `--shard` given again: must name the interrupted run's shard (a retried array child does). */
  shard?: ShardSpec;
  endpoint?: string;
  maxAttempts?: number;
  concurrency?: number;
  /** API calls on the wire at once, machine-wide (--max-calls). */
  maxCalls?: number;
  /** The attestation store, required again when the interrupted run was given one (it is copied at the seal). */
  attestationsDir?: string;
  /** The collectors this auditpack has (default: the registry); the plan's must be among them, at the same version. */
  available?: readonly Collector[];
  /** Called once the pack is read, before any collector runs. */
  onResume?: (resume: ResumeSummary) => void;
  onPlan?: (runsPerAccount: Map<string, number>) => void;
  onEvent?: (event: CollectionEvent) => void;
}

export interface ResumeSummary {
  packDir: string;
  runId: string;
  /** The plan's scope, shown so that a resume says what it is about to collect from. */
  accounts: number;
  regions: number;
  planned: number;
  kept: number;
  missing: number;
  errored: number;
  invalid: { path: string; reason: string }[];
  /** Leftovers removed before collecting: temporary files of interrupted writes, and run.json/manifest.json. */
  removed: number;
}

export interface ResumeOutcome extends CollectOutcome {
  resume: ResumeSummary;
  /** The role the plan assumes in other accounts (for a push after the run). */
  roleName?: string;
}

function shortList(values: readonly string[]): string {
  return values.length > 5 ? `${values.slice(0, 5).join(',')} and ${values.length - 5} more` : values.join(',');
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** A directory that is an interrupted pack, or a one-line reason why not (a sealed pack, or not a pack at all). */
async function interruptedPack(given: string): Promise<string> {
  const packDir = resolve(given);
  const stats = await lstat(packDir).catch(() => undefined);
  if (!stats?.isDirectory()) throw new UserError(`${given}: ${stats ? 'is not a directory' : 'no such directory'}, so not an interrupted pack (fix: pass the pack directory an interrupted \`auditpack run\` or \`collect\` left)`);
  if (await hasIncompleteMarker(packDir)) return packDir;
  if (await lstat(join(packDir, MANIFEST)).then(() => true, () => false))
    throw new UserError(`${given}: is a sealed, complete pack; there is nothing to resume (fix: \`auditpack assess ${given}\` or \`auditpack report ${given}\` work on it; \`auditpack run\` starts a new audit)`);
  throw new UserError(`${given}: not an interrupted auditpack pack (no ${INCOMPLETE_FILE}) (fix: pass the pack directory an interrupted \`auditpack run\` or \`collect\` left)`);
}

/** The resuming command's scope options against the plan: any difference is refused, naming the option. */
function checkScope(marker: IncompleteMarker, options: ResumeOptions, given: string): void {
  const conflict = (option: string, planned: string): never => {
    throw new UserError(`${option}: the interrupted run in ${given} covers ${planned}, and a resume keeps the run's scope (fix: drop ${option}, or start a new run)`);
  };
  if (options.regions?.length && !sameSet(options.regions, marker.regions)) conflict('--regions', `regions ${shortList(marker.regions)}`);
  // A shard's --accounts is the population it was split from.
  const population = marker.shard?.population ?? marker.accounts;
  if (options.accounts?.length && !sameSet(options.accounts, population)) conflict('--accounts', `accounts ${shortList(population)}`);
  if (options.shard) {
    const asked = resolveShard(options.shard);
    if (asked.index !== marker.shard?.index || asked.count !== marker.shard.count) conflict('--shard', marker.shard ? `shard ${marker.shard.index}/${marker.shard.count}` : 'no shard');
  }
  // The marker is untrusted: a shard's accounts must be exactly its part of the population, or the merge would lose some.
  if (marker.shard && !sameSet(marker.accounts, shardAccounts(marker.shard.population, marker.shard)))
    throw new UserError(`${join(given, INCOMPLETE_FILE)}: field "accounts": not shard ${marker.shard.index}/${marker.shard.count} of its population (fix: start a new run)`, 4);
  if (options.organization && !marker.organization) conflict('--organization', `only accounts ${shortList(marker.accounts)}`);
  if (options.roleName !== undefined && options.roleName !== marker.roleName) conflict('--role-name', marker.roleName ? `role ${marker.roleName}` : 'no role');
  if (options.controlIds?.length && !sameSet(options.controlIds, marker.controlIds ?? [])) conflict('--control', marker.controlIds ? `controls ${shortList(marker.controlIds)}` : 'every control');
  if (marker.attestations && !options.attestationsDir)
    throw new UserError(`--attestations: the interrupted run in ${given} was given an attestation store, which is copied when the pack is sealed (fix: pass --attestations DIR again)`);
}

/** The plan's collectors, as this auditpack implements them: same tool version, same collector versions. */
function planCollectors(marker: IncompleteMarker, available: readonly Collector[], markerPath: string): Collector[] {
  const start = 'start a new run';
  if (marker.tool.version !== TOOL_VERSION)
    throw new UserError(`${markerPath}: the run was started by auditpack ${marker.tool.version}, this is ${TOOL_VERSION}, and one pack holds the evidence of one version (fix: resume with auditpack ${marker.tool.version}, or ${start})`);
  return marker.collectors.map((planned) => {
    const found = available.find((c) => c.id === planned.id);
    if (!found || found.version !== planned.version || found.scope !== planned.scope)
      throw new UserError(`${markerPath}: collector ${planned.id} version ${planned.version} (${planned.scope}) is not one this auditpack has (fix: ${start})`);
    return found;
  });
}

/** run.json's record of this resume: counts, and each run collected again with why (in plan order). */
function resumeRecord(at: Date, planned: readonly PlannedRun[], scan: PackScan): ResumeRecord {
  const reason = new Map<string, 'error' | 'invalid'>([...scan.errored.map((r) => [r.path, 'error'] as const), ...scan.invalid.map((i) => [i.run.path, 'invalid'] as const)]);
  const recollected = planned.flatMap((r) => {
    const why = reason.get(r.path);
    return why ? [{ run: `${r.account}/${r.region}/${r.collector.id}`, reason: why }] : [];
  });
  return { at: at.toISOString(), kept: scan.kept.length, missing: scan.missing.length, recollected };
}

/**
 * The seal must hold exactly the plan's evidence (every run, nothing else) plus run.json and the attestations, and
 * every kept file exactly as the scan read it: a file changed or added while the resume ran is never sealed.
 */
function sealCheck(packDir: string, planned: readonly PlannedRun[], scan: PackScan): (manifest: Manifest) => void {
  return (manifest) => {
    const files = new Map(manifest.files.map((f) => [f.path, f] as const));
    const plannedPaths = new Set(planned.map((r) => r.path));
    for (const kept of scan.kept) {
      const sealed = files.get(kept.path);
      if (sealed?.sha256 !== kept.sha256 || sealed.bytes !== kept.bytes) throw new PackError(`${join(packDir, kept.path)}: changed while the resume ran; nothing was sealed (fix: make sure nothing else writes the pack, and resume again)`);
    }
    const missing = planned.find((r) => !files.has(r.path));
    if (missing) throw new PackError(`${join(packDir, missing.path)}: disappeared while the resume ran; nothing was sealed (fix: make sure nothing else writes the pack, and resume again)`);
    const odd = manifest.files.find((f) => !plannedPaths.has(f.path) && f.path !== RUN_FILE && !f.path.startsWith(`${ATTESTATIONS_DIR}/`));
    if (odd) throw new PackError(`${join(packDir, odd.path)}: appeared while the resume ran; nothing was sealed (fix: remove it, and resume again)`);
  };
}

/**
 * Finishes an interrupted collection: reads the marker and the evidence already written as untrusted input, keeps
 * every valid `ok` evidence file byte for byte, collects again the runs that are missing, errored or whose file
 * is not valid, records the resume in the marker (so a resume that is itself interrupted is still on record) and
 * in run.json, and seals the pack as `collect` does.
 */
export async function resumeCollect(options: ResumeOptions): Promise<ResumeOutcome> {
  const resumedAt = new Date();
  const packDir = await interruptedPack(options.pack);
  const markerPath = join(packDir, INCOMPLETE_FILE);
  const marker = await readIncompleteMarker(packDir);
  const collectors = planCollectors(marker, options.available ?? allCollectors, markerPath);
  checkScope(marker, options, options.pack);
  if ((marker.resumes?.length ?? 0) >= MAX_RESUMES) throw new UserError(`${markerPath}: this run was resumed ${MAX_RESUMES} times already (fix: start a new run)`);
  const access = { endpoint: options.endpoint, maxAttempts: options.maxAttempts, stsRegion: marker.homeRegion };
  const targets: AccountTarget[] = marker.accounts.map((account) => accountTarget({ account, ...access, roleName: account === marker.caller ? undefined : marker.roleName }));
  const plan = { targets, regions: marker.regions, homeRegion: marker.homeRegion, collectors };
  const planned: PlannedRun[] = planTasks(plan).map((task) => ({
    path: taskPath(task),
    account: task.target.account,
    region: task.collector.scope === 'account' ? 'global' : task.region,
    collector: { id: task.collector.id, version: task.collector.version },
  }));
  const scan = await scanIncompletePack(packDir, {
    planned,
    startedAt: marker.startedAt,
    now: resumedAt,
    regenerated: [RUN_FILE, MANIFEST],
    regeneratedDirs: marker.attestations ? [ATTESTATIONS_DIR] : [],
  });
  // Only now AWS, and before anything in the pack changes. Evidence of one pack comes from one principal's
  // account: credentials for another account would mix two views.
  const caller = await callerAccount(clientsFor({ account: 'caller', ...access }).forRegion(marker.homeRegion));
  if (caller !== marker.caller) throw new UserError(`${options.pack}: the interrupted run collected as account ${marker.caller}, but these credentials are for ${caller} (fix: resume with credentials of account ${marker.caller})`);
  // Leftovers of the interrupted run: half-written temporary files, and the records the seal writes anew.
  for (const stale of scan.stale) await rm(join(packDir, stale), { force: true });
  const record = resumeRecord(resumedAt, planned, scan);
  const resumes = [...(marker.resumes ?? []), record];
  await writeIncompleteMarker(packDir, { ...marker, resumes });
  const resume: ResumeSummary = {
    packDir,
    runId: marker.runId,
    accounts: marker.accounts.length,
    regions: marker.regions.length,
    planned: planned.length,
    kept: scan.kept.length,
    missing: scan.missing.length,
    errored: scan.errored.length,
    invalid: scan.invalid.map((i) => ({ path: i.run.path, reason: i.reason })),
    removed: scan.stale.length,
  };
  options.onResume?.(resume);
  const keep = new Set(scan.kept.map((k) => k.path));
  const todo = new Map(marker.accounts.map((a) => [a, 0]));
  for (const r of planned) if (!keep.has(r.path)) todo.set(r.account, (todo.get(r.account) ?? 0) + 1);
  options.onPlan?.(todo);
  // The interrupted run's evidence source settings, and its start as the freshness reference of Config items.
  const callerTarget: AccountTarget = { account: caller, clientsFor: (r) => clientsFor({ account: caller, ...access }).forRegion(r) };
  const configSources = marker.evidenceSource
    ? configSourcesFor(marker.evidenceSource, { runStart: new Date(marker.startedAt), regions: marker.regions, homeRegion: marker.homeRegion, caller: callerTarget, endpoint: options.endpoint })
    : undefined;
  const summary = await collectEvidence({ ...plan, packDir, ...(options.concurrency ? { concurrency: options.concurrency } : {}), ...(options.maxCalls ? { maxCalls: options.maxCalls } : {}), skip: keep, onEvent: options.onEvent, ...(configSources ? { configSources } : {}) });
  const run = runRecord({ id: marker.runId, startedAt: marker.startedAt, accounts: marker.accounts, regions: marker.regions, homeRegion: marker.homeRegion, collectors, ...(marker.evidenceSource ? { evidenceSource: marker.evidenceSource } : {}), ...(marker.controlIds ? { controlIds: marker.controlIds } : {}), resumes, ...(marker.shard ? { shard: marker.shard } : {}) });
  await sealCollection(packDir, run, options.attestationsDir, sealCheck(packDir, planned, scan));
  return { packDir, run, summary, resume, ...(marker.roleName ? { roleName: marker.roleName } : {}) };
}
