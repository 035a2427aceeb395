import { destinationFor, paragraph, startSection, type RenderContext } from './layout.js';
import { drawTable } from './table.js';
import { formatCount, formatScore, pdfSafe } from './text.js';
import { COLOUR, FONT, SECTION_TITLES, SEVERITY_STYLE } from './theme.js';

/** One row per account, worst score first, with a line for the accounts left out (results.csv has them all). */
export function renderAccounts(ctx: RenderContext): void {
  const { doc, view } = ctx;
  const accounts = view.accounts;
  startSection(
    ctx,
    SECTION_TITLES.accounts,
    destinationFor('accounts'),
    accounts
      ? `${formatCount(accounts.total)} accounts, worst score first. Each row counts every resource result of the report's automated controls in that account; the score weighs each control as judged there (its worst result in the account) by severity, like the score of the whole run. Manual and inherited controls apply to the whole organisation and are not counted per account.`
      : 'The run covers a single account: the executive summary is its summary.',
  );
  if (!accounts) return;
  const showControls = view.sections.includes('controls');
  drawTable(
    doc,
    [
      { header: '#', width: 26, align: 'right' },
      { header: 'Account', width: 86 },
      { header: 'Score', width: 38, align: 'right' },
      { header: 'Results', width: 46, align: 'right' },
      { header: 'Fail', width: 40, align: 'right' },
      { header: 'Error', width: 36, align: 'right' },
      { header: 'Pass', width: 40, align: 'right' },
      { header: 'Worst failing controls', width: 183 },
    ],
    accounts.rows.map((row, i) => {
      const worst = row.worst.map((w) => `${w.id} (${SEVERITY_STYLE[w.severity].label}, ${formatCount(w.failing)})`);
      const more = row.failingControls - row.worst.length;
      return [
        String(i + 1),
        { text: pdfSafe(row.account), font: FONT.mono, size: 7.5 },
        formatScore(row.score),
        formatCount(row.results),
        formatCount(row.counts.FAIL),
        formatCount(row.counts.ERROR),
        formatCount(row.counts.PASS),
        {
          text: pdfSafe(worst.join(', ') || '-'),
          size: 7,
          ...(more > 0 ? { sub: `and ${formatCount(more)} more failing`, subFont: FONT.regular } : {}),
          ...(showControls && row.worst[0] ? { link: destinationFor('control', row.worst[0].id) } : {}),
        },
      ];
    }),
    { fontSize: 7.5, continuation: 'Accounts (continued)' },
  );
  if (accounts.omitted > 0) {
    doc.y += 4;
    paragraph(doc, `${formatCount(accounts.omitted)} more accounts — see results.csv (one row per control and resource, with its account) and results.json.`, { size: 8.5, font: FONT.bold, colour: COLOUR.accent });
  }
}
