import type { ResourceResult, Status } from '../core/types.js';

/** Which results a capped table lists first: the ones an auditor must act on. */
const RANK: Record<Status, number> = { ERROR: 0, FAIL: 1, WAIVED: 2, MANUAL: 3, INHERITED: 4, NOT_APPLICABLE: 5, PASS: 6 };

/** The position of an account, region or resource id in the order: code units, never the locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Characters of one AWS string (resource id, type, region, message) a report shows; results.csv has all of it. */
export const MAX_CELL_CHARS = 1024;

/**
 * An AWS string cut to MAX_CELL_CHARS for display, saying how much was cut, so one hostile value cannot make a
 * report huge or a PDF row taller than a page. Never cuts between the two halves of a surrogate pair.
 */
export function displayText(value: string): string {
  if (value.length <= MAX_CELL_CHARS) return value;
  let end = MAX_CELL_CHARS;
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${value.slice(0, end)}… (${value.length - end} more characters; see results.csv)`;
}

/**
 * The results a report lists for one control: at most `limit`, ERROR then FAIL then the rest, each status in
 * account, region and resource order (ties keep results.json order), so the same results give the same rows
 * whatever order they were evaluated in. `limit` undefined lists every result in results.json order (the CSV).
 * Only the chosen results are returned; `omitted` says how many were left out.
 */
export function capResults<R extends Pick<ResourceResult, 'status' | 'account' | 'region' | 'resourceId'>>(results: readonly R[], limit: number | undefined): { shown: R[]; omitted: number } {
  if (limit === undefined) return { shown: [...results], omitted: 0 };
  const order = results.map((_, i) => i);
  order.sort((x, y) => {
    const a = results[x]!;
    const b = results[y]!;
    return RANK[a.status] - RANK[b.status] || compareText(a.account, b.account) || compareText(a.region, b.region) || compareText(a.resourceId, b.resourceId) || x - y;
  });
  const shown = order.slice(0, Math.max(0, limit)).map((i) => results[i]!);
  return { shown, omitted: results.length - shown.length };
}
