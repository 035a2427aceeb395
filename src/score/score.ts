import type { Severity, Status } from '../core/types.js';
import { STATUSES } from '../core/types.js';

/** How much a control weighs in the score: a critical failure must move it far more than a low one. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 5, medium: 3, low: 1, informational: 0 };

/** Statuses that count in the score: ERROR counts as not passing (fail closed); MANUAL/INHERITED/N/A do not count. */
const SCORED: ReadonlySet<Status> = new Set<Status>(['PASS', 'FAIL', 'ERROR']);

export type StatusCounts = Record<Status, number>;

export function emptyCounts(): StatusCounts {
  return Object.fromEntries(STATUSES.map((s) => [s, 0])) as StatusCounts;
}

export function countStatuses(statuses: Iterable<Status>): StatusCounts {
  const counts = emptyCounts();
  for (const s of statuses) counts[s]++;
  return counts;
}

/**
 * Weighted share of scored controls that pass, 0–100 with one decimal; null when nothing is scored.
 * score = 100 × Σ weight(PASS) / Σ weight(PASS | FAIL | ERROR).
 */
export function weightedScore(controls: Iterable<{ severity: Severity; status: Status }>): number | null {
  let passed = 0;
  let total = 0;
  for (const c of controls) {
    if (!SCORED.has(c.status)) continue;
    const w = SEVERITY_WEIGHT[c.severity];
    total += w;
    if (c.status === 'PASS') passed += w;
  }
  return total === 0 ? null : Math.round((1000 * passed) / total) / 10;
}
