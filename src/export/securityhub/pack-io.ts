import { join } from 'node:path';
import { UserError } from '../../core/errors.js';
import { LIMITS, SafeFsError, readFileUnder } from '../../core/safe-fs.js';
import { PackError, parsePackJson } from '../../locker/records.js';
import { RUN_FILE, type RunRecord } from '../../locker/run-info.js';
import { RESULTS_FILE } from '../../locker/layout.js';
import type { ResultsDocument } from '../../results/types.js';
import { openVerifiedPack, type PackTrust, type VerifiedPack } from '../../verify/open-pack.js';
import type { FindingHistory } from './asff.js';
import { buildFindings, findingContext, planTargets } from './derive.js';
import { PUSHED_FILE, recordOf, type PreviousFinding, type PushedFinding, type PushRecord } from './lifecycle.js';

import type { PackForPush } from './derive.js';
export type { PackForPush };

export const PUSHED_SCHEMA = 'securityhub-pushed.schema.json';
/** ASFF's schema version date: no Security Hub finding, hence no CreatedAt auditpack ever recorded, is older. */
const ASFF_EPOCH = Date.parse('2018-10-08T00:00:00.000Z');
const PREVIOUS_FIX = 'pass the unchanged pack of the last successful push, or omit --previous to read the history from Security Hub';

/** run.json, results.json and the evidence paths of a pack that verified. */
async function loadPack(pack: VerifiedPack, noResults: string): Promise<PackForPush> {
  if (!pack.has(RESULTS_FILE)) throw new UserError(`${join(pack.dir, RESULTS_FILE)}: ${noResults}`);
  const run = await pack.readJson<RunRecord>(RUN_FILE, 'run.schema.json');
  // Streamed (never one string), and returned only once its bytes hash to the manifest's: nothing is pushed otherwise.
  const results = await pack.readJsonStream<ResultsDocument>(RESULTS_FILE, 'results.schema.json');
  const evidencePaths = new Map(pack.manifest.files.filter((f) => f.path.startsWith('evidence/')).map((f) => [f.sha256, f.path] as const));
  return { run, results, manifestSha256: pack.manifestSha256, evidencePaths };
}

/**
 * Reads run.json, results.json and the sealed manifest: only an assessed, sealed pack that verifies (hashes, no
 * added files, signatures when signed) can be pushed; every finding names the manifest digest it was read under.
 */
export async function readPackForPush(packDir: string, trust: PackTrust = {}, readLimit?: number): Promise<PackForPush> {
  const pack = await openVerifiedPack(packDir, { purpose: 'push', ...trust, ...(readLimit === undefined ? {} : { readLimit }) });
  return loadPack(pack, `no results in this pack (fix: assess the pack first: auditpack assess ${packDir})`);
}

/** History of a previous push, as far as the previous pack's signed content backs it. */
export interface PreviousHistory {
  /** By Id: the findings the previous pack's signed results produce, limited to those its push recorded. */
  findings: Map<string, PreviousFinding>;
  /** One line each: what the push should tell the user about this history. */
  warnings: string[];
}

/** A recorded timestamp as epoch ms; anything auditpack could not have written is refused (exit 4, one line). */
function recordedTime(path: string, field: string, value: string, notAfter: number, notAfterWhat: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new PackError(`${path}: field "${field}": not a timestamp (fix: ${PREVIOUS_FIX})`);
  if (ms < ASFF_EPOCH) throw new PackError(`${path}: field "${field}": ${value} predates Security Hub findings (2018-10-08), so no push recorded it (fix: ${PREVIOUS_FIX})`);
  if (ms > notAfter) throw new PackError(`${path}: field "${field}": ${value} is later than ${notAfterWhat}, so no push recorded it (fix: ${PREVIOUS_FIX})`);
  return ms;
}

/**
 * History from a previous pack. Its securityhub-pushed.json is written after the pack is sealed, so neither its
 * hashes nor its signature cover it: it is validated strictly, must name that pack's run and sealed manifest, and
 * only says WHICH findings were pushed and WHEN they were first created. Their content (title, description,
 * resource, state, waiver) is re-derived from the pack's verified results.json and run.json with the same mapping
 * as a push, so nothing unsigned reaches Security Hub. findings.asff.json is not read at all. Entries that are
 * not findings of those results are ignored, with a warning.
 */
export async function readPreviousPack(previousDir: string, trust: PackTrust = {}, now: string = new Date().toISOString()): Promise<PreviousHistory> {
  const pack = await openVerifiedPack(previousDir, { purpose: 'read the push history of', ...trust });
  const recordPath = join(previousDir, PUSHED_FILE);
  let bytes: Buffer;
  try {
    bytes = await readFileUnder(previousDir, PUSHED_FILE, LIMITS.recordBytes);
  } catch (err) {
    if (!(err instanceof SafeFsError)) throw err;
    if (err.problem === 'missing')
      throw new UserError(`${recordPath}: missing: that pack was never pushed to Security Hub (fix: pass the pack of the last successful push, or omit --previous to read the history from Security Hub)`);
    throw new PackError(`${recordPath}: ${err.message.replace(/^[^:]*: /, '')} (fix: ${PREVIOUS_FIX})`);
  }
  const record = parsePackJson<PushRecord>(recordPath, bytes, PUSHED_SCHEMA);
  const previous = await loadPack(pack, 'no results in this pack, so it was never pushed (fix: pass the pack of the last successful push)');
  if (record.runId !== previous.run.id)
    throw new PackError(`${recordPath}: field "runId": ${record.runId} is not the run of that pack (${previous.run.id}) (fix: ${PREVIOUS_FIX})`);
  if (record.manifestSha256 !== pack.manifestSha256)
    throw new PackError(`${recordPath}: field "manifestSha256": not the digest of that pack's sealed manifest.json (re-sealed after the push, or copied from another pack) (fix: ${PREVIOUS_FIX})`);

  const nowMs = Date.parse(now);
  const pushedAtMs = Date.parse(record.pushedAt);
  if (Number.isNaN(pushedAtMs)) throw new PackError(`${recordPath}: field "pushedAt": not a timestamp (fix: ${PREVIOUS_FIX})`);
  // Nothing recorded is later than this push (a clock ahead of ours, or an edit): such times are clamped to now.
  const notLater = (value: string, ms: number): string => (ms > nowMs ? now : value);
  // FirstObservedAt is a run's end, which another machine's clock may put after the push it was pushed by.
  const observedBound = Math.max(pushedAtMs, Date.parse(previous.run.finishedAt));
  const entries = new Map<string, { entry: PushedFinding; history: FindingHistory; updatedAt: string }>();
  record.findings.forEach((entry, i) => {
    const at = (field: string) => `findings.${i}.${field}`;
    const createdMs = recordedTime(recordPath, at('createdAt'), entry.createdAt, pushedAtMs, `the push (pushedAt ${record.pushedAt})`);
    const firstMs = entry.firstObservedAt === undefined ? undefined : recordedTime(recordPath, at('firstObservedAt'), entry.firstObservedAt, observedBound, 'the push and its run');
    const updatedMs = Date.parse(entry.updatedAt);
    if (Number.isNaN(updatedMs)) throw new PackError(`${recordPath}: field "${at('updatedAt')}": not a timestamp (fix: ${PREVIOUS_FIX})`);
    const history: FindingHistory = {
      createdAt: notLater(entry.createdAt, createdMs),
      ...(entry.firstObservedAt !== undefined && firstMs !== undefined ? { firstObservedAt: notLater(entry.firstObservedAt, firstMs) } : {}),
    };
    if (!entries.has(entry.id)) entries.set(entry.id, { entry, history, updatedAt: updatedMs > pushedAtMs ? record.pushedAt : entry.updatedAt });
  });

  const findings = new Map<string, PreviousFinding>();
  const ctx = findingContext(previous, notLater(record.pushedAt, pushedAtMs));
  for (const planned of planTargets(previous).values()) {
    for (const finding of buildFindings(planned, ctx, (id) => entries.get(id)?.history)) {
      const id = finding.Id ?? '';
      const seen = entries.get(id);
      if (!seen) continue; // derived, but not pushed (its import failed): nothing of it is in Security Hub
      const derived = recordOf(finding);
      // State and waiver come from the signed results. The record can only ask for MORE to be done (archive an
      // Id it says is still ACTIVE, suppress again a waived one it says is not suppressed), never for less.
      const active = derived.recordState === 'ACTIVE' || seen.entry.recordState === 'ACTIVE';
      findings.set(id, {
        record: { ...derived, updatedAt: seen.updatedAt, recordState: active ? 'ACTIVE' : 'ARCHIVED' },
        finding,
        ...(derived.waived && !seen.entry.waived ? { resuppress: true } : {}),
      });
    }
  }

  const warnings = [
    `${recordPath} is not covered by that pack's signature: only the Ids it lists that are findings of the pack's signed results.json are used, with their content re-derived from those results (omit --previous to read the push history from Security Hub itself)`,
  ];
  const ignored = [...entries.values()].filter((e) => !findings.has(e.entry.id)).map((e) => e.entry);
  if (ignored.length) {
    const active = ignored.filter((e) => e.recordState === 'ACTIVE').length;
    warnings.push(
      `${recordPath}: ${ignored.length} of its ${entries.size} entries (${active} marked ACTIVE, e.g. ${ignored[0]!.id}) are not findings of that pack's signed results.json and were ignored; to archive any such finding still active in Security Hub, push without --previous (history read from Security Hub)`,
    );
  }
  return { findings, warnings };
}
