import { destinationFor, heading, paragraph, startSection, type RenderContext } from './layout.js';
import { drawTable } from './table.js';
import { pdfSafe } from './text.js';
import { COLOUR } from './theme.js';

/** The report in a framework's own numbering (CIS 1.1, 1.2, … 1.10): level, assessment, status and controls per requirement. */
export function renderFrameworkIndex(ctx: RenderContext): void {
  const { doc, view } = ctx;
  const index = view.frameworkIndex;
  if (!index) return;
  const t = index.totals;
  startSection(
    ctx,
    `${index.label} index`,
    destinationFor('framework-index'),
    `${index.name} v${index.version}: every recommendation in its own numbering, with its profile level, the benchmark's assessment status (Automated or Manual) and the status of the controls in this report that map to it.${index.assessedVersion ? ` This run was assessed against version ${index.assessedVersion}.` : ''}`,
  );
  paragraph(
    doc,
    `${t.requirements} recommendations; ${t.covered} covered (${t.automated} by an automated control); ${t.notCovered} not covered.${t.byLevel.map((l) => ` ${l.level}: ${l.count}.`).join('')}`,
    { size: 8.5 },
  );
  const linkControls = view.sections.includes('controls');
  for (const group of index.groups) {
    heading(doc, group.title, { size: 10.5, keepWith: 50 });
    drawTable(
      doc,
      [
        { header: 'Id', width: 38 },
        { header: 'Recommendation', width: 200 },
        { header: 'Level', width: 30 },
        { header: 'Assessment', width: 54 },
        { header: 'Controls', width: 115 },
        { header: 'Status', width: 58 },
      ],
      group.requirements.map((r) => [
        { text: pdfSafe(r.id), font: 'Helvetica-Bold' as const },
        pdfSafe(r.title),
        pdfSafe(r.level ?? ''),
        pdfSafe(r.assessment ?? ''),
        r.controls.length
          ? {
              text: r.controls.map((c) => pdfSafe(c.kind === 'automated' ? c.id : `${c.id} (${c.kind})`)).join('\n'),
              font: 'Courier' as const,
              size: 6.5,
              ...(linkControls && r.controls.length === 1 ? { link: destinationFor('control', r.controls[0]!.id) } : {}),
            }
          : { text: 'not covered', colour: COLOUR.muted },
        { status: r.status },
      ]),
      { fontSize: 7.5, repeatHeader: true, continuation: `${index.label}: ${group.title} (continued)` },
    );
    doc.y += 6;
  }
}
