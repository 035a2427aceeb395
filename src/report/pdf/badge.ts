import type { Doc } from './document.js';
import { FONT, SEVERITY_STYLE, STATUS_STYLE, type StatusLike } from './theme.js';
import type { Severity } from '../../core/types.js';

export const BADGE_HEIGHT = 11;

/** Width a badge with this label needs at the given font size. */
export function badgeWidth(doc: Doc, label: string, size = 6.5): number {
  return doc.font(FONT.bold).fontSize(size).widthOfString(label) + 8;
}

/** A filled, rounded label; the words carry the meaning, the colour only helps. Returns the width drawn. */
export function drawLabel(doc: Doc, label: string, fill: string, text: string, x: number, y: number, options: { width?: number; size?: number; height?: number } = {}): number {
  const size = options.size ?? 6.5;
  const height = options.height ?? BADGE_HEIGHT;
  const width = options.width ?? badgeWidth(doc, label, size);
  doc.save().roundedRect(x, y, width, height, 2).fill(fill).restore();
  doc.font(FONT.bold).fontSize(size).fillColor(text);
  const dx = (width - doc.widthOfString(label)) / 2;
  doc.text(label, x + dx, y + (height - size) / 2 + 0.7, { lineBreak: false });
  return width;
}

export function drawStatusBadge(doc: Doc, status: StatusLike, x: number, y: number, options: { width?: number; size?: number; height?: number } = {}): number {
  const style = STATUS_STYLE[status];
  return drawLabel(doc, style.label, style.fill, style.text, x, y, options);
}

export function drawSeverityBadge(doc: Doc, severity: Severity, x: number, y: number, options: { width?: number; size?: number } = {}): number {
  const style = SEVERITY_STYLE[severity];
  return drawLabel(doc, style.label.toUpperCase(), style.fill, '#ffffff', x, y, options);
}
