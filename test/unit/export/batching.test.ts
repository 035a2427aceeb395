import { describe, expect, it } from 'vitest';
import { findingBytes, toFinding } from '../../../src/export/securityhub/asff.js';
import { BATCH_LIMITS, chunk, splitIntoBatches } from '../../../src/export/securityhub/batching.js';
import { context, control, result } from './fixtures.js';

const findings = (n: number, message = 'x') => Array.from({ length: n }, (_, i) => toFinding(control(), result({ resourceId: `arn:aws:s3:::bucket-${i}`, message }), context()));
const requestBytes = (batch: unknown[]) => Buffer.byteLength(JSON.stringify({ Findings: batch }));

describe('splitting findings into BatchImportFindings requests', () => {
  it('puts at most 100 findings in a request, keeping order', () => {
    const all = findings(250);
    const { batches, oversized } = splitIntoBatches(all);
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((f) => f.Id)).toEqual(all.map((f) => f.Id));
    expect(oversized).toEqual([]);
  });

  it('sends exactly 100 findings in one request', () => {
    expect(splitIntoBatches(findings(100)).batches).toHaveLength(1);
    expect(splitIntoBatches([]).batches).toEqual([]);
  });

  it('keeps every request body under the byte limit', () => {
    const all = findings(40, 'M'.repeat(900));
    const size = findingBytes(all[0]!);
    const limits = { ...BATCH_LIMITS, maxRequestBytes: size * 7 };
    const { batches } = splitIntoBatches(all, limits);
    expect(batches.length).toBeGreaterThan(5);
    for (const b of batches) expect(requestBytes(b)).toBeLessThanOrEqual(limits.maxRequestBytes);
    expect(batches.flat()).toHaveLength(40);
  });

  it('honours the real 6 MB limit with findings near 240 KB', () => {
    // 60 findings of ~200 KB (a huge resource id) = ~12 MB: must be at least 2 requests, each ≤ 6 MB.
    const big = Array.from({ length: 60 }, (_, i) => toFinding(control(), result({ resourceId: `arn:aws:s3:::${String(i).padStart(4, '0')}${'b'.repeat(200_000)}` }), context()));
    const { batches } = splitIntoBatches(big);
    expect(batches.length).toBeGreaterThanOrEqual(2);
    for (const b of batches) expect(requestBytes(b)).toBeLessThanOrEqual(BATCH_LIMITS.maxRequestBytes);
  });

  it('reports findings that cannot fit under 240 KB instead of dropping them', () => {
    const huge = toFinding(control(), result({ resourceId: `arn:aws:s3:::${'h'.repeat(300_000)}` }), context());
    const { batches, oversized } = splitIntoBatches([...findings(2), huge]);
    expect(batches.flat()).toHaveLength(2);
    expect(oversized).toEqual([{ id: huge.Id, bytes: findingBytes(huge) }]);
  });

  it('chunks identifiers for BatchUpdateFindings', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 100)).toEqual([]);
  });
});
