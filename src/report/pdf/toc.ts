import type { Doc } from './document.js';
import type { TocEntry } from './layout.js';
import { pdfSafe } from './text.js';
import { COLOUR, CONTENT_WIDTH, FONT, PAGE } from './theme.js';

const TITLE_SPACE = 44;
const LINE = { 1: 17, 2: 12.5 } as const;

/** How many lines fit on one contents page (level-2 lines are the smaller ones; level-1 take two of them). */
function linesPerPage(): number {
  return Math.floor((PAGE.height - PAGE.top - PAGE.bottom - TITLE_SPACE) / LINE[2]);
}

/** Pages to reserve for the contents, known before the sections are drawn since each entry's size is known. */
export function tocPagesNeeded(entries: { level: 1 | 2 }[]): number {
  const units = entries.reduce((n, e) => n + (e.level === 1 ? 2 : 1), 0);
  return Math.max(1, Math.ceil(units / linesPerPage()));
}

/** Fills the reserved pages: each line links to its destination and shows its page number with dot leaders. */
export function drawToc(doc: Doc, entries: TocEntry[], firstPage: number, pages: number): void {
  const perPage = linesPerPage();
  let page = 0;
  let used = 0;
  const open = (): void => {
    doc.switchToPage(firstPage + page);
    doc.font(FONT.bold).fontSize(18).fillColor(COLOUR.accent).text(page === 0 ? 'Contents' : 'Contents (continued)', PAGE.margin, PAGE.top, { lineBreak: false });
    doc.save().moveTo(PAGE.margin, PAGE.top + 26).lineTo(PAGE.margin + CONTENT_WIDTH, PAGE.top + 26).lineWidth(1.2).strokeColor(COLOUR.accent).stroke().restore();
    doc.y = PAGE.top + TITLE_SPACE;
  };
  open();
  for (const entry of entries) {
    const units = entry.level === 1 ? 2 : 1;
    if (used + units > perPage && page + 1 < pages) {
      page++;
      used = 0;
      open();
    }
    used += units;
    const level1 = entry.level === 1;
    const y = doc.y + (level1 ? 5 : 0);
    const x = PAGE.margin + (level1 ? 0 : 14);
    const size = level1 ? 10.5 : 8;
    const number = String(entry.page + 1);
    doc.font(level1 ? FONT.bold : FONT.regular).fontSize(size).fillColor(COLOUR.ink);
    const numberWidth = doc.widthOfString(number);
    let title = pdfSafe(entry.title);
    const room = CONTENT_WIDTH - (x - PAGE.margin) - numberWidth - 24;
    while (title.length > 3 && doc.widthOfString(title) > room) title = `${title.slice(0, -4)}...`;
    doc.text(title, x, y, { lineBreak: false });
    const titleEnd = x + doc.widthOfString(title) + 4;
    const numberX = PAGE.margin + CONTENT_WIDTH - numberWidth;
    doc.font(FONT.regular).fontSize(size).fillColor(COLOUR.rule);
    const dot = doc.widthOfString('.');
    const dots = Math.max(0, Math.floor((numberX - 4 - titleEnd) / dot));
    if (dots > 0) doc.text('.'.repeat(dots), titleEnd, y, { lineBreak: false });
    doc.font(level1 ? FONT.bold : FONT.regular).fontSize(size).fillColor(COLOUR.ink).text(number, numberX, y, { lineBreak: false });
    // One link over the whole line, title to page number (pdfkit cannot size links on unwrapped text).
    doc.goTo(x, y - 1, numberX + numberWidth - x, size + 3, entry.destination);
    doc.y = y + LINE[entry.level];
  }
}
