import { destinationFor, heading, paragraph, startSection, type RenderContext } from './layout.js';
import { drawTable } from './table.js';
import { pdfSafe } from './text.js';
import { COLOUR, SECTION_TITLES } from './theme.js';
import type { RegisterEntry } from '../view-model.js';

function registerTable(ctx: RenderContext, entries: RegisterEntry[], evidenceHeader: string): void {
  const showControls = ctx.view.sections.includes('controls');
  drawTable(
    ctx.doc,
    [
      { header: 'Control', width: 170 },
      { header: 'Maps to', width: 105 },
      { header: evidenceHeader, width: 162 },
      { header: 'Status', width: 58 },
    ],
    entries.map((e) => [
      { text: pdfSafe(e.title), sub: pdfSafe(e.id), ...(showControls ? { link: destinationFor('control', e.id) } : {}) },
      { text: pdfSafe(e.mappings.join(', ')) || '-', size: 7 },
      { text: pdfSafe(e.evidence), size: 7.5 },
      { status: e.status },
    ]),
    { fontSize: 8 },
  );
}

/** The items no API call can prove: manual attestations awaited, and controls inherited from AWS with their reports. */
export function renderRegister(ctx: RenderContext): void {
  const { doc, view } = ctx;
  startSection(ctx, SECTION_TITLES.register, destinationFor('register'), 'Controls that are not decided by automated checks: manual ones need a signed attestation from the named owner; inherited ones rest on AWS third-party reports.');
  heading(doc, `Manual controls (${view.register.manual.length})`, { size: 11, keepWith: 50 });
  if (view.register.manual.length) registerTable(ctx, view.register.manual, 'Evidence');
  else paragraph(doc, 'None in this report.', { colour: COLOUR.muted });
  doc.y += 8;
  heading(doc, `Inherited controls (${view.register.inherited.length})`, { size: 11, keepWith: 50 });
  if (view.register.inherited.length) registerTable(ctx, view.register.inherited, 'Inherited evidence');
  else paragraph(doc, 'None in this report.', { colour: COLOUR.muted });
  if (view.workflow) renderExceptions(ctx, view.workflow);
}

/** The exceptions register (waivers and their state) and the attestations on file. */
function renderExceptions(ctx: RenderContext, workflow: NonNullable<RenderContext['view']['workflow']>): void {
  const { doc } = ctx;
  doc.y += 8;
  heading(doc, `Exceptions register: waivers (${workflow.waivers.length})`, { size: 11, keepWith: 50 });
  paragraph(doc, 'Approved, time-limited exceptions. A waived result keeps the status the rule gave it; an expired waiver no longer applies, and one that matches nothing is flagged.', { colour: COLOUR.muted });
  if (workflow.waivers.length) {
    drawTable(
      doc,
      [
        { header: 'Waiver / control', width: 130 },
        { header: 'State', width: 62 },
        { header: 'Results', width: 40 },
        { header: 'Approved by, validity', width: 110 },
        { header: 'Justification', width: 153 },
      ],
      workflow.waivers.map((w) => [
        { text: pdfSafe(w.id), sub: pdfSafe(w.control) },
        { text: w.state.toUpperCase(), size: 7.5 },
        { text: String(w.matched) },
        { text: pdfSafe(w.approver), sub: `${w.approved} to ${w.expires}`, size: 7.5 },
        { text: pdfSafe(w.justification), size: 7.5 },
      ]),
      { fontSize: 8 },
    );
  } else paragraph(doc, 'No waivers were given for this run.', { colour: COLOUR.muted });
  doc.y += 8;
  heading(doc, `Attestations on file (${workflow.attestations.length})`, { size: 11, keepWith: 50 });
  if (workflow.attestations.length) {
    drawTable(
      doc,
      [
        { header: 'Control', width: 130 },
        { header: 'Attested by, on', width: 120 },
        { header: 'Valid until / state', width: 75 },
        { header: 'Document (SHA-256)', width: 170 },
      ],
      workflow.attestations.map((a) => [
        { text: pdfSafe(a.control), size: 7.5 },
        { text: pdfSafe(a.by), sub: a.attestedAt.slice(0, 10), size: 7.5 },
        { text: a.expires, sub: `${a.result} · ${a.state}`, size: 7.5 },
        { text: pdfSafe(a.document.name), sub: a.document.sha256, size: 7 },
      ]),
      { fontSize: 8 },
    );
  } else paragraph(doc, 'No attestations were supplied for this run.', { colour: COLOUR.muted });
}
