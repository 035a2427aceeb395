import { drawSeverityBadge, drawStatusBadge, drawLabel } from './badge.js';
import { ensureSpace } from './document.js';
import { codeBlock, destinationFor, heading, keyValues, markDestination, paragraph, startSection, type RenderContext } from './layout.js';
import { drawTable } from './table.js';
import { formatBytes, formatCount, formatTime, pdfSafe } from './text.js';
import { COLOUR, CONTENT_WIDTH, FONT, PAGE, SECTION_TITLES } from './theme.js';
import { drawLines, wrapText } from './wrap.js';
import { STATUSES } from '../../core/types.js';
import type { ControlView } from '../view-model.js';

const RESPONSIBILITY = { customer: 'Customer', shared: 'Shared', aws: 'AWS' } as const;

/** Every result of the control: the rows listed plus those the view left out (counts cover them all). */
function resultTotal(control: ControlView): number {
  return control.results.length + (control.omittedResults ?? 0);
}

/** The sentence both reports give when a control's table was capped. */
export function cappedText(control: ControlView): string {
  return `Showing ${formatCount(control.results.length)} of ${formatCount(resultTotal(control))} results (errors and failures first); the full list is in results.csv and results.json.`;
}

function countsText(control: ControlView): string {
  const parts = STATUSES.filter((s) => control.counts[s] > 0).map((s) => `${formatCount(control.counts[s])} ${s.toLowerCase().replace('_', ' ')}`);
  return parts.length ? parts.join(', ') : 'no resource results';
}

function drawControlHeader(ctx: RenderContext, control: ControlView): void {
  const { doc } = ctx;
  doc.addPage();
  markDestination(ctx, `${control.id}  ${control.title}`, 2, destinationFor('control', control.id));
  const top = doc.y;
  doc.font(FONT.bold).fontSize(14).fillColor(COLOUR.ink);
  const lines = wrapText(doc, pdfSafe(control.title), CONTENT_WIDTH - 80, 3);
  let y = drawLines(doc, lines, PAGE.margin, top, 17);
  drawStatusBadge(doc, control.status, PAGE.margin + CONTENT_WIDTH - 70, top, { width: 70, height: 16, size: 8.5 });
  doc.font(FONT.mono).fontSize(8.5).fillColor(COLOUR.muted).text(pdfSafe(control.id), PAGE.margin, y + 1, { lineBreak: false });
  y += 16;
  let x = PAGE.margin;
  x += drawSeverityBadge(doc, control.severity, x, y, { width: 62 }) + 5;
  x += drawLabel(doc, control.kind.toUpperCase(), COLOUR.accentLight, COLOUR.accent, x, y, { width: 62 }) + 5;
  x += drawLabel(doc, `${RESPONSIBILITY[control.responsibility].toUpperCase()} RESPONSIBILITY`, COLOUR.accentLight, COLOUR.accent, x, y) + 10;
  doc.font(FONT.regular).fontSize(8).fillColor(COLOUR.muted).text(`${formatCount(resultTotal(control))} results: ${countsText(control)}`, x, y + 1.5, { lineBreak: false });
  doc.y = y + 18;
  doc.save().moveTo(PAGE.margin, doc.y).lineTo(PAGE.margin + CONTENT_WIDTH, doc.y).lineWidth(0.6).strokeColor(COLOUR.rule).stroke().restore();
  doc.y += 8;
}

function drawResults(ctx: RenderContext, control: ControlView): void {
  const { doc } = ctx;
  if (control.results.length === 0) return;
  heading(doc, 'Resource results', { size: 10 });
  const omitted = control.omittedResults ?? 0;
  if (omitted > 0) paragraph(doc, cappedText(control), { size: 8, colour: COLOUR.accent, font: FONT.bold });
  drawTable(
    doc,
    [
      { header: 'Status', width: 52 },
      { header: 'Resource', width: 168 },
      { header: 'Account / region', width: 78 },
      { header: 'Reason', width: 162 },
      { header: 'Evid.', width: 35 },
    ],
    control.results.map((r) => [
      { status: r.status },
      { text: pdfSafe(r.resourceId), font: FONT.mono, size: 6.5, sub: pdfSafe(r.resourceType), subFont: FONT.regular },
      { text: pdfSafe(r.account), size: 7, sub: pdfSafe(r.region), subFont: FONT.regular },
      { text: pdfSafe(r.message), size: 7.5 },
      { text: r.evidence.map((i) => `E${i + 1}`).join(' '), size: 7 },
    ]),
    { fontSize: 7.5, continuation: pdfSafe(`${control.id}: resource results (continued)`) },
  );
  if (omitted > 0) {
    doc.y += 3;
    paragraph(doc, `... and ${formatCount(omitted)} more results, not listed here; see results.csv and results.json.`, { size: 8, font: FONT.italic, colour: COLOUR.muted });
  }
  doc.y += 4;
}

function drawEvidence(ctx: RenderContext, control: ControlView): void {
  const { doc } = ctx;
  if (control.evidenceFiles.length === 0) return;
  heading(doc, 'Evidence used', { size: 10 });
  if (control.totalEvidenceFiles)
    paragraph(doc, `The ${formatCount(control.evidenceFiles.length)} files the rows above cite, of ${formatCount(control.totalEvidenceFiles)} this control used; manifest.json lists every file.`, { size: 8, colour: COLOUR.muted });
  drawTable(
    doc,
    [
      { header: 'Ref', width: 30 },
      { header: 'File and SHA-256', width: 315 },
      { header: 'Bytes', width: 55, align: 'right' },
      { header: 'Collected', width: 95 },
    ],
    control.evidenceFiles.map((f, i) => [
      { text: `E${i + 1}`, font: FONT.bold },
      { text: pdfSafe(f.path), size: 7.5, sub: f.sha256 },
      { text: formatBytes(f.bytes), size: 7.5 },
      { text: f.collectedAt ? formatTime(f.collectedAt) : 'not recorded', size: 7.5, ...(f.collectedAt ? {} : { colour: COLOUR.muted }) },
    ]),
    { fontSize: 7.5, continuation: pdfSafe(`${control.id}: evidence used (continued)`) },
  );
  doc.y += 4;
}

function drawRemediation(ctx: RenderContext, control: ControlView): void {
  const { doc } = ctx;
  heading(doc, control.kind === 'automated' ? 'Remediation' : 'What to do', { size: 10 });
  paragraph(doc, control.remediation.text, { size: 8.5 });
  if (control.remediation.cli) codeBlock(doc, control.remediation.cli);
  if (control.remediation.url) paragraph(doc, `Reference: ${control.remediation.url}`, { size: 7.5, colour: COLOUR.accent });
}

function drawControl(ctx: RenderContext, control: ControlView): void {
  const { doc } = ctx;
  drawControlHeader(ctx, control);
  paragraph(doc, control.description, { size: 9 });
  // Where the evidence came from and how old it was (the same sentence as the HTML report; paragraph applies pdfSafe).
  if (control.evidenceProvenance) paragraph(doc, control.evidenceProvenance.text, { size: 8, colour: control.evidenceProvenance.mixed ? COLOUR.accent : COLOUR.muted });
  if (control.rationale) {
    heading(doc, 'Rationale', { size: 10 });
    paragraph(doc, control.rationale, { size: 8.5 });
  }
  if (control.mappings.length) {
    heading(doc, 'Framework mappings', { size: 10 });
    keyValues(doc, control.mappings.map((m) => ({ key: m.label, value: m.ids.join(', '), mono: true })), { size: 8, keyWidth: 120 });
    doc.y += 4;
  }
  if (control.params.length) {
    heading(doc, 'Parameters', { size: 10 });
    keyValues(doc, control.params.map((p) => ({ key: p.name, value: p.value, mono: true })), { size: 8, keyWidth: 160 });
    doc.y += 4;
  }
  if (control.inherited) {
    heading(doc, 'Inherited from', { size: 10 });
    paragraph(doc, control.inherited.source, { size: 8.5 });
    for (const report of control.inherited.reports) {
      ensureSpace(doc, 24);
      paragraph(doc, `${report.name}${report.period ? ` (${report.period})` : ''}${report.sha256 ? `  sha256 ${report.sha256}` : ''}`, { size: 8, indent: 10 });
    }
  }
  drawResults(ctx, control);
  drawEvidence(ctx, control);
  drawRemediation(ctx, control);
}

/** One detail page (or more) per control, in the view's order. */
export function renderControls(ctx: RenderContext): void {
  const { doc, view } = ctx;
  startSection(
    ctx,
    SECTION_TITLES.controls,
    destinationFor('controls'),
    `${formatCount(view.controls.length)} controls follow, one per page: what each checks and why, where it maps, ` +
      (view.limits
        ? `the resources it judged with the reason (at most ${formatCount(view.limits.resultsPerControl)} per control, errors and failures first; results.csv and results.json list every one), `
        : 'every resource it judged with the reason, ') +
      'where its evidence came from and how old the oldest was, the evidence files those rows cite (with their SHA-256 and collection time) and how to remediate.',
  );
  drawTable(
    doc,
    [
      { header: 'Control', width: 317 },
      { header: 'Severity', width: 62 },
      { header: 'Kind', width: 58 },
      { header: 'Status', width: 58 },
    ],
    view.controls.map((c) => [{ text: pdfSafe(c.title), sub: pdfSafe(c.id), link: destinationFor('control', c.id) }, { severity: c.severity }, c.kind, { status: c.status }]),
    { fontSize: 7.5 },
  );
  for (const control of view.controls) drawControl(ctx, control);
}
