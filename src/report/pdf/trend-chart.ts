import type { Doc } from './document.js';
import { pdfSafe } from './text.js';
import { COLOUR, FONT } from './theme.js';
import { trendLayout, type TrendPoint } from '../svg-chart.js';

/**
 * The score trend as vector lines and circles, from the same geometry as the HTML report's SVG (trendLayout), so
 * both reports draw the same chart. Every point carries its value as text. Returns the height used.
 */
export function drawScoreTrend(doc: Doc, points: readonly TrendPoint[], x: number, y: number, width: number, height = 170): number {
  const layout = trendLayout(points, width, height);
  const { plot } = layout;
  for (const g of layout.gridlines) {
    doc.save().moveTo(x + plot.left, y + g.y).lineTo(x + plot.right, y + g.y).lineWidth(g.value === 0 ? 0.8 : 0.4).strokeColor(g.value === 0 ? COLOUR.muted : COLOUR.rule).stroke().restore();
    const label = String(g.value);
    doc.font(FONT.regular).fontSize(7).fillColor(COLOUR.muted);
    doc.text(label, x + plot.left - 6 - doc.widthOfString(label), y + g.y - 3, { lineBreak: false });
  }
  for (const line of layout.lines) {
    if (line.length < 2) continue;
    doc.save().moveTo(x + line[0]!.x, y + line[0]!.y);
    for (const p of line.slice(1)) doc.lineTo(x + p.x, y + p.y);
    doc.lineWidth(1.8).lineJoin('round').strokeColor(COLOUR.accent).stroke().restore();
  }
  for (const p of layout.points) {
    if (p.y === null || p.score === null) {
      doc.font(FONT.regular).fontSize(7).fillColor(COLOUR.muted);
      doc.text('n/a', x + p.x - doc.widthOfString('n/a') / 2, y + plot.bottom - 10, { lineBreak: false });
    } else {
      doc.save().circle(x + p.x, y + p.y, 3.2).fillAndStroke(COLOUR.white, COLOUR.accent).restore();
      const value = p.score.toFixed(1);
      doc.font(FONT.bold).fontSize(7.5).fillColor(COLOUR.ink);
      doc.text(value, x + p.x - doc.widthOfString(value) / 2, y + p.y - 13, { lineBreak: false });
    }
    if (p.showLabel) {
      const label = pdfSafe(p.label);
      doc.font(FONT.regular).fontSize(7).fillColor(COLOUR.muted);
      doc.text(label, x + p.x - doc.widthOfString(label) / 2, y + plot.bottom + 8, { lineBreak: false });
    }
  }
  if (points.length === 0) {
    const text = 'no runs to compare';
    doc.font(FONT.regular).fontSize(9).fillColor(COLOUR.muted);
    doc.text(text, x + (plot.left + plot.right - doc.widthOfString(text)) / 2, y + (plot.top + plot.bottom) / 2, { lineBreak: false });
  }
  return height;
}
