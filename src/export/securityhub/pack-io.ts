import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, errorMessage } from '../../core/errors.js';
import { sha256Hex } from '../../core/fs.js';
import { checkFiles, MANIFEST, type Manifest } from '../../locker/pack.js';
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

async function readPackFile(packDir: string, name: string, fix: string): Promise<Buffer> {
  try {
    return await readFile(join(packDir, name));
  } catch {
    throw new UserError(`${join(packDir, name)}: missing (fix: ${fix})`);
  }
}

function parse<T>(path: string, bytes: Buffer): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (err) {
    throw new UserError(`${path}: not valid JSON: ${errorMessage(err)} (fix: restore the pack from its original copy)`);
  }
}

/**
 * Reads run.json, results.json and the sealed manifest: only an assessed, sealed, intact pack can be pushed
 * (every finding names the manifest digest, so it must still describe the files).
 */
export async function readPackForPush(packDir: string): Promise<PackForPush> {
  const manifestBytes = await readPackFile(packDir, MANIFEST, `assess the pack first: auditpack assess ${packDir}`);
  const manifest = parse<Manifest>(join(packDir, MANIFEST), manifestBytes);
  const problem = (await checkFiles(packDir, manifest)).find((p) => p.problem !== 'unlisted');
  if (problem)
    throw new UserError(`${join(packDir, problem.path)}: ${problem.problem} since the pack was sealed (fix: restore the original pack; run \`auditpack verify\` for every problem)`, 4);
  const run = parse<RunRecord>(join(packDir, RUN_FILE), await readPackFile(packDir, RUN_FILE, 'pass a pack written by auditpack run/collect'));
  const results = parse<ResultsDocument>(join(packDir, RESULTS_FILE), await readPackFile(packDir, RESULTS_FILE, `assess the pack first: auditpack assess ${packDir}`));
  const evidencePaths = new Map((manifest.files ?? []).filter((f) => f.path.startsWith('evidence/')).map((f) => [f.sha256, f.path] as const));
  return { run, results, manifestSha256: sha256Hex(manifestBytes), evidencePaths };
}

/**
 * History from a previous pack: its securityhub-pushed.json (the Ids, with CreatedAt) and, when present, its
 * findings.asff.json (their full content, so vanished findings are archived with their original details).
 */
export async function readPreviousPack(previousDir: string): Promise<Map<string, PreviousFinding>> {
  const recordPath = join(previousDir, PUSHED_FILE);
  const bytes = await readFile(recordPath).catch(() => undefined);
  if (!bytes) throw new UserError(`${recordPath}: missing: that pack was never pushed to Security Hub (fix: pass the pack of the last successful push, or omit --previous to read the history from Security Hub)`);
  const record = parse<PushRecord>(recordPath, bytes);
  const contentBytes = await readFile(join(previousDir, FINDINGS_FILE)).catch(() => undefined);
  const content = new Map<string, AwsSecurityFinding>();
  if (contentBytes) for (const f of parse<AwsSecurityFinding[]>(join(previousDir, FINDINGS_FILE), contentBytes)) if (f.Id) content.set(f.Id, f);
  const previous = new Map<string, PreviousFinding>();
  for (const entry of record.findings ?? []) {
    // Same rule as for GetFindings: an entry that is not ours (a hand-edited file) is never touched.
    if (!isOwnFinding({ Id: entry.id, ProductArn: entry.productArn, GeneratorId: entry.generatorId, AwsAccountId: entry.account }, entry.account, entry.region)) continue;
    const finding = content.get(entry.id);
    previous.set(entry.id, finding && finding.Region === entry.region && finding.AwsAccountId === entry.account ? { record: entry, finding } : { record: entry });
  }
  return previous;
}
