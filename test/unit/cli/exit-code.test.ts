import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/cli/summary.js';
import type { ResultsDocument } from '../../../src/results/types.js';

/** Only the fields exitCodeFor reads: each control's status and severity. */
function results(controls: { status: string; severity: string }[]): ResultsDocument {
  return { controls } as unknown as ResultsDocument;
}

describe('exitCodeFor', () => {
  const errorAndHighFail = results([{ status: 'ERROR', severity: 'low' }, { status: 'FAIL', severity: 'high' }]);
  const errorOnly = results([{ status: 'ERROR', severity: 'critical' }, { status: 'PASS', severity: 'high' }]);

  it('a whole audit: ERROR is 3 and takes precedence over --fail-on', () => {
    expect(exitCodeFor(errorAndHighFail, 'high')).toBe(3);
    expect(exitCodeFor(errorOnly, 'none')).toBe(3);
  });

  it('a shard: ERROR is provisional (merge judges it), but --fail-on still decides, failures included', () => {
    expect(exitCodeFor(errorOnly, 'low', false)).toBe(0);
    expect(exitCodeFor(errorAndHighFail, 'high', false)).toBe(1);
    expect(exitCodeFor(errorAndHighFail, 'critical', false)).toBe(0);
    expect(exitCodeFor(errorAndHighFail, 'none', false)).toBe(0);
  });
});
