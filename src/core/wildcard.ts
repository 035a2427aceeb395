/**
 * Glob matching for `*` (any run of characters, possibly empty) and `?` (exactly one character), as IAM actions
 * and resources, bucket-policy ARNs, waiver resources and control-id filters use them.
 *
 * Why not a regular expression: patterns come from data (an account's policies, a waivers file), and a regex
 * built from `*?*?*?...x` backtracks exponentially on a non-matching text. This matcher never backtracks more
 * than one segment: the pattern is split on `*`, the first segment is anchored at the start, the last at the
 * end, and each middle segment is matched at its leftmost occurrence after the previous one. Taking the
 * leftmost occurrence is always safe for `*`/`?` globs: any match that uses a later occurrence can be shifted to
 * the earlier one, because the `*` after it absorbs the difference.
 *
 * Complexity: O(|text| × |segment|) for each middle segment, so O(|text| × |pattern|) in the worst case and
 * linear in the text for a fixed pattern; no recursion, no allocation proportional to anything but the inputs.
 *
 * Characters are UTF-16 code units (as `.` in a non-unicode regex); `*` and `?` also match line terminators.
 */

export interface GlobOptions {
  /** Compare case-insensitively, with the same per-character folding as a regex's `i` flag. */
  ignoreCase?: boolean;
  /** Treat `?` as "one character" (IAM); false makes it a literal (control-id filters, waiver resources). */
  questionMark?: boolean;
}

/** Per-code-unit case folding, as ECMAScript's Canonicalize for non-unicode /i regexes: never changes length. */
function foldCase(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const upper = ch.toUpperCase();
    out += upper.length !== 1 || (ch.charCodeAt(0) >= 128 && upper.charCodeAt(0) < 128) ? ch : upper;
  }
  return out;
}

/** True when `segment` matches `text` at `at` character for character (`?` matching any one when enabled). */
function segmentAt(text: string, at: number, segment: string, questionMark: boolean): boolean {
  for (let j = 0; j < segment.length; j++) {
    const p = segment.charCodeAt(j);
    if (p !== text.charCodeAt(at + j) && !(questionMark && p === 63)) return false;
  }
  return true;
}

/** Leftmost index ≥ from where `segment` matches and ends by `limit`, or -1. */
function findSegment(text: string, from: number, limit: number, segment: string, questionMark: boolean): number {
  for (let at = from; at + segment.length <= limit; at++) if (segmentAt(text, at, segment, questionMark)) return at;
  return -1;
}

/** True when the whole of `text` matches the glob `pattern`. */
export function globMatch(pattern: string, text: string, options: GlobOptions = {}): boolean {
  const questionMark = options.questionMark ?? true;
  const p = options.ignoreCase ? foldCase(pattern) : pattern;
  const t = options.ignoreCase ? foldCase(text) : text;
  const segments = p.split('*');
  const first = segments[0] as string;
  if (segments.length === 1) return t.length === first.length && segmentAt(t, 0, first, questionMark);
  const last = segments[segments.length - 1] as string;
  if (first.length + last.length > t.length) return false;
  if (!segmentAt(t, 0, first, questionMark) || !segmentAt(t, t.length - last.length, last, questionMark)) return false;
  // Middle segments must fit between the anchored prefix and suffix, each after the previous one.
  const limit = t.length - last.length;
  let pos = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] as string;
    if (segment.length === 0) continue;
    const at = findSegment(t, pos, limit, segment, questionMark);
    if (at < 0) return false;
    pos = at + segment.length;
  }
  return true;
}

/**
 * Glob match for control ids and waiver resources (`*` wildcard only; `?` is literal). Linear-time: waiver and
 * config patterns are data, so no regex is built from them.
 */
export function idMatches(pattern: string, id: string): boolean {
  return globMatch(pattern, id, { questionMark: false });
}
