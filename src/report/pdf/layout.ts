import { currentPageIndex, ensureSpace, type Doc } from './document.js';
import type { ReportView } from '../view-model.js';
import { pdfSafe } from './text.js';
import { COLOUR, CONTENT_WIDTH, FONT, PAGE } from './theme.js';
import { drawLines, wrapText } from './wrap.js';

/** A table-of-contents line: where a section or control starts. */
export interface TocEntry {
  title: string;
  level: 1 | 2;
  destination: string;
  page: number;
}

/** What section renderers share: the document, the view and the record of where things start. */
export interface RenderContext {
  doc: Doc;
  view: ReportView;
  toc: TocEntry[];
  /** Whether the PDF will carry an embedded signature (the text says how to check it only then). */
  signed: boolean;
  outline: ReturnType<Doc['outline']['addItem']> | undefined;
}

/** Named destinations are PDF names: keep them to a safe alphabet, unique per control id. */
export function destinationFor(kind: string, id = ''): string {
  return `${kind}${id ? '-' : ''}${id}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** Records a TOC entry, a bookmark and a named destination at the current position. */
export function markDestination(ctx: RenderContext, title: string, level: 1 | 2, destination: string): void {
  const { doc } = ctx;
  doc.addNamedDestination(destination, 'XYZ', doc.page.margins.left, Math.max(0, doc.y - 10), null);
  ctx.toc.push({ title, level, destination, page: currentPageIndex(doc) });
  if (level === 1) ctx.outline = doc.outline.addItem(pdfSafe(title));
  else (ctx.outline ?? doc.outline).addItem(pdfSafe(title));
}

/** New page with the section title and a rule under it. */
export function startSection(ctx: RenderContext, title: string, destination: string, lead?: string): void {
  const { doc } = ctx;
  doc.addPage();
  markDestination(ctx, title, 1, destination);
  doc.font(FONT.bold).fontSize(18).fillColor(COLOUR.accent).text(pdfSafe(title), PAGE.margin, doc.y, { lineBreak: false });
  doc.y += 26;
  doc.save().moveTo(PAGE.margin, doc.y).lineTo(PAGE.margin + CONTENT_WIDTH, doc.y).lineWidth(1.2).strokeColor(COLOUR.accent).stroke().restore();
  doc.y += 10;
  if (lead) paragraph(doc, lead, { colour: COLOUR.muted });
}

export function heading(doc: Doc, text: string, options: { size?: number; colour?: string; keepWith?: number } = {}): void {
  const size = options.size ?? 11.5;
  ensureSpace(doc, size * 1.4 + (options.keepWith ?? 60));
  doc.y += 4;
  doc.font(FONT.bold).fontSize(size).fillColor(options.colour ?? COLOUR.ink);
  const lines = wrapText(doc, pdfSafe(text), CONTENT_WIDTH);
  doc.y = drawLines(doc, lines, PAGE.margin, doc.y, size * 1.25) + 3;
}

/** A wrapped paragraph that flows across pages line by line. */
export function paragraph(doc: Doc, text: string, options: { size?: number; font?: string; colour?: string; indent?: number; gap?: number } = {}): void {
  const size = options.size ?? 9;
  const indent = options.indent ?? 0;
  doc.font(options.font ?? FONT.regular).fontSize(size).fillColor(options.colour ?? COLOUR.ink);
  const lineHeight = size * 1.35;
  for (const line of wrapText(doc, pdfSafe(text), CONTENT_WIDTH - indent, 400)) {
    ensureSpace(doc, lineHeight);
    const y = doc.y;
    doc.font(options.font ?? FONT.regular).fontSize(size).fillColor(options.colour ?? COLOUR.ink);
    doc.text(line, PAGE.margin + indent, y, { lineBreak: false });
    doc.y = y + lineHeight;
  }
  doc.y += options.gap ?? 5;
}

/** Label/value pairs in two columns, e.g. on the cover. Values wrap; monospace for digests and ids. */
export function keyValues(doc: Doc, rows: { key: string; value: string; mono?: boolean }[], options: { keyWidth?: number; size?: number; x?: number; width?: number } = {}): void {
  const size = options.size ?? 9;
  const keyWidth = options.keyWidth ?? 130;
  const x = options.x ?? PAGE.margin;
  const width = options.width ?? CONTENT_WIDTH;
  for (const row of rows) {
    doc.font(row.mono ? FONT.mono : FONT.regular).fontSize(row.mono ? size - 0.5 : size);
    const lines = wrapText(doc, pdfSafe(row.value), width - keyWidth);
    const height = lines.length * size * 1.3 + 5;
    ensureSpace(doc, height);
    const y = doc.y;
    doc.font(FONT.bold).fontSize(size).fillColor(COLOUR.muted).text(pdfSafe(row.key), x, y, { lineBreak: false });
    doc.font(row.mono ? FONT.mono : FONT.regular).fontSize(row.mono ? size - 0.5 : size).fillColor(COLOUR.ink);
    drawLines(doc, lines, x + keyWidth, y, size * 1.3);
    doc.save().moveTo(x, y + height - 2).lineTo(x + width, y + height - 2).lineWidth(0.3).strokeColor(COLOUR.rule).stroke().restore();
    doc.y = y + height;
  }
  doc.x = PAGE.margin;
}

/** A shaded box of monospace text (commands), wrapped to the content width. */
export function codeBlock(doc: Doc, text: string, options: { size?: number; indent?: number } = {}): void {
  const size = options.size ?? 7.5;
  const indent = options.indent ?? 0;
  doc.font(FONT.mono).fontSize(size);
  const lines = wrapText(doc, pdfSafe(text), CONTENT_WIDTH - indent - 12, 60);
  const height = lines.length * size * 1.3 + 8;
  ensureSpace(doc, height);
  const y = doc.y;
  doc.save().rect(PAGE.margin + indent, y, CONTENT_WIDTH - indent, height).fill(COLOUR.band).restore();
  doc.save().rect(PAGE.margin + indent, y, 2, height).fill(COLOUR.accent).restore();
  doc.font(FONT.mono).fontSize(size).fillColor(COLOUR.ink);
  drawLines(doc, lines, PAGE.margin + indent + 8, y + 4.5, size * 1.3);
  doc.y = y + height + 6;
  doc.x = PAGE.margin;
}
