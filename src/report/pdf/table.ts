import { BADGE_HEIGHT, drawSeverityBadge, drawStatusBadge } from './badge.js';
import { bottomLimit, type Doc } from './document.js';
import { COLOUR, FONT, type StatusLike } from './theme.js';
import { drawLines, textWidth, wrapText } from './wrap.js';
import type { Severity } from '../../core/types.js';

type FontName = (typeof FONT)[keyof typeof FONT];

/** One cell: wrapped text (optionally a second, smaller line such as a digest), or a status/severity badge. */
export type Cell =
  | string
  | { text: string; font?: FontName; size?: number; colour?: string; sub?: string; subFont?: FontName; link?: string }
  | { status: StatusLike }
  | { severity: Severity };

export interface Column {
  header: string;
  /** Points. */
  width: number;
  align?: 'left' | 'right' | 'center';
}

export interface TableOptions {
  fontSize?: number;
  /** Shaded header repeated at the top of each page the table runs onto. */
  repeatHeader?: boolean;
  zebra?: boolean;
  /** Caption drawn above the repeated header on continuation pages, so a reader knows whose rows these are. */
  continuation?: string;
}

const PAD_X = 4;
const SUB_MAX_LINES = 8;
const PAD_Y = 3.5;

interface Prepared {
  lines: string[];
  font: FontName;
  size: number;
  colour: string;
  sub: string[];
  subFont: FontName;
  link?: string;
  badge?: { status: StatusLike } | { severity: Severity };
}

function prepare(doc: Doc, cell: Cell, width: number, fontSize: number): Prepared {
  const inner = width - 2 * PAD_X;
  if (typeof cell === 'string') {
    doc.font(FONT.regular).fontSize(fontSize);
    return { lines: wrapText(doc, cell, inner), font: FONT.regular, size: fontSize, colour: COLOUR.ink, sub: [], subFont: FONT.mono };
  }
  if ('status' in cell || 'severity' in cell) return { lines: [], font: FONT.bold, size: fontSize, colour: COLOUR.ink, sub: [], subFont: FONT.mono, badge: cell };
  const font = cell.font ?? FONT.regular;
  const size = cell.size ?? fontSize;
  doc.font(font).fontSize(size);
  const lines = cell.text ? wrapText(doc, cell.text, inner) : [];
  const subFont = cell.subFont ?? FONT.mono;
  doc.font(subFont).fontSize(size - 1);
  // A second line is a type, region or digest: a few lines at most, so no row can grow taller than a page.
  const sub = cell.sub ? wrapText(doc, cell.sub, inner, SUB_MAX_LINES) : [];
  return { lines, font, size, colour: cell.colour ?? COLOUR.ink, sub, subFont, ...(cell.link ? { link: cell.link } : {}) };
}

const lineHeight = (size: number): number => size * 1.22;

function cellHeight(p: Prepared): number {
  if (p.badge) return BADGE_HEIGHT;
  return p.lines.length * lineHeight(p.size) + p.sub.length * lineHeight(p.size - 1);
}

function drawHeader(doc: Doc, columns: Column[], x: number, fontSize: number): void {
  const height = lineHeight(fontSize) + 2 * PAD_Y;
  const width = columns.reduce((n, c) => n + c.width, 0);
  const y = doc.y;
  doc.save().rect(x, y, width, height).fill(COLOUR.accent).restore();
  let cx = x;
  doc.font(FONT.bold).fontSize(fontSize).fillColor(COLOUR.white);
  for (const column of columns) {
    drawLines(doc, [column.header], cx + PAD_X, y + PAD_Y + 0.5, 0, { width: column.width - 2 * PAD_X, align: column.align ?? 'left' });
    cx += column.width;
  }
  doc.y = y + height;
}

function drawCell(doc: Doc, p: Prepared, column: Column, x: number, y: number): void {
  const inner = column.width - 2 * PAD_X;
  if (p.badge) {
    const options = { width: Math.min(inner, 52) };
    const bx = column.align === 'center' ? x + (column.width - options.width) / 2 : x + PAD_X;
    if ('status' in p.badge) drawStatusBadge(doc, p.badge.status, bx, y + PAD_Y - 1, options);
    else drawSeverityBadge(doc, p.badge.severity, bx, y + PAD_Y - 1, options);
    return;
  }
  doc.font(p.font).fontSize(p.size).fillColor(p.colour);
  const align = column.align ?? 'left';
  let cursor = y + PAD_Y + 0.5;
  for (const line of p.lines) {
    const dx = align === 'left' ? 0 : align === 'right' ? inner - textWidth(doc, line) : (inner - textWidth(doc, line)) / 2;
    doc.text(line, x + PAD_X + dx, cursor, { lineBreak: false });
    // pdfkit cannot size a link on unwrapped text itself, so the link rectangle is placed by hand.
    if (p.link) doc.goTo(x + PAD_X + dx, cursor, textWidth(doc, line), lineHeight(p.size), p.link);
    cursor += lineHeight(p.size);
  }
  if (p.sub.length) {
    doc.font(p.subFont).fontSize(p.size - 1).fillColor(COLOUR.muted);
    drawLines(doc, p.sub, x + PAD_X, cursor, lineHeight(p.size - 1), { width: inner, align });
  }
}

/**
 * Draws a table from the current y at the left margin, breaking onto new pages between rows (never inside one)
 * and repeating the header. Rows are measured with the same wrapped lines they are drawn with.
 */
export function drawTable(doc: Doc, columns: Column[], rows: Cell[][], options: TableOptions = {}): void {
  const fontSize = options.fontSize ?? 8;
  const x = doc.page.margins.left;
  const width = columns.reduce((n, c) => n + c.width, 0);
  const headerHeight = lineHeight(fontSize) + 2 * PAD_Y;
  let rowIndex = 0;
  const startPage = (): void => {
    if (options.repeatHeader !== false) drawHeader(doc, columns, x, fontSize);
  };
  const measure = (row: Cell[]): { prepared: Prepared[]; height: number } => {
    const prepared = columns.map((column, i) => prepare(doc, row[i] ?? '', column.width, fontSize));
    return { prepared, height: Math.max(...prepared.map(cellHeight)) + 2 * PAD_Y };
  };
  // Never leave a header alone at the foot of a page: it starts with at least its first row.
  const first = rows[0] ? measure(rows[0]).height : 0;
  if (doc.y + headerHeight + first > bottomLimit(doc)) doc.addPage();
  startPage();
  for (const row of rows) {
    const { prepared, height } = measure(row);
    if (doc.y + height > bottomLimit(doc)) {
      doc.addPage();
      if (options.continuation) {
        const y = doc.y;
        doc.font(FONT.italic).fontSize(8).fillColor(COLOUR.muted).text(options.continuation, x, y, { lineBreak: false });
        doc.y = y + 13;
      }
      startPage();
    }
    const y = doc.y;
    if (options.zebra !== false && rowIndex % 2 === 1) doc.save().rect(x, y, width, height).fill(COLOUR.band).restore();
    let cx = x;
    prepared.forEach((p, i) => {
      const column = columns[i]!;
      drawCell(doc, p, column, cx, y);
      cx += column.width;
    });
    doc.save().moveTo(x, y + height).lineTo(x + width, y + height).lineWidth(0.4).strokeColor(COLOUR.rule).stroke().restore();
    doc.y = y + height;
    rowIndex++;
  }
  doc.x = x;
}
