import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { collectors as allCollectors } from '../../collectors/index.js';
import type { Collector } from '../core/collector.js';
import { clientsFor } from '../collect/aws-access.js';
import { collectEvidence, type AccountTarget, type CollectionEvent, type CollectionSummary } from '../collect/collect.js';
import { callerAccount, enabledRegions, organizationAccounts } from '../collect/scope.js';
import { UserError } from '../core/errors.js';
import { TOOL_VERSION } from '../core/version.js';
import { manifestMeta, writeManifest, writePackJson } from '../locker/pack.js';
import { RUN_FILE, type RunRecord } from '../locker/run-info.js';
import { copyAttestations } from '../workflow/attestations.js';

export interface CollectOptions {
  /** Parent directory; the pack is <out>/<run-id>/. */
  out: string;
  regions?: string[];
  accounts?: string[];
  organization?: boolean;
  /** Role assumed in every account other than the caller's. */
  roleName?: string;
  endpoint?: string;
  maxAttempts?: number;
  concurrency?: number;
  /** Region for global APIs (IAM, S3 listing, STS); default AWS_REGION or us-east-1. */
  homeRegion?: string;
  /** Limit collection to these collectors (default: all). */
  collectors?: readonly Collector[];
  runId?: string;
  /** Controls the run is limited to, recorded in run.json so re-assessment keeps to them. */
  controlIds?: string[];
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
  if (options.accounts?.length) {
    const bad = options.accounts.find((a) => !/^\d{12}$/.test(a));
    if (bad) throw new UserError(`--accounts: "${bad}" is not a 12-digit AWS account id (fix: pass ids like 123456789012)`);
    return [...new Set(options.accounts)].sort();
  }
  return [caller];
}

/** Collects evidence for accounts × regions into a new pack and records the run. Talks to AWS; nothing after it does. */
export async function collect(options: CollectOptions): Promise<CollectOutcome> {
  const started = new Date();
  const homeRegion = options.homeRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const access = { endpoint: options.endpoint, maxAttempts: options.maxAttempts, stsRegion: homeRegion };
  const ownClients = clientsFor({ account: 'caller', ...access });
  const caller = await callerAccount(ownClients.forRegion(homeRegion));
  const callerTarget: AccountTarget = { account: caller, clientsFor: (r) => clientsFor({ account: caller, ...access }).forRegion(r) };
  const accounts = await resolveAccounts(options, caller, callerTarget);
  if (accounts.some((a) => a !== caller) && !options.roleName)
    throw new UserError('--role-name is required to audit accounts other than the caller\'s (fix: pass the audit role deployed in every account, e.g. --role-name AuditpackReadOnly)');
  const regions = options.regions?.length ? [...new Set(options.regions)].sort() : await enabledRegions(callerTarget.clientsFor(homeRegion));
  const targets: AccountTarget[] = accounts.map((account) => {
    const clients = clientsFor({ account, ...access, roleName: account === caller ? undefined : options.roleName });
    return { account, clientsFor: (r) => clients.forRegion(r) };
  });
  const runId = options.runId ?? newRunId(started);
  const packDir = resolve(join(options.out, runId));
  await mkdir(packDir, { recursive: true });
  const collectors = options.collectors ?? allCollectors;
  const runsPerTarget = collectors.reduce((n, c) => n + (c.scope === 'account' ? 1 : regions.length), 0);
  options.onPlan?.(new Map(accounts.map((a) => [a, runsPerTarget])));
  const summary = await collectEvidence({
    packDir,
    targets,
    regions,
    homeRegion,
    collectors,
    concurrency: options.concurrency ?? 8,
    onEvent: options.onEvent,
  });
  const run: RunRecord = {
    schemaVersion: '1',
    id: runId,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    tool: { name: 'auditpack', version: TOOL_VERSION },
    accounts,
    regions,
    homeRegion,
    collectors: collectors.map((c) => ({ id: c.id, version: c.version, scope: c.scope, permissions: [...c.permissions].sort() })),
    ...(options.controlIds?.length ? { controlIds: [...options.controlIds].sort() } : {}),
  };
  if (options.attestationsDir) await copyAttestations(options.attestationsDir, packDir);
  await writePackJson(packDir, RUN_FILE, run);
  // Sealed at once: from here on every command verifies the evidence against this manifest before reading it.
  await writeManifest(packDir, manifestMeta(run));
  return { packDir, run, summary };
}
