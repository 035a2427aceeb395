import { CATEGORY_TEXT, RESULT_CATEGORIES, type ResultChange } from '../../diff/types.js';
import { trendPoints } from '../svg-chart.js';
import { ensureSpace } from './document.js';
import { destinationFor, heading, keyValues, paragraph, startSection, type RenderContext } from './layout.js';
import { drawTable, type Cell } from './table.js';
import { formatCount, formatScore, formatTime, pdfSafe } from './text.js';
import { COLOUR, CONTENT_WIDTH, PAGE } from './theme.js';
import { drawScoreTrend } from './trend-chart.js';

export const CHANGES_TITLE = 'Change since the previous run';

/** Rows listed per category; the rest are counted (the full lists are in `auditpack diff --json` and the HTML report). */
export const CHANGES_SHOWN = 100;

function statusCell(status: ResultChange['before']): Cell {
  return status ? { status } : { text: 'absent', colour: COLOUR.muted, size: 7 };
}

function changeTable(ctx: RenderContext, items: ResultChange[], title: string): void {
  const detailed = new Set(ctx.view.sections.includes('controls') ? ctx.view.controls.map((c) => c.id) : []);
  drawTable(
    ctx.doc,
    [
      { header: 'Control', width: 118 },
      { header: 'Resource', width: 168 },
      { header: 'Before', width: 56 },
      { header: 'Now', width: 56 },
      { header: 'Message', width: CONTENT_WIDTH - 398 },
    ],
    items.slice(0, CHANGES_SHOWN).map((c) => [
      { text: pdfSafe(c.controlTitle), sub: pdfSafe(c.control), size: 7.5, ...(detailed.has(c.control) ? { link: destinationFor('control', c.control) } : {}) },
      { text: pdfSafe(c.resourceId), sub: pdfSafe(`${c.account} ${c.region}`), size: 7 },
      statusCell(c.before),
      statusCell(c.after),
      { text: pdfSafe(c.message), size: 7, ...(c.waiver ? { sub: pdfSafe(`waiver ${c.waiver.id}, expires ${c.waiver.expires}`) } : {}) },
    ]),
    { fontSize: 7.5, continuation: `${title} (continued)` },
  );
  if (items.length > CHANGES_SHOWN) {
    paragraph(ctx.doc, `... and ${formatCount(items.length - CHANGES_SHOWN)} more, not listed here; see the HTML report or \`auditpack diff --json\`.`, { size: 8, colour: COLOUR.muted });
  }
}

function renderDiff(ctx: RenderContext): void {
  const { doc } = ctx;
  const diff = ctx.view.changes?.diff;
  if (!diff) {
    paragraph(doc, 'No previous pack given, so there is nothing to compare with.', { colour: COLOUR.muted });
    return;
  }
  keyValues(doc, [
    { key: 'Previous run', value: `${diff.old.runId} (${formatTime(diff.old.startedAt)})`, mono: true },
    { key: 'This run', value: `${diff.new.runId} (${formatTime(diff.new.startedAt)})`, mono: true },
    { key: 'Score', value: `${formatScore(diff.score.before)} -> ${formatScore(diff.score.after)}${diff.score.delta === null ? '' : ` (${diff.score.delta > 0 ? '+' : ''}${diff.score.delta.toFixed(1)} points)`}` },
  ]);
  doc.y += 6;
  paragraph(doc, 'Per control and resource (control, account, region, resource id). A result can be in more than one list: a PASS that now fails is both a regression and a new failure.', { size: 8, colour: COLOUR.muted });
  drawTable(
    doc,
    [
      { header: 'Change', width: 110 },
      { header: 'Meaning', width: CONTENT_WIDTH - 170 },
      { header: 'Results', width: 60, align: 'right' },
    ],
    [
      ...RESULT_CATEGORIES.map((k): Cell[] => [{ text: CATEGORY_TEXT[k].title, size: 8 }, { text: CATEGORY_TEXT[k].definition, size: 7.5 }, formatCount(diff[k].length)]),
      [{ text: 'Controls added / removed', size: 8 }, { text: 'In only one of the two runs; their results are not compared.', size: 7.5 }, `${diff.controlsAdded.length} / ${diff.controlsRemoved.length}`],
      [{ text: 'Stale evidence', size: 8 }, { text: diff.evidenceChecked ? `Evidence files collected more than ${diff.staleAfterDays} days before this run.` : 'Not checked: no manifest given.', size: 7.5 }, formatCount(diff.staleEvidence.length)],
    ],
  );
  for (const k of RESULT_CATEGORIES) {
    const items = diff[k];
    if (!items.length) continue;
    heading(doc, `${CATEGORY_TEXT[k].title} (${formatCount(items.length)})`, { size: 10.5, keepWith: 50 });
    changeTable(ctx, items, CATEGORY_TEXT[k].title);
  }
  const controls = [...diff.controlsAdded.map((c) => ({ c, change: 'added' })), ...diff.controlsRemoved.map((c) => ({ c, change: 'removed' }))];
  if (controls.length) {
    heading(doc, `Controls added or removed (${controls.length})`, { size: 10.5, keepWith: 50 });
    drawTable(
      doc,
      [
        { header: 'Control', width: CONTENT_WIDTH - 190 },
        { header: 'Change', width: 70 },
        { header: 'Severity', width: 60 },
        { header: 'Status', width: 60 },
      ],
      controls.map(({ c, change }): Cell[] => [{ text: pdfSafe(c.title), sub: pdfSafe(c.id), size: 7.5 }, change, { severity: c.severity }, { status: c.status }]),
      { fontSize: 7.5 },
    );
  }
  if (diff.staleEvidence.length) {
    heading(doc, `Stale evidence (${formatCount(diff.staleEvidence.length)})`, { size: 10.5, keepWith: 50 });
    drawTable(
      doc,
      [
        { header: 'File and SHA-256', width: CONTENT_WIDTH - 160 },
        { header: 'Collected', width: 100 },
        { header: 'Age (days)', width: 60, align: 'right' },
      ],
      diff.staleEvidence.slice(0, CHANGES_SHOWN).map((f): Cell[] => [{ text: pdfSafe(f.path), sub: f.sha256, size: 7 }, { text: formatTime(f.collectedAt), size: 7 }, f.ageDays === null ? 'unknown' : formatCount(f.ageDays)]),
      { fontSize: 7.5, continuation: 'Stale evidence (continued)' },
    );
  }
}

function renderTrend(ctx: RenderContext): void {
  const { doc } = ctx;
  const trend = ctx.view.changes?.trend ?? [];
  heading(doc, 'Score trend', { size: 11, keepWith: 190 });
  if (!trend.length) {
    paragraph(doc, 'No earlier packs given: the trend needs a previous pack or a history directory.', { colour: COLOUR.muted });
    return;
  }
  paragraph(doc, 'Security score (0-100) of each run given, oldest first.', { size: 8, colour: COLOUR.muted });
  ensureSpace(doc, 175);
  doc.y += drawScoreTrend(doc, trendPoints(trend), PAGE.margin, doc.y, CONTENT_WIDTH) + 6;
  drawTable(
    doc,
    [
      { header: 'Run', width: 190 },
      { header: 'Started', width: 125 },
      { header: 'Score', width: 70, align: 'right' },
      { header: 'Failing controls', width: CONTENT_WIDTH - 385, align: 'right' },
    ],
    trend.map((p): Cell[] => [{ text: pdfSafe(p.runId), size: 7.5 }, formatTime(p.startedAt), formatScore(p.score), formatCount(p.byStatus.FAIL + p.byStatus.ERROR)]),
    { fontSize: 7.5, continuation: 'Score trend (continued)' },
  );
}

/** What changed since the previous pack (new failures, fixes, regressions, waivers, stale evidence) and the score trend. */
export function renderChanges(ctx: RenderContext): void {
  startSection(ctx, CHANGES_TITLE, destinationFor('changes'));
  if (!ctx.view.changes) {
    paragraph(ctx.doc, 'No previous pack given, so there is nothing to compare with and no score trend.', { colour: COLOUR.muted });
    return;
  }
  renderDiff(ctx);
  ctx.doc.y += 8;
  renderTrend(ctx);
}
