import type { Doc } from './document.js';
import type { StatusCount } from '../view-model.js';
import { drawStatusBadge } from './badge.js';
import { formatCount } from './text.js';
import { COLOUR, FONT, STATUS_STYLE } from './theme.js';
import { STATUSES, type Status } from '../../core/types.js';

function point(cx: number, cy: number, r: number, angle: number): [number, number] {
  return [cx + r * Math.sin(angle), cy - r * Math.cos(angle)];
}

const fixed = (n: number): string => n.toFixed(3);

/**
 * A donut of status shares drawn as vector paths (SVG arc commands through pdfkit), with the total in the middle
 * and a legend whose badges carry the status names, so it reads in greyscale too. Returns the height used.
 */
export function drawStatusDonut(doc: Doc, counts: StatusCount[], x: number, y: number, options: { radius?: number; caption: string }): number {
  const r = options.radius ?? 48;
  const inner = r * 0.58;
  const cx = x + r;
  const cy = y + r;
  const total = counts.reduce((n, c) => n + c.count, 0);
  if (total === 0) {
    doc.save().circle(cx, cy, r).fill(COLOUR.band).restore();
  }
  let start = 0;
  for (const c of counts) {
    if (c.count === 0) continue;
    const fill = STATUS_STYLE[c.status].fill;
    if (c.count === total) {
      doc.save().circle(cx, cy, r).fill(fill).restore();
      break;
    }
    const end = start + (c.count / total) * 2 * Math.PI;
    const large = end - start > Math.PI ? 1 : 0;
    const [x0, y0] = point(cx, cy, r, start);
    const [x1, y1] = point(cx, cy, r, end);
    const [x2, y2] = point(cx, cy, inner, end);
    const [x3, y3] = point(cx, cy, inner, start);
    const path = `M ${fixed(x0)} ${fixed(y0)} A ${r} ${r} 0 ${large} 1 ${fixed(x1)} ${fixed(y1)} L ${fixed(x2)} ${fixed(y2)} A ${inner} ${inner} 0 ${large} 0 ${fixed(x3)} ${fixed(y3)} Z`;
    doc.save().path(path).fill(fill).restore();
    // Thin white separators keep adjacent segments distinct when printed in grey.
    doc.save().path(path).lineWidth(0.8).strokeColor(COLOUR.white).stroke().restore();
    start = end;
  }
  doc.save().circle(cx, cy, inner).fill(COLOUR.white).restore();
  const label = formatCount(total);
  doc.font(FONT.bold).fontSize(16).fillColor(COLOUR.ink);
  doc.text(label, cx - doc.widthOfString(label) / 2, cy - 11, { lineBreak: false });
  doc.font(FONT.regular).fontSize(7).fillColor(COLOUR.muted);
  doc.text(options.caption, cx - doc.widthOfString(options.caption) / 2, cy + 7, { lineBreak: false });

  let ly = y + 4;
  const lx = x + 2 * r + 16;
  for (const c of counts) {
    drawStatusBadge(doc, c.status, lx, ly, { width: 50 });
    doc.font(FONT.bold).fontSize(8).fillColor(COLOUR.ink).text(formatCount(c.count), lx + 56, ly + 1.5, { lineBreak: false });
    doc.font(FONT.regular).fontSize(8).fillColor(COLOUR.muted).text(`${(c.share * 100).toFixed(1)} %`, lx + 90, ly + 1.5, { lineBreak: false });
    ly += 15;
  }
  return Math.max(2 * r, ly - y);
}

/** One 100 % stacked bar per row (e.g. per severity), each segment labelled with its count when it fits. */
export function drawStackedBars(
  doc: Doc,
  rows: { label: string; counts: Record<Status, number>; note: string }[],
  x: number,
  y: number,
  width: number,
): number {
  const labelWidth = 70;
  const noteWidth = 70;
  const barWidth = width - labelWidth - noteWidth - 8;
  const barHeight = 12;
  let cy = y;
  for (const row of rows) {
    doc.font(FONT.bold).fontSize(8).fillColor(COLOUR.ink).text(row.label, x, cy + 2.5, { lineBreak: false });
    const total = STATUSES.reduce((n, s) => n + row.counts[s], 0);
    doc.save().rect(x + labelWidth, cy, barWidth, barHeight).fill(COLOUR.band).restore();
    let bx = x + labelWidth;
    for (const status of STATUSES) {
      const count = row.counts[status];
      if (!count || !total) continue;
      const w = (count / total) * barWidth;
      doc.save().rect(bx, cy, w, barHeight).fill(STATUS_STYLE[status].fill).restore();
      const text = formatCount(count);
      doc.font(FONT.bold).fontSize(7);
      if (doc.widthOfString(text) + 4 < w) {
        doc.fillColor(STATUS_STYLE[status].text).text(text, bx + (w - doc.widthOfString(text)) / 2, cy + 3, { lineBreak: false });
      }
      bx += w;
    }
    doc.save().rect(x + labelWidth, cy, barWidth, barHeight).lineWidth(0.4).strokeColor(COLOUR.rule).stroke().restore();
    doc.font(FONT.regular).fontSize(7.5).fillColor(COLOUR.muted).text(row.note, x + labelWidth + barWidth + 8, cy + 2.5, { lineBreak: false });
    cy += barHeight + 7;
  }
  return cy - y;
}
