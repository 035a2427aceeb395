import { destinationFor, heading, paragraph, startSection, type RenderContext } from './layout.js';
import { drawTable } from './table.js';
import { pdfSafe } from './text.js';
import { COLOUR, SECTION_TITLES } from './theme.js';

const KIND_LABEL = { automated: 'automated', manual: 'manual', inherited: 'inherited' } as const;

/** Shared-responsibility matrix, grouped AWS / shared / customer, with the controls that cover each item. */
export function renderSharedResponsibility(ctx: RenderContext): void {
  const { doc, view } = ctx;
  startSection(
    ctx,
    SECTION_TITLES['shared-responsibility'],
    destinationFor('shared-responsibility'),
    `AWS shared-responsibility model (${view.sharedResponsibility.version}): which party owns each item, its status and the automated, manual or inherited controls that cover it.`,
  );
  const order = ['aws', 'shared', 'customer'] as const;
  const owners = [...view.sharedResponsibility.owners].sort((a, b) => order.indexOf(a.owner) - order.indexOf(b.owner));
  for (const group of owners) {
    heading(doc, `${group.label} (${group.items.length} item${group.items.length === 1 ? '' : 's'})`, { size: 11, keepWith: 60 });
    if (group.items.length === 0) {
      paragraph(doc, 'No items.', { colour: COLOUR.muted });
      continue;
    }
    drawTable(
      doc,
      [
        { header: 'Item', width: 190 },
        { header: 'Covered by', width: 247 },
        { header: 'Status', width: 58 },
      ],
      group.items.map((item) => [
        { text: pdfSafe(item.title), sub: pdfSafe(item.id) },
        item.coveredBy.length
          ? { text: item.coveredBy.map((c) => pdfSafe(`${c.id} (${KIND_LABEL[c.kind]}, ${c.status.toLowerCase().replace('_', ' ')})`)).join('\n'), size: 7 }
          : { text: 'no control in this report', colour: COLOUR.muted },
        { status: item.status },
      ]),
      { fontSize: 8 },
    );
    doc.y += 8;
  }
}
