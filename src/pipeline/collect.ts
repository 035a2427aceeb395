import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { collectors as allCollectors } from '../../collectors/index.js';
import type { Collector } from '../core/collector.js';
import { accountTarget, clientsFor } from '../collect/aws-access.js';
import { collectEvidence, type AccountTarget, type CollectionEvent, type CollectionSummary } from '../collect/collect.js';
import { callerAccount, checkAccountIds, enabledRegions, organizationAccounts } from '../collect/scope.js';
import { UserError } from '../core/errors.js';
import { TOOL_VERSION } from '../core/version.js';
import { removeIncompleteMarker, writeIncompleteMarker } from '../locker/incomplete.js';
import { MANIFEST, manifestMeta, writeManifest, writePackJson, type Manifest } from '../locker/pack.js';
import { RUN_FILE, type EvidenceSourceRecord, type ResumeRecord, type RunRecord, type ShardRecord } from '../locker/run-info.js';
import { copyAttestations } from '../workflow/attestations.js';
import { configSourcesFor, evidenceSourceRecord, type EvidenceSourceOptions } from './evidence-source.js';
import { resolveShard, shardAccounts, shardRecord, type ShardSpec } from './shard.js';

export interface CollectOptions extends EvidenceSourceOptions {
  /** Parent directory; the pack is <out>/<run-id>/. */
  out: string;
  regions?: string[];
  accounts?: string[];
  organization?: boolean;
  /** Role assumed in every account other than the caller's. */
  roleName?: string;
  endpoint?: string;
  maxAttempts?: number;
  /** Collector runs in flight (--concurrency); default: sized from the call budget (collect/machine.ts). */
  concurrency?: number;
  /** API calls on the wire at once, machine-wide (--max-calls); default: sized from the machine (collect/machine.ts). */
  maxCalls?: number;
  /** Region for global APIs (IAM, S3 listing, STS); default AWS_REGION or us-east-1. */
  homeRegion?: string;
  /** Limit collection to these collectors (default: all). */
  collectors?: readonly Collector[];
  runId?: string;
  /** Controls the run is limited to, recorded in run.json so re-assessment keeps to them. */
  controlIds?: string[];
  /** `--shard I/N` or `auto/N`: audit only this shard's part of the accounts (shard.ts). */
  shard?: ShardSpec;
  /** Attestation store (`auditpack attest --store`) copied into the pack with its documents. */
  attestationsDir?: string;
  onEvent?: (event: CollectionEvent) => void;
  /** Called once the scope is resolved, before the first collector runs: collector runs per account. */
  onPlan?: (runsPerAccount: Map<string, number>) => void;
}

export interface CollectOutcome {
  packDir: string;
  run: RunRecord;
  summary: CollectionSummary;
}

export function newRunId(at: Date): string {
  return `${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

async function resolveAccounts(options: CollectOptions, caller: string, home: AccountTarget): Promise<string[]> {
  if (options.organization) return organizationAccounts(home.clientsFor(options.homeRegion ?? 'us-east-1'));
  if (options.accounts?.length) return checkAccountIds(options.accounts);
  return [caller];
}

/** run.json for a collection: the scope, the collectors with their permissions, and the resumes if there were any. */
export function runRecord(fields: { id: string; startedAt: string; accounts: string[]; regions: string[]; homeRegion: string; collectors: readonly Collector[]; evidenceSource?: EvidenceSourceRecord; controlIds?: string[]; resumes?: ResumeRecord[]; shard?: ShardRecord }): RunRecord {
  return {
    schemaVersion: '1',
    id: fields.id,
    startedAt: fields.startedAt,
    finishedAt: new Date().toISOString(),
    tool: { name: 'auditpack', version: TOOL_VERSION },
    accounts: fields.accounts,
    regions: fields.regions,
    homeRegion: fields.homeRegion,
    collectors: fields.collectors.map((c) => ({ id: c.id, version: c.version, scope: c.scope, permissions: [...c.permissions].sort() })),
    ...(fields.evidenceSource ? { evidenceSource: fields.evidenceSource } : {}),
    ...(fields.controlIds?.length ? { controlIds: [...new Set(fields.controlIds)].sort() } : {}),
    ...(fields.resumes?.length ? { resumes: fields.resumes } : {}),
    ...(fields.shard ? { shard: fields.shard } : {}),
  };
}

/**
 * Seals a collected pack: attestations copied, run.json, the manifest, and last the incomplete marker removed (the
 * manifest is durable before the marker goes, so a crash leaves one of the two). `check` may refuse the manifest
 * before the marker goes (a resume proves the evidence it kept was sealed unchanged); the pack then stays incomplete.
 */
export async function sealCollection(packDir: string, run: RunRecord, attestationsDir: string | undefined, check?: (manifest: Manifest) => void): Promise<void> {
  if (attestationsDir) await copyAttestations(attestationsDir, packDir);
  await writePackJson(packDir, RUN_FILE, run);
  // Sealed at once: from here on every command verifies the evidence against this manifest before reading it.
  const manifest = await writeManifest(packDir, manifestMeta(run));
  try {
    check?.(manifest);
  } catch (err) {
    await rm(join(packDir, MANIFEST), { force: true });
    throw err;
  }
  await removeIncompleteMarker(packDir);
}

/**
 * Collects evidence for accounts × regions into a new pack and records the run. Talks to AWS; nothing after it does.
 * The pack holds the incomplete marker from before the first collector runs until it is sealed, so an interrupted
 * run leaves a pack that every reader refuses and `run --resume` can finish.
 */
export async function collect(options: CollectOptions): Promise<CollectOutcome> {
  const started = new Date();
  const homeRegion = options.homeRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  // Checked before any AWS call: a typo in a Config option must not cost a scope discovery.
  const evidenceSource = evidenceSourceRecord(options, homeRegion);
  // The shard (from the engine's index for auto/N) is known before any AWS call, and needs a population to split.
  const shard = options.shard ? resolveShard(options.shard) : undefined;
  if (shard && !options.organization && !options.accounts?.length) throw new UserError('--shard: needs the accounts to split (fix: add --organization or --accounts)');
  const access = { endpoint: options.endpoint, maxAttempts: options.maxAttempts, stsRegion: homeRegion };
  const ownClients = clientsFor({ account: 'caller', ...access });
  const caller = await callerAccount(ownClients.forRegion(homeRegion));
  const callerTarget: AccountTarget = { account: caller, clientsFor: (r) => clientsFor({ account: caller, ...access }).forRegion(r) };
  const population = await resolveAccounts(options, caller, callerTarget);
  const accounts = shard ? shardAccounts(population, shard) : population;
  const shardRec = shard ? shardRecord(population, shard) : undefined;
  if (accounts.some((a) => a !== caller) && !options.roleName)
    throw new UserError('--role-name is required to audit accounts other than the caller\'s (fix: pass the audit role deployed in every account, e.g. --role-name AuditpackReadOnly)');
  const regions = options.regions?.length ? [...new Set(options.regions)].sort() : await enabledRegions(callerTarget.clientsFor(homeRegion));
  // Nothing is built per account until the scheduler opens it (collect/scheduler.ts): memory follows its window.
  const targets: AccountTarget[] = accounts.map((account) => accountTarget({ account, ...access, roleName: account === caller ? undefined : options.roleName }));
  const runId = options.runId ?? newRunId(started);
  const packDir = resolve(join(options.out, runId));
  const collectors = options.collectors ?? allCollectors;
  const controlIds = options.controlIds?.length ? [...new Set(options.controlIds)].sort() : undefined;
  // The plan a resume needs, written (creating the pack folder) before anything is collected; credentials and the
  // endpoint are not part of it.
  await writeIncompleteMarker(packDir, {
    schemaVersion: '1',
    runId,
    startedAt: started.toISOString(),
    tool: { name: 'auditpack', version: TOOL_VERSION },
    caller,
    accounts,
    ...(options.organization ? { organization: true as const } : {}),
    regions,
    homeRegion,
    ...(options.roleName ? { roleName: options.roleName } : {}),
    collectors: collectors.map((c) => ({ id: c.id, version: c.version, scope: c.scope })),
    evidenceSource,
    ...(controlIds ? { controlIds } : {}),
    ...(options.attestationsDir ? { attestations: true as const } : {}),
    ...(shardRec ? { shard: shardRec } : {}),
  });
  const runsPerTarget = collectors.reduce((n, c) => n + (c.scope === 'account' ? 1 : regions.length), 0);
  options.onPlan?.(new Map(accounts.map((a) => [a, runsPerTarget])));
  const summary = await collectEvidence({
    packDir,
    targets,
    regions,
    homeRegion,
    collectors,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.maxCalls ? { maxCalls: options.maxCalls } : {}),
    configSources: configSourcesFor(evidenceSource, { runStart: started, regions, homeRegion, caller: callerTarget, endpoint: options.endpoint }),
    onEvent: options.onEvent,
  });
  const run = runRecord({ id: runId, startedAt: started.toISOString(), accounts, regions, homeRegion, collectors, evidenceSource, ...(controlIds ? { controlIds } : {}), ...(shardRec ? { shard: shardRec } : {}) });
  await sealCollection(packDir, run, options.attestationsDir);
  return { packDir, run, summary };
}
