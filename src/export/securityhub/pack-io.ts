import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { LIMITS, readFileUnder } from '../../core/safe-fs.js';
import { join } from 'node:path';
import { UserError, errorMessage } from '../../core/errors.js';
import { openVerifiedPack, type PackTrust } from '../../verify/open-pack.js';
import { RUN_FILE, type RunRecord } from '../../locker/run-info.js';
import { RESULTS_FILE } from '../../pipeline/assess.js';
import type { ResultsDocument } from '../../results/types.js';
import { FINDINGS_FILE, isOwnFinding, PUSHED_FILE, type PreviousFinding, type PushRecord } from './lifecycle.js';

/** What a push reads from a sealed pack. */
export interface PackForPush {
  run: RunRecord;
  results: ResultsDocument;
  /** sha256 hex of manifest.json as sealed. */
  manifestSha256: string;
  /** evidence sha256 hex -> path in the pack. */
  evidencePaths: Map<string, string>;
}

function parse<T>(path: string, bytes: Buffer): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (err) {
    throw new UserError(`${path}: not valid JSON: ${errorMessage(err).split('\n')[0]} (fix: restore the pack from its original copy)`, 4);
  }
}

/**
 * Reads run.json, results.json and the sealed manifest: only an assessed, sealed pack that verifies (hashes, no
 * added files, signatures when signed) can be pushed; every finding names the manifest digest it was read under.
 */
export async function readPackForPush(packDir: string, trust: PackTrust = {}): Promise<PackForPush> {
  const pack = await openVerifiedPack(packDir, { purpose: 'push', ...trust });
  if (!pack.has(RESULTS_FILE)) throw new UserError(`${join(packDir, RESULTS_FILE)}: no results in this pack (fix: assess the pack first: auditpack assess ${packDir})`);
  const run = await pack.readJson<RunRecord>(RUN_FILE, 'run.schema.json');
  const results = await pack.readJson<ResultsDocument>(RESULTS_FILE, 'results.schema.json');
  const evidencePaths = new Map(pack.manifest.files.filter((f) => f.path.startsWith('evidence/')).map((f) => [f.sha256, f.path] as const));
  return { run, results, manifestSha256: pack.manifestSha256, evidencePaths };
}

/**
 * History from a previous pack: its securityhub-pushed.json (the Ids, with CreatedAt) and, when present, its
 * findings.asff.json (their full content, so vanished findings are archived with their original details).
 */
export async function readPreviousPack(previousDir: string, trust: PackTrust = {}): Promise<Map<string, PreviousFinding>> {
  await openVerifiedPack(previousDir, { purpose: 'read the push history of', ...trust });
  const recordPath = join(previousDir, PUSHED_FILE);
  const bytes = await readFileUnder(previousDir, PUSHED_FILE, LIMITS.packFileBytes).catch(() => undefined);
  if (!bytes) throw new UserError(`${recordPath}: missing: that pack was never pushed to Security Hub (fix: pass the pack of the last successful push, or omit --previous to read the history from Security Hub)`);
  const record = parse<PushRecord>(recordPath, bytes);
  const isEntry = (e: unknown): boolean =>
    typeof e === 'object' && e !== null && ['id', 'productArn', 'generatorId', 'account', 'region'].every((k) => typeof (e as Record<string, unknown>)[k] === 'string');
  if (typeof record !== 'object' || record === null || !Array.isArray(record.findings) || !record.findings.every(isEntry))
    throw new UserError(`${recordPath}: field "findings": not a list of pushed findings (fix: restore the pack from its original copy)`, 4);
  const contentBytes = await readFileUnder(previousDir, FINDINGS_FILE, LIMITS.packFileBytes).catch(() => undefined);
  const content = new Map<string, AwsSecurityFinding>();
  const findings = contentBytes ? parse<unknown>(join(previousDir, FINDINGS_FILE), contentBytes) : [];
  if (!Array.isArray(findings)) throw new UserError(`${join(previousDir, FINDINGS_FILE)}: not a list of findings (fix: restore the pack from its original copy)`, 4);
  for (const f of findings as AwsSecurityFinding[]) if (typeof f === 'object' && f !== null && typeof f.Id === 'string') content.set(f.Id, f);
  const previous = new Map<string, PreviousFinding>();
  for (const entry of record.findings) {
    // Same rule as for GetFindings: an entry that is not ours (a hand-edited file) is never touched.
    if (!isOwnFinding({ Id: entry.id, ProductArn: entry.productArn, GeneratorId: entry.generatorId, AwsAccountId: entry.account }, entry.account, entry.region)) continue;
    const finding = content.get(entry.id);
    previous.set(entry.id, finding && finding.Region === entry.region && finding.AwsAccountId === entry.account ? { record: entry, finding } : { record: entry });
  }
  return previous;
}
