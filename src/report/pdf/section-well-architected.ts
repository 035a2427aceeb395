import { drawStatusBadge } from './badge.js';
import { ensureSpace } from './document.js';
import { destinationFor, heading, paragraph, startSection, type RenderContext } from './layout.js';
import { drawTable } from './table.js';
import { formatScore, pdfSafe } from './text.js';
import { COLOUR, CONTENT_WIDTH, FONT, PAGE, SECTION_TITLES, STATUS_STYLE } from './theme.js';
import { drawLines, wrapText } from './wrap.js';
import type { WaQuestionView } from '../view-model.js';

const COVERAGE_LETTER = { automated: 'A', manual: 'M', inherited: 'I' } as const;

function coverageText(coverage: WaQuestionView['bestPractices'][number]['coverage']): string {
  return coverage.map((c) => COVERAGE_LETTER[c]).join('+');
}

/** SEC01..SEC11 down, best practices across: each cell shows status and how it is covered (A/M/I). */
function drawMatrix(ctx: RenderContext): void {
  const { doc, view } = ctx;
  const questions = view.wellArchitected.questions;
  const maxBps = Math.max(1, ...questions.map((q) => q.bestPractices.length));
  const labelWidth = 170;
  const statusWidth = 58;
  const cellWidth = Math.min(40, (CONTENT_WIDTH - labelWidth - statusWidth) / maxBps);
  const cellHeight = 24;
  const x0 = PAGE.margin;
  ensureSpace(doc, 30 + questions.length * (cellHeight + 2));
  let y = doc.y;
  doc.font(FONT.bold).fontSize(7).fillColor(COLOUR.muted);
  doc.text('QUESTION', x0, y, { lineBreak: false });
  doc.text('OVERALL', x0 + labelWidth, y, { lineBreak: false });
  for (let i = 0; i < maxBps; i++) {
    const label = `BP${String(i + 1).padStart(2, '0')}`;
    doc.text(label, x0 + labelWidth + statusWidth + i * cellWidth + (cellWidth - 2 - doc.widthOfString(label)) / 2, y, { lineBreak: false });
  }
  y += 12;
  for (const q of questions) {
    ensureSpace(doc, cellHeight + 2);
    doc.font(FONT.bold).fontSize(8).fillColor(COLOUR.ink).text(pdfSafe(q.id), x0, y + 3, { lineBreak: false });
    doc.font(FONT.regular).fontSize(6.5).fillColor(COLOUR.muted);
    drawLines(doc, wrapText(doc, pdfSafe(q.title), labelWidth - 40, 2), x0 + 36, y + 3, 8);
    drawStatusBadge(doc, q.status, x0 + labelWidth, y + 6, { width: statusWidth - 8 });
    q.bestPractices.forEach((bp, i) => {
      const cx = x0 + labelWidth + statusWidth + i * cellWidth;
      const style = STATUS_STYLE[bp.status];
      doc.save().rect(cx, y, cellWidth - 2, cellHeight).fill(style.fill).restore();
      doc.font(FONT.bold).fontSize(5.5).fillColor(style.text);
      const label = bp.status === 'NOT_COVERED' ? '-' : style.label.slice(0, 6);
      doc.text(label, cx + (cellWidth - 2 - doc.widthOfString(label)) / 2, y + 5, { lineBreak: false });
      const cov = coverageText(bp.coverage) + (bp.previous?.newlyAutomated ? '*' : '');
      if (cov) {
        doc.font(FONT.regular).fontSize(6);
        doc.text(cov, cx + (cellWidth - 2 - doc.widthOfString(cov)) / 2, y + 14, { lineBreak: false });
      }
    });
    y += cellHeight + 2;
    doc.y = y;
  }
  doc.y = y + 6;
  const baseline = view.wellArchitected.baseline;
  paragraph(
    doc,
    `Cells: status of the best practice over the selected controls; A = automated check, M = manual attestation, I = inherited from AWS. A grey "-" cell is not covered by any control in this report.${baseline ? ` * = newly automated since run ${pdfSafe(baseline.runId)}.` : ''}`,
    { size: 7.5, colour: COLOUR.muted },
  );
}

const AUTOMATION_TEXT = { automated: 'automated', 'manual-only': 'manual only', 'inherited-only': 'inherited only', 'not-covered': 'not covered' } as const;

/** How many best practices are automated or manual only, and (with a previous pack) which moved to automated coverage. */
function drawAutomation(ctx: RenderContext): void {
  const { doc, view } = ctx;
  const { automation, baseline } = view.wellArchitected;
  if (automation) {
    paragraph(
      doc,
      `Best practices by coverage: ${automation.automated} automated, ${automation['manual-only']} manual only, ${automation['inherited-only']} inherited only, ${automation['not-covered']} not covered.`,
      { size: 8.5 },
    );
  }
  if (!baseline) return;
  heading(doc, `Moved to automated coverage since run ${baseline.runId}`, { size: 10, keepWith: 40 });
  const rows = [
    ...baseline.newlyAutomated.map((m) => [{ text: m.id, font: 'Helvetica-Bold' as const }, pdfSafe(m.title), AUTOMATION_TEXT[m.before], AUTOMATION_TEXT[m.after]]),
    ...baseline.noLongerAutomated.map((m) => [{ text: m.id, font: 'Helvetica-Bold' as const }, pdfSafe(m.title), AUTOMATION_TEXT[m.before], `${AUTOMATION_TEXT[m.after]} (no longer automated)`]),
  ];
  if (rows.length === 0) {
    paragraph(doc, 'No best practice moved to automated coverage.', { colour: COLOUR.muted });
    return;
  }
  drawTable(
    doc,
    [
      { header: 'Best practice', width: 70 },
      { header: 'Title', width: 235 },
      { header: 'Before', width: 90 },
      { header: 'Now', width: 100 },
    ],
    rows,
    { fontSize: 7.5 },
  );
  doc.y += 6;
}

/** Well-Architected security pillar: the matrix, then each question's best practices and the controls behind them. */
export function renderWellArchitected(ctx: RenderContext): void {
  const { doc, view } = ctx;
  startSection(ctx, SECTION_TITLES['well-architected'], destinationFor('well-architected'), `AWS Well-Architected Framework, security pillar (${view.wellArchitected.version}): coverage and status of every best practice.`);
  drawMatrix(ctx);
  drawAutomation(ctx);
  const showControls = view.sections.includes('controls');
  for (const q of view.wellArchitected.questions) {
    heading(doc, `${q.id}  ${q.title}`, { size: 10, keepWith: 90 });
    const y = doc.y;
    drawStatusBadge(doc, q.status, PAGE.margin, y);
    doc.font(FONT.regular).fontSize(8).fillColor(COLOUR.muted).text(`score ${formatScore(q.score)}`, PAGE.margin + 64, y + 1.5, { lineBreak: false });
    doc.y = y + 16;
    drawTable(
      doc,
      [
        { header: 'Best practice', width: 70 },
        { header: 'Title', width: 190 },
        { header: 'Coverage', width: 70 },
        { header: 'Controls', width: 107 },
        { header: 'Status', width: 58 },
      ],
      q.bestPractices.map((bp) => [
        { text: bp.id, font: 'Helvetica-Bold' as const, ...(bp.formerIds?.length ? { sub: `formerly ${bp.formerIds.join(', ')}` } : {}) },
        pdfSafe(bp.title),
        (bp.coverage.length ? bp.coverage.join(', ') : 'not covered') + (bp.previous?.newlyAutomated ? ` (newly automated; was ${AUTOMATION_TEXT[bp.previous.automation]})` : ''),
        bp.controls.length
          ? { text: pdfSafe(bp.controls.join(' ')), font: 'Courier' as const, size: 6.5, ...(showControls && bp.controls.length === 1 ? { link: destinationFor('control', bp.controls[0]) } : {}) }
          : { text: '-', colour: COLOUR.muted },
        { status: bp.status },
      ]),
      { fontSize: 7.5 },
    );
    doc.y += 6;
  }
}
