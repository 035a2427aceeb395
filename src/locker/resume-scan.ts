import { join } from 'node:path';
import { errorMessage } from '../core/errors.js';
import { sha256Hex } from '../core/fs.js';
import { LIMITS, SafeFsError, readFileUnder, walkTree } from '../core/safe-fs.js';
import { parseEvidenceRecord } from './evidence-record.js';
import { INCOMPLETE_FILE } from './layout.js';
import { PackError } from './records.js';

/** One collector run of the plan and the evidence file it writes. */
export interface PlannedRun {
  /** evidence/<account>/<region|global>/<collector>.json */
  path: string;
  account: string;
  /** The region, or `global` for an account-scope collector. */
  region: string;
  collector: { id: string; version: string };
}

export interface KeptEvidence {
  path: string;
  sha256: string;
  bytes: number;
}

/** What an interrupted pack holds, judged run by run. */
export interface PackScan {
  /** Valid `ok` evidence of this run: kept byte for byte (with its digest, so the seal can prove it was). */
  kept: KeptEvidence[];
  /** Planned runs with no evidence file yet. */
  missing: PlannedRun[];
  /** Runs whose record is an `error` record: collected again. */
  errored: PlannedRun[];
  /** Runs whose file is not this run's valid evidence (corrupt, too large, another account's, outside the run's time): collected again. */
  invalid: { run: PlannedRun; reason: string }[];
  /** Files to remove before collecting: leftovers of interrupted atomic writes, and the records the seal writes anew. */
  stale: string[];
}

export interface ScanOptions {
  /** Every run of the plan, in plan order. */
  planned: readonly PlannedRun[];
  /** Evidence collected before the run started, or after `now`, is not this run's. */
  startedAt: string;
  now: Date;
  /** Files the seal writes anew (run.json, manifest.json): removed unread. */
  regenerated: readonly string[];
  /** Folders the seal copies anew (attestations/): their files are removed unread. */
  regeneratedDirs: readonly string[];
}

/** writeFileAtomic's temporary name: <target>.<pid>.<12 hex>.tmp (a SIGKILL mid-write leaves one behind). */
const TEMPORARY = /^(.+)\.\d+\.[0-9a-f]{12}\.tmp$/;
const RESUME_FIX = 'remove it and resume again, or start a new run';

/** The part of a PackError's message after "<file>: " and before its "(fix: …)", for a one-line reason. */
function reasonOf(label: string, message: string): string {
  const body = message.startsWith(`${label}: `) ? message.slice(label.length + 2) : message;
  return body.replace(/ \(fix: [^()]*\)$/, '');
}

type Verdict = { kind: 'kept'; kept: KeptEvidence } | { kind: 'error' } | { kind: 'invalid'; reason: string };

/** One planned evidence file, read as untrusted: bounded, schema-valid, this run's collector, account, region, version and time. */
async function judge(packDir: string, run: PlannedRun, window: { from: number; to: Date }): Promise<Verdict> {
  const label = join(packDir, run.path);
  let bytes: Buffer;
  try {
    bytes = await readFileUnder(packDir, run.path, LIMITS.packFileBytes);
  } catch (err) {
    if (!(err instanceof SafeFsError)) throw err;
    return { kind: 'invalid', reason: err.message.replace(/^[^:]*: /, '') };
  }
  let record;
  try {
    record = parseEvidenceRecord(label, bytes, { account: run.account, region: run.region, collector: run.collector.id });
  } catch (err) {
    if (!(err instanceof PackError)) throw err;
    return { kind: 'invalid', reason: reasonOf(label, errorMessage(err)) };
  }
  if (record.collector.version !== run.collector.version) return { kind: 'invalid', reason: `written by version ${record.collector.version} of ${run.collector.id}; this run uses version ${run.collector.version}` };
  const at = Date.parse(record.collectedAt);
  if (!(at >= window.from && at <= window.to.getTime())) return { kind: 'invalid', reason: `collected at ${record.collectedAt}, outside this run (${new Date(window.from).toISOString()} to ${window.to.toISOString()})` };
  if (record.status === 'error') return { kind: 'error' };
  return { kind: 'kept', kept: { path: run.path, sha256: sha256Hex(bytes), bytes: bytes.length } };
}

/**
 * Reads an interrupted pack as untrusted input and sorts its evidence into kept, missing, errored and invalid.
 * Anything that is not a regular file (a symlink, FIFO, device), and any file that is neither planned evidence,
 * the marker, a record the seal rewrites, nor a leftover temporary file of one of those, is refused with a
 * PackError: auditpack never writes such a thing, and a resume must not seal what it does not understand.
 */
export async function scanIncompletePack(packDir: string, options: ScanOptions): Promise<PackScan> {
  const planned = new Map(options.planned.map((r) => [r.path, r] as const));
  const regenerated = (path: string): boolean => options.regenerated.includes(path) || options.regeneratedDirs.some((d) => path.startsWith(`${d}/`));
  const ours = (path: string): boolean => planned.has(path) || regenerated(path) || path === INCOMPLETE_FILE;
  const present = new Set<string>();
  const stale: string[] = [];
  let entries;
  try {
    entries = await walkTree(packDir);
  } catch (err) {
    if (!(err instanceof SafeFsError)) throw err;
    throw new PackError(`${err.message} (fix: ${RESUME_FIX})`);
  }
  for (const entry of entries) {
    const where = join(packDir, entry.path);
    if (entry.kind !== 'file') throw new PackError(`${where}: is a ${entry.detail}; auditpack never writes one into a pack (fix: ${RESUME_FIX})`);
    if (entry.path === INCOMPLETE_FILE) continue;
    if (planned.has(entry.path)) present.add(entry.path);
    else if (regenerated(entry.path)) stale.push(entry.path);
    else if (ours(TEMPORARY.exec(entry.path)?.[1] ?? '')) stale.push(entry.path);
    else throw new PackError(`${where}: is not part of the interrupted run (not in the plan of ${INCOMPLETE_FILE}) (fix: ${RESUME_FIX})`);
  }
  const scan: PackScan = { kept: [], missing: [], errored: [], invalid: [], stale };
  const window = { from: Date.parse(options.startedAt), to: options.now };
  for (const run of options.planned) {
    if (!present.has(run.path)) {
      scan.missing.push(run);
      continue;
    }
    const verdict = await judge(packDir, run, window);
    if (verdict.kind === 'kept') scan.kept.push(verdict.kept);
    else if (verdict.kind === 'error') scan.errored.push(run);
    else scan.invalid.push({ run, reason: verdict.reason });
  }
  return scan;
}
