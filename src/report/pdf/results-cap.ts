import type { ResultView } from '../view-model.js';
import type { Status } from '../../core/types.js';

/** Passing results listed per control before the rest are summarised; failing and erroring ones are never cut. */
export const PASSING_SHOWN = 50;

const ORDER: Record<Status, number> = { ERROR: 0, FAIL: 1, WAIVED: 2, MANUAL: 3, INHERITED: 4, NOT_APPLICABLE: 5, PASS: 6 };

export interface ResultSelection {
  shown: ResultView[];
  passing: number;
  /** Passing results not listed in the PDF (they are in results.csv and the HTML report). */
  hiddenPassing: number;
}

/** Every non-passing result, worst first, then the first `cap` passing ones, in the view's order. */
export function selectResults(results: ResultView[], cap = PASSING_SHOWN): ResultSelection {
  const ranked = results.map((r, i) => ({ r, i })).sort((a, b) => ORDER[a.r.status] - ORDER[b.r.status] || a.i - b.i);
  const shown: ResultView[] = [];
  let passing = 0;
  for (const { r } of ranked) {
    if (r.status === 'PASS') {
      passing++;
      if (passing > cap) continue;
    }
    shown.push(r);
  }
  return { shown, passing, hiddenPassing: Math.max(0, passing - cap) };
}
