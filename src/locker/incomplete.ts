import { lstat, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, errorMessage } from '../core/errors.js';
import { describeSchemaError, errorPath, schemaValidator } from '../core/schema.js';
import { LIMITS, SafeFsError, walkTree } from '../core/safe-fs.js';
import { oneLine } from '../core/text.js';
import { INCOMPLETE_FILE } from './layout.js';
import { MANIFEST, writePackJson } from './pack.js';
import { PackError, readPackRecord } from './records.js';
import type { EvidenceSourceRecord, ResumeRecord, ShardRecord } from './run-info.js';

/**
 * The incomplete marker: written before the first collector runs and removed as the last step of sealing, so its
 * presence alone says "this pack is not a complete audit". Sealing writes manifest.json (atomically) before it
 * removes the marker (an atomic unlink), so a crash at any moment leaves either the marker (incomplete, whatever
 * else is there, a manifest included) or a sealed manifest without it, never a pack that looks complete and is not.
 */
export { INCOMPLETE_FILE };
const SCHEMA = 'incomplete.schema.json';
/** Resumes one pack may record; more means something keeps failing, and a new run is the better answer. */
export const MAX_RESUMES = 32;

export interface PlannedCollector {
  id: string;
  version: string;
  scope: 'account' | 'region';
}

/** incomplete.json: the plan of an interrupted collection (schemas/incomplete.schema.json). No credentials, no endpoint. */
export interface IncompleteMarker {
  schemaVersion: '1';
  runId: string;
  startedAt: string;
  tool: { name: 'auditpack'; version: string };
  /** The account whose credentials ran the collection. */
  caller: string;
  accounts: string[];
  organization?: true;
  regions: string[];
  homeRegion: string;
  roleName?: string;
  collectors: PlannedCollector[];
  /** --source and the Config settings: a resume keeps them. */
  evidenceSource?: EvidenceSourceRecord;
  controlIds?: string[];
  attestations?: true;
  resumes?: ResumeRecord[];
  /** A shard's plan (`run --shard`): a resume keeps the shard, and audits the accounts it had. */
  shard?: ShardRecord;
}

/** Collector runs the marker's plan makes: each account runs account-scope collectors once, region-scope ones per region. */
export function plannedRunCount(marker: Pick<IncompleteMarker, 'accounts' | 'regions' | 'collectors'>): number {
  return marker.accounts.length * marker.collectors.reduce((n, c) => n + (c.scope === 'account' ? 1 : marker.regions.length), 0);
}

/** What the schema cannot say: unique collectors, a plan a pack can hold, and a role for every account but the caller's. */
function semanticProblem(marker: IncompleteMarker): { field: string; problem: string; fix: string } | undefined {
  const ids = new Set<string>();
  for (const [i, c] of marker.collectors.entries()) {
    if (ids.has(c.id)) return { field: `collectors.${i}.id`, problem: `collector ${c.id} is listed twice`, fix: 'start a new run' };
    ids.add(c.id);
  }
  if (marker.shard && marker.shard.index > marker.shard.count) return { field: 'shard.index', problem: `shard ${marker.shard.index} of ${marker.shard.count} does not exist`, fix: 'start a new run' };
  const runs = plannedRunCount(marker);
  // A pack with more files than a walk may visit could never be verified: refuse the plan, not the sealed pack.
  if (runs > LIMITS.packFiles) return { field: 'accounts', problem: `the plan makes ${runs} collector runs, more than the ${LIMITS.packFiles} one pack can hold`, fix: 'split the audit with --accounts or --regions' };
  if (!marker.roleName && marker.accounts.some((a) => a !== marker.caller)) return { field: 'roleName', problem: 'is required: the plan covers accounts other than the caller\'s', fix: 'start a new run with --role-name' };
  return undefined;
}

/**
 * Writes the marker after checking it as a reader will: a marker a resume would refuse must fail the run before
 * anything is collected (e.g. a role name AWS would refuse anyway, or a plan too large for one pack).
 */
export async function writeIncompleteMarker(packDir: string, marker: IncompleteMarker): Promise<void> {
  const validate = schemaValidator(SCHEMA);
  if (!validate(marker)) {
    const error = validate.errors?.[0];
    const field = error ? errorPath(error).join('.') || '(document)' : '(document)';
    const option = field.startsWith('roleName') ? '--role-name' : field.startsWith('controlIds') ? '--control' : field;
    throw new UserError(`${option}: ${error ? oneLine(describeSchemaError(error).problem, 160) : 'is invalid'} (fix: correct it and run again; schema: schemas/${SCHEMA})`);
  }
  const semantic = semanticProblem(marker);
  if (semantic) throw new UserError(`${join(packDir, INCOMPLETE_FILE)}: field "${semantic.field}": ${semantic.problem} (fix: ${semantic.fix})`);
  await writePackJson(packDir, INCOMPLETE_FILE, marker);
}

/** Is there a marker (of any kind: a symlink or FIFO planted under its name counts too)? */
export async function hasIncompleteMarker(packDir: string): Promise<boolean> {
  return (await lstat(join(packDir, INCOMPLETE_FILE)).catch(() => undefined)) !== undefined;
}

/** Reads the marker as untrusted: a bounded regular file, schema-valid, with a plan that makes sense. */
export async function readIncompleteMarker(packDir: string): Promise<IncompleteMarker> {
  const marker = await readPackRecord<IncompleteMarker>(packDir, INCOMPLETE_FILE, SCHEMA);
  const semantic = semanticProblem(marker);
  if (semantic) throw new PackError(`${join(packDir, INCOMPLETE_FILE)}: field "${semantic.field}": ${semantic.problem} (fix: ${semantic.fix})`);
  return marker;
}

/** Does `path` name an evidence file of the marker's plan (evidence/<account>/<region|global>/<collector>.json)? */
function isPlannedEvidence(marker: IncompleteMarker, accounts: ReadonlySet<string>, scopes: ReadonlyMap<string, PlannedCollector['scope']>, path: string): boolean {
  const parts = path.split('/');
  if (parts.length !== 4 || parts[0] !== 'evidence' || !accounts.has(parts[1] ?? '') || !parts[3]?.endsWith('.json')) return false;
  const scope = scopes.get(parts[3].slice(0, -'.json'.length));
  return scope === 'account' ? parts[2] === 'global' : scope === 'region' && marker.regions.includes(parts[2] ?? '');
}

export interface IncompleteState {
  startedAt?: string;
  /** Collector runs with an evidence file in the pack (ok or error), of `planned`. */
  recorded?: number;
  planned?: number;
  /** Why the marker could not be read; the pack is incomplete all the same. */
  problem?: string;
}

/**
 * undefined for a pack without the marker; otherwise what a refusal should say: when the collection started and
 * how far it got. Reads the marker as untrusted and only lists the evidence folder (no evidence file is opened).
 */
export async function incompleteState(packDir: string): Promise<IncompleteState | undefined> {
  if (!(await hasIncompleteMarker(packDir))) return undefined;
  let marker: IncompleteMarker;
  try {
    marker = await readIncompleteMarker(packDir);
  } catch (err) {
    return { problem: errorMessage(err).replace(/^.*?incomplete\.json: /, '').replace(/ \(fix: [^()]*\)$/, '') };
  }
  const accounts = new Set(marker.accounts);
  const scopes = new Map(marker.collectors.map((c) => [c.id, c.scope] as const));
  let recorded = 0;
  try {
    for (const entry of await walkTree(packDir)) if (entry.kind === 'file' && isPlannedEvidence(marker, accounts, scopes, entry.path)) recorded++;
  } catch (err) {
    if (!(err instanceof SafeFsError)) throw err;
    return { startedAt: marker.startedAt, planned: plannedRunCount(marker), problem: err.message };
  }
  return { startedAt: marker.startedAt, recorded, planned: plannedRunCount(marker) };
}

/** fsync a file or folder; folders cannot be synced on every platform, and there the rename alone must do. */
async function sync(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync().catch((err: NodeJS.ErrnoException) => {
      if (!['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP'].includes(err.code ?? '')) throw err;
    });
  } finally {
    await handle.close();
  }
}

/**
 * The last step of sealing a collected pack: the manifest is made durable first (file, then the folder entry), and
 * only then is the marker removed, so even a power loss cannot leave a pack without both.
 */
export async function removeIncompleteMarker(packDir: string): Promise<void> {
  await sync(join(packDir, MANIFEST));
  await sync(packDir);
  await rm(join(packDir, INCOMPLETE_FILE), { force: true });
  await sync(packDir);
}
