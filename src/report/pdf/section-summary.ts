import { drawStackedBars, drawStatusDonut } from './chart.js';
import { ensureSpace } from './document.js';
import { heading, paragraph, startSection, destinationFor, type RenderContext } from './layout.js';
import { drawTable } from './table.js';
import { formatCount, formatScore, pdfSafe } from './text.js';
import { COLOUR, CONTENT_WIDTH, FONT, PAGE, SECTION_TITLES, SEVERITY_STYLE } from './theme.js';

/** Executive summary: score, status shares (vector charts), status by severity and the top risks. */
export function renderSummary(ctx: RenderContext): void {
  const { doc, view } = ctx;
  const { summary, meta } = view;
  startSection(ctx, SECTION_TITLES.summary, destinationFor('summary'));
  const failing = summary.controlCounts.filter((c) => c.status === 'FAIL' || c.status === 'ERROR').reduce((n, c) => n + c.count, 0);
  paragraph(
    doc,
    `${formatCount(summary.totalControls)} controls were assessed against ${formatCount(summary.totalResults)} resource results in ` +
      `${meta.accounts.length} AWS account(s) and ${meta.regions.length} region(s) for the period ${meta.period.from} to ${meta.period.to}. ` +
      `${formatCount(failing)} control(s) failed or could not be evaluated. ` +
      (summary.score === null ? 'No score could be computed.' : `The severity-weighted compliance score is ${formatScore(summary.score)} out of 100.`),
    { size: 9.5 },
  );
  doc.y += 6;
  renderRefusals(ctx);

  ensureSpace(doc, 130);
  heading(doc, 'Status at a glance', { keepWith: 110 });
  const top = doc.y + 4;
  doc.font(FONT.bold).fontSize(8).fillColor(COLOUR.muted).text('CONTROLS BY STATUS', PAGE.margin, top, { lineBreak: false });
  doc.text('RESOURCE RESULTS BY STATUS', PAGE.margin + CONTENT_WIDTH / 2 + 5, top, { lineBreak: false });
  const h1 = drawStatusDonut(doc, summary.controlCounts, PAGE.margin, top + 16, { radius: 44, caption: 'controls' });
  const h2 = drawStatusDonut(doc, summary.resultCounts, PAGE.margin + CONTENT_WIDTH / 2 + 5, top + 16, { radius: 44, caption: 'results' });
  doc.y = top + 16 + Math.max(h1, h2) + 14;

  heading(doc, 'Controls by severity', { keepWith: 110 });
  paragraph(doc, 'Share of controls in each status per severity; the score on the right is the compliance score of that severity.', { size: 8, colour: COLOUR.muted });
  const rows = summary.bySeverity.map((s) => {
    const total = Object.values(s.counts).reduce((n, c) => n + c, 0);
    return { label: `${SEVERITY_STYLE[s.severity].label} (${total})`, counts: s.counts, note: `score ${formatScore(s.score)}` };
  });
  ensureSpace(doc, rows.length * 19 + 10);
  doc.y += drawStackedBars(doc, rows, PAGE.margin, doc.y + 2, CONTENT_WIDTH) + 10;

  heading(doc, 'Top risks', { keepWith: 60 });
  if (summary.topRisks.length === 0) {
    paragraph(doc, 'No control failed or was in error.');
    return;
  }
  paragraph(doc, 'Failing or erroring controls, worst severity first, then by number of failing resources. Control ids link to their detail pages.', { size: 8, colour: COLOUR.muted });
  const showControls = view.sections.includes('controls');
  drawTable(
    doc,
    [
      { header: '#', width: 22, align: 'right' },
      { header: 'Control', width: 263 },
      { header: 'Severity', width: 62 },
      { header: 'Status', width: 58 },
      { header: 'Failing / total', width: 90, align: 'right' },
    ],
    summary.topRisks.map((r, i) => [
      String(i + 1),
      { text: pdfSafe(r.title), sub: pdfSafe(r.id), ...(showControls ? { link: destinationFor('control', r.id) } : {}) },
      { severity: r.severity },
      { status: r.status },
      `${formatCount(r.failing)} / ${formatCount(r.total)}`,
    ]),
  );
}

/** Whole regions or services that refused the auditor: once here, where each control in ERROR gives the reason again. */
function renderRefusals(ctx: RenderContext): void {
  const { doc, view } = ctx;
  const refusals = view.refusals ?? [];
  if (refusals.length === 0) return;
  const total = view.refusalsTotal ?? refusals.length;
  heading(doc, `Refused scopes (${formatCount(total)})`, { keepWith: 60 });
  if (total > refusals.length) paragraph(doc, `Showing ${formatCount(refusals.length)} of ${formatCount(total)} refused scopes; results.json (summary.refusals) lists them all.`, { size: 8.5, font: FONT.bold, colour: COLOUR.accent });
  paragraph(
    doc,
    'Whole regions or services that refused the auditor: an explicit deny in a service control policy, a region that is not enabled, a service the account is not subscribed to. The controls listed are ERROR there with this reason; it is stated here once.',
    { size: 8, colour: COLOUR.muted },
  );
  drawTable(
    doc,
    [
      { header: 'Account', width: 78 },
      { header: 'Region / service', width: 88 },
      { header: 'Cause', width: 92 },
      { header: 'Runs', width: 34, align: 'right' },
      { header: 'Controls in ERROR', width: 95 },
      { header: 'Fix', width: 108 },
    ],
    refusals.map((r) => [
      { text: pdfSafe(r.account), font: FONT.mono },
      { text: pdfSafe(r.region), sub: pdfSafe(r.service ?? 'all services') },
      pdfSafe(r.causeText),
      formatCount(r.collectors.length),
      { text: formatCount(r.controls.length), sub: pdfSafe(r.controls.join(', ')) },
      pdfSafe(r.fix),
    ]),
  );
  doc.y += 8;
}
