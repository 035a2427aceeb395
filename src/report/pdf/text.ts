/**
 * Text from AWS is untrusted and may hold anything. The built-in PDF fonts only encode WinAnsi, and pdfkit writes
 * other code points as garbage, so every string is mapped to what Helvetica can show before it is drawn.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

export function pdfSafe(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '';
  let out = '';
  for (const ch of String(value)) {
    const code = ch.codePointAt(0) ?? 0x3f;
    if (code === 0x09 || code === 0x0a || code === 0x0d) out += ' ';
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += '?';
    else if (code <= 0xff || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else out += '?';
  }
  return out;
}

/** Thousands separators, fixed locale so output is the same on every machine. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** `2026-11-23T18:46:37.226Z` -> `2026-11-23 18:46:37 UTC`. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '-';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : pdfSafe(iso);
}

export function formatScore(score: number | null): string {
  return score === null ? 'n/a' : `${score.toFixed(1)}`;
}

/** Splits a 64-hex digest in two so it fits narrow columns without a mid-line break the reader cannot see. */
export function splitDigest(hex: string): string {
  return hex.length > 32 ? `${hex.slice(0, 32)}\n${hex.slice(32)}` : hex;
}
