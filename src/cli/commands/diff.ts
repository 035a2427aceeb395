import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DEFAULT_STALE_AFTER_DAYS } from '../../core/defaults.js';
import type { AssessedPack } from '../../diff/pack-input.js';
import { oneLine, printable } from '../../core/text.js';
import { trustFrom, trustOptions, type TrustFlags } from '../trust.js';
import { CATEGORY_TEXT, RESULT_CATEGORIES, type HistoryPoint, type PackDiff, type ResultChange } from '../../diff/types.js';

interface DiffFlags {
  json?: boolean;
  staleAfterDays: number;
  history?: string;
}

function days(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${value}" is not a whole number of days (fix: e.g. --stale-after-days 90)`);
  return n;
}

const score = (s: number | null): string => (s === null ? 'n/a' : s.toFixed(1));

/** Who vouches for a pack being compared: the reader must see an unsigned or unpinned side at once. */
function originOf(pack: AssessedPack): string {
  switch (pack.authenticity) {
    case 'pinned':
      return `signed by the pinned key ${pack.signerFingerprint ?? ''}`;
    case 'unsigned':
      return 'UNSIGNED: anyone who could write it could have changed it';
    default:
      return `signed by ${pack.signerFingerprint ?? 'an unknown key'}, NOT checked against a key you trust (pass --public-key)`;
  }
}

function line(c: ResultChange): string {
  const waiver = c.waiver ? ` [waiver ${c.waiver.id}, expires ${c.waiver.expires}]` : '';
  return `  ${c.control}  ${c.account} ${c.region}  ${c.resourceId}  ${c.before ?? 'absent'} -> ${c.after ?? 'absent'}  ${c.message}${waiver}`;
}

/** The human summary: counts first, then every list (stdout is for a reader or a pager; --json for machines). */
export function formatDiff(diff: PackDiff, trend?: HistoryPoint[]): string {
  const out: string[] = [];
  const delta = diff.score.delta === null ? '' : ` (${diff.score.delta > 0 ? '+' : ''}${diff.score.delta.toFixed(1)})`;
  out.push(`old: ${diff.old.runId} started ${diff.old.startedAt}`, `new: ${diff.new.runId} started ${diff.new.startedAt}`, `score: ${score(diff.score.before)} -> ${score(diff.score.after)}${delta}`, '');
  for (const k of RESULT_CATEGORIES) out.push(`${CATEGORY_TEXT[k].title.padEnd(20)}${String(diff[k].length).padStart(6)}`);
  out.push(`${'Controls added'.padEnd(20)}${String(diff.controlsAdded.length).padStart(6)}`, `${'Controls removed'.padEnd(20)}${String(diff.controlsRemoved.length).padStart(6)}`);
  out.push(`${'Stale evidence'.padEnd(20)}${String(diff.staleEvidence.length).padStart(6)}  (older than ${diff.staleAfterDays} days)`);
  for (const k of RESULT_CATEGORIES) {
    if (!diff[k].length) continue;
    out.push('', `${CATEGORY_TEXT[k].title} (${diff[k].length}): ${CATEGORY_TEXT[k].definition}`, ...diff[k].map(line));
  }
  for (const [title, list] of [['Controls added', diff.controlsAdded], ['Controls removed', diff.controlsRemoved]] as const) {
    if (list.length) out.push('', `${title} (${list.length}):`, ...list.map((c) => `  ${c.id}  ${c.severity}  ${c.status}  ${c.title}`));
  }
  if (diff.staleEvidence.length) {
    out.push('', `Stale evidence (${diff.staleEvidence.length}):`, ...diff.staleEvidence.map((f) => `  ${f.path}  collected ${f.collectedAt}  ${f.ageDays === null ? 'age unknown' : `${f.ageDays} days`}`));
  }
  if (trend) {
    out.push('', `Score trend (${trend.length} runs):`, ...trend.map((p) => `  ${p.startedAt}  ${p.runId}  ${score(p.score)}`));
  }
  return `${out.map(printable).join('\n')}\n`;
}

export function registerDiffCommand(program: Command): void {
  const command = program
    .command('diff')
    .description('what changed between two assessed packs: new failures, fixed, regressed, waivers, new/removed resources, stale evidence')
    .argument('<old-pack>', 'the earlier evidence pack directory (or s3://bucket/prefix/run-id)')
    .argument('<new-pack>', 'the later evidence pack directory (or s3://bucket/prefix/run-id)')
    .option('--json', 'print the diff as JSON')
    .option('--stale-after-days <n>', 'evidence older than this, relative to the new run, is stale', days, DEFAULT_STALE_AFTER_DAYS)
    .option('--history <dir>', 'also show the score trend over every pack in this directory (e.g. out/)');
  trustOptions(command, 'compare').action(async (oldPack: string, newPack: string, flags: DiffFlags & TrustFlags) => {
      const trust = await trustFrom(flags);
      const [{ diffResults }, { loadHistory }, { readAssessedPack }] = await Promise.all([import('../../diff/diff.js'), import('../../diff/history.js'), import('../../diff/pack-input.js')]);
      const { withOptionalPackInput, withPackInput } = await import('../../store/location.js');
      // s3:// packs (and an s3:// --history prefix) are read into private copies, then verified like local ones.
      const before = await withPackInput(oldPack, 'compare', (dir) => readAssessedPack(dir, trust));
      const after = await withPackInput(newPack, 'compare', (dir) => readAssessedPack(dir, trust));
      const diff = diffResults(before.results, after.results, { staleAfterDays: flags.staleAfterDays, newManifest: after.manifest });
      const history = await withOptionalPackInput(flags.history, 'chart the history of', async (dir) => (dir ? loadHistory(dir, trust) : undefined));
      for (const w of history?.warnings ?? []) process.stderr.write(`warning: ${oneLine(w)}\n`);
      const authenticity = { old: originOf(before), new: originOf(after) };
      if (flags.json) await (await import('../json-out.js')).printJson({ ...diff, authenticity, ...(history ? { trend: history.points } : {}) });
      else process.stdout.write(`old pack: ${authenticity.old}\nnew pack: ${authenticity.new}\n${formatDiff(diff, history?.points)}`);
    });
}
