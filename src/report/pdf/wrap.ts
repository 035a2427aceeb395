import type { Doc } from './document.js';

/** pdfkit keeps the current font and size private; the renderer only reads them to measure text quickly. */
interface FontState {
  _font: { name: string; widthOfString(text: string, size: number): number };
  _fontSize: number;
}

const advanceCache = new Map<string, Map<number, number>>();

/**
 * Width of `text` in the current font and size, from cached per-character advances. pdfkit's widthOfString
 * re-encodes the string and looks up kerning pairs on every call, which dominated rendering 20,000 results; wrapping
 * measures each word many times. Kerning only narrows text, so these widths are never too small.
 */
export function textWidth(doc: Doc, text: string): number {
  const state = doc as unknown as FontState;
  let advances = advanceCache.get(state._font.name);
  if (!advances) {
    advances = new Map();
    advanceCache.set(state._font.name, advances);
  }
  let units = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let advance = advances.get(code);
    if (advance === undefined) {
      advance = state._font.widthOfString(text[i] ?? '', 1000);
      advances.set(code, advance);
    }
    units += advance;
  }
  return (units * state._fontSize) / 1000;
}

/** Characters after which a long identifier (ARN, path, URL) may break when it does not fit on one line. */
const SOFT_BREAK = /[/:.\-_,=&?]/;

/** Breaks one token wider than `width` into pieces, preferring a soft break in the second half of each piece. */
function splitToken(doc: Doc, token: string, width: number): string[] {
  const pieces: string[] = [];
  let rest = token;
  while (rest.length > 0 && textWidth(doc, rest) > width) {
    let fit = 1;
    while (fit < rest.length && textWidth(doc, rest.slice(0, fit + 1)) <= width) fit++;
    let cut = fit;
    for (let i = fit - 1; i > fit / 2; i--) {
      if (SOFT_BREAK.test(rest[i] ?? '')) {
        cut = i + 1;
        break;
      }
    }
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  if (rest) pieces.push(rest);
  return pieces;
}

/** More characters than fit on the widest line in the narrowest font size the report uses. */
const MAX_LINE_CHARS = 400;

/**
 * Word-wraps `text` in the current font to lines no wider than `width`. Measuring and drawing use the same lines,
 * so a table row's height is exact and pdfkit's own wrapper (which may add pages by itself) is never involved.
 * At most `maxLines` lines; a cut text ends with an ellipsis.
 */
export function wrapText(doc: Doc, text: string, width: number, maxLines = 40): string[] {
  const lines: string[] = [];
  // No line holds more than MAX_LINE_CHARS characters, so longer input (a hostile resource id or message) is cut
  // before it is measured: wrapping stays linear in what is drawn, never in what an attacker sent.
  const bounded = text.length > maxLines * MAX_LINE_CHARS ? text.slice(0, maxLines * MAX_LINE_CHARS) : text;
  for (const paragraph of bounded.split('\n')) {
    if (textWidth(doc, paragraph) <= width) {
      lines.push(paragraph);
      continue;
    }
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (textWidth(doc, candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      if (textWidth(doc, word) <= width) {
        line = word;
      } else {
        const pieces = splitToken(doc, word, width);
        line = pieces.pop() ?? '';
        lines.push(...pieces);
      }
    }
    lines.push(line);
  }
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1] ?? ''} …`;
    return kept;
  }
  return lines;
}

/** Draws prepared lines from (x, y) without pdfkit's wrapper; returns the y below the last line. */
export function drawLines(doc: Doc, lines: string[], x: number, y: number, lineHeight: number, options: { width?: number; align?: 'left' | 'right' | 'center' } = {}): number {
  let cursor = y;
  for (const line of lines) {
    let dx = 0;
    if (options.width !== undefined && options.align && options.align !== 'left') {
      const free = options.width - textWidth(doc, line);
      dx = options.align === 'right' ? free : free / 2;
    }
    doc.text(line, x + dx, cursor, { lineBreak: false });
    cursor += lineHeight;
  }
  return cursor;
}
