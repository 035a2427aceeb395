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
}
