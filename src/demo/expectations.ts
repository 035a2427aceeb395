import type { ResultsDocument } from '../results/types.js';
import type { Expectation } from './seed/types.js';

export interface Mismatch {
  expected: Expectation;
  actual: string;
}

/** Every seeded expectation must appear in the results with exactly the expected status. */
export function compareExpectations(results: ResultsDocument, expectations: Expectation[]): Mismatch[] {
  const index = new Map<string, string[]>();
  for (const control of results.controls) {
    for (const r of control.results) {
      const key = `${control.id}|${r.account}|${r.region}|${r.resourceId}`;
      // A waived result still carries what the rule found: compare against that.
      index.set(key, [...(index.get(key) ?? []), `${r.originalStatus ?? r.status}: ${r.status === 'WAIVED' ? `WAIVED by ${r.waiver?.id ?? '?'}; ` : ''}${r.message}`]);
    }
  }
  const mismatches: Mismatch[] = [];
  for (const e of expectations) {
    const found = index.get(`${e.control}|${e.account}|${e.region}|${e.resourceId}`);
    if (!found) mismatches.push({ expected: e, actual: 'no result for this resource' });
    else if (!found.some((f) => f.startsWith(`${e.status}:`))) mismatches.push({ expected: e, actual: found.join(' | ') });
  }
  return mismatches;
}

export function formatMismatch(m: Mismatch): string {
  const e = m.expected;
  return `${e.control} ${e.account}/${e.region} ${e.resourceId}: expected ${e.status}, got ${m.actual}`;
}
