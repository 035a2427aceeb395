import type { Doc } from './document.js';
import type { ReportMeta } from '../view-model.js';
import { pdfSafe } from './text.js';
import { COLOUR, CONTENT_WIDTH, FONT, PAGE } from './theme.js';

/**
 * Header and footer on every page but the cover (`unframed`), drawn once all pages exist so the footer can say "Page n of N".
 * The bottom margin is lifted while drawing so pdfkit does not treat the footer as overflow.
 */
export function drawPageFrames(doc: Doc, meta: ReportMeta, unframed: ReadonlySet<number>): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  const left = PAGE.margin;
  const right = PAGE.margin + CONTENT_WIDTH;
  const title = pdfSafe(`${meta.title} - ${meta.organisation}`);
  const run = pdfSafe(`Run ${meta.runId}`);
  const digest = pdfSafe(`Manifest SHA-256 ${meta.manifestSha256}`);
  for (let i = range.start; i < range.start + total; i++) {
    if (unframed.has(i)) continue;
    doc.switchToPage(i);
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, top: 0, bottom: 0 };

    doc.font(FONT.bold).fontSize(7.5).fillColor(COLOUR.accent).text(title, left, 34, { lineBreak: false });
    doc.font(FONT.regular).fontSize(7.5).fillColor(COLOUR.muted);
    doc.text(run, right - doc.widthOfString(run), 34, { lineBreak: false });
    doc.save().moveTo(left, 46).lineTo(right, 46).lineWidth(0.5).strokeColor(COLOUR.rule).stroke().restore();

    const footerY = PAGE.height - 40;
    doc.save().moveTo(left, footerY - 6).lineTo(right, footerY - 6).lineWidth(0.5).strokeColor(COLOUR.rule).stroke().restore();
    doc.font(FONT.mono).fontSize(6).fillColor(COLOUR.muted).text(digest, left, footerY, { lineBreak: false });
    const page = `Page ${i + 1} of ${total}`;
    doc.font(FONT.bold).fontSize(7.5).fillColor(COLOUR.ink);
    doc.text(page, right - doc.widthOfString(page), footerY - 1, { lineBreak: false });
    doc.font(FONT.regular).fontSize(6.5).fillColor(COLOUR.muted).text(pdfSafe(`Confidential - prepared for ${meta.organisation}`), left, footerY + 9, { lineBreak: false });

    doc.page.margins = margins;
  }
}
