import { describe, expect, it } from 'vitest';
import type { Status } from '../../../src/core/types.js';
import { categoriesOf, diffResults } from '../../../src/diff/diff.js';
import { RESULT_CATEGORIES, type ResultCategory } from '../../../src/diff/types.js';
import { control, manifest, result, results } from './fixtures.js';

const OLD_AT = '2026-08-01T10:00:00.000Z';
const NEW_AT = '2026-11-01T10:00:00.000Z';

/** Every category's resource ids, for compact assertions. */
function ids(diff: ReturnType<typeof diffResults>): Record<ResultCategory, string[]> {
  return Object.fromEntries(RESULT_CATEGORIES.map((k) => [k, diff[k].map((c) => c.resourceId)])) as Record<ResultCategory, string[]>;
}

describe('categoriesOf', () => {
  it.each<[Status | undefined, Status | undefined, ResultCategory[]]>([
    [undefined, 'FAIL', ['newFailures', 'newResources']],
    [undefined, 'PASS', ['newResources']],
    [undefined, 'ERROR', ['newErrors', 'newResources']],
    [undefined, 'WAIVED', ['newlyWaived', 'newResources']],
    ['PASS', 'FAIL', ['newFailures', 'regressed']],
    ['PASS', 'ERROR', ['regressed', 'newErrors']],
    ['NOT_APPLICABLE', 'FAIL', ['newFailures']],
    ['ERROR', 'FAIL', ['newFailures']],
    ['FAIL', 'ERROR', ['newErrors']],
    ['FAIL', 'PASS', ['fixed']],
    ['ERROR', 'PASS', ['fixed']],
    ['FAIL', 'WAIVED', ['newlyWaived']],
    ['WAIVED', 'FAIL', ['newFailures', 'waiversExpired']],
    ['WAIVED', 'PASS', ['waiversExpired']],
    ['FAIL', undefined, ['removedResources']],
    ['WAIVED', undefined, ['removedResources']],
    ['FAIL', 'FAIL', []],
    ['PASS', 'PASS', []],
    ['WAIVED', 'WAIVED', []],
    ['MANUAL', 'MANUAL', []],
    ['PASS', 'NOT_APPLICABLE', []],
  ])('%s -> %s', (before, after, expected) => {
    expect(categoriesOf(before, after)).toEqual(expected);
  });

  it('counts a waived failure that now passes as fixed as well as un-waived', () => {
    expect(categoriesOf('WAIVED', 'PASS', 'FAIL')).toEqual(['fixed', 'waiversExpired']);
  });
});

describe('diffResults', () => {
  const before = results('run-old', OLD_AT, [
    control('s3-versioning', [
      result('arn:aws:s3:::a-fixed', 'FAIL'),
      result('arn:aws:s3:::b-regressed', 'PASS'),
      result('arn:aws:s3:::c-same-fail', 'FAIL'),
      result('arn:aws:s3:::d-removed', 'PASS'),
      result('arn:aws:s3:::e-error', 'PASS'),
      result('arn:aws:s3:::f-waived', 'FAIL'),
      result('arn:aws:s3:::g-waiver-ends', 'WAIVED', { originalStatus: 'FAIL', waiver: { id: 'w-1', justification: 'j', approver: 'a', expires: '2026-10-01' } }),
    ]),
    control('iam-old-only', [result('AWS::::Account:111111111111', 'FAIL')]),
  ], 40);
  const after = results('run-new', NEW_AT, [
    control('s3-versioning', [
      result('arn:aws:s3:::a-fixed', 'PASS'),
      result('arn:aws:s3:::b-regressed', 'FAIL'),
      result('arn:aws:s3:::c-same-fail', 'FAIL'),
      result('arn:aws:s3:::e-error', 'ERROR'),
      result('arn:aws:s3:::f-waived', 'WAIVED', { originalStatus: 'FAIL', waiver: { id: 'w-2', justification: 'j', approver: 'a', expires: '2027-01-01' } }),
      result('arn:aws:s3:::g-waiver-ends', 'FAIL'),
      result('arn:aws:s3:::h-new', 'FAIL'),
    ]),
    control('iam-new-only', [result('AWS::::Account:111111111111', 'FAIL')]),
  ], 55.25);

  it('lists every category per control and resource', () => {
    const diff = diffResults(before, after);
    expect(ids(diff)).toEqual({
      newFailures: ['arn:aws:s3:::b-regressed', 'arn:aws:s3:::g-waiver-ends', 'arn:aws:s3:::h-new'],
      regressed: ['arn:aws:s3:::b-regressed', 'arn:aws:s3:::e-error'],
      newErrors: ['arn:aws:s3:::e-error'],
      fixed: ['arn:aws:s3:::a-fixed'],
      newlyWaived: ['arn:aws:s3:::f-waived'],
      waiversExpired: ['arn:aws:s3:::g-waiver-ends'],
      newResources: ['arn:aws:s3:::h-new'],
      removedResources: ['arn:aws:s3:::d-removed'],
    });
    expect(diff.fixed[0]).toMatchObject({ control: 's3-versioning', controlTitle: 'Title of s3-versioning', severity: 'high', account: '111111111111', region: 'us-east-1', before: 'FAIL', after: 'PASS', message: 'arn:aws:s3:::a-fixed is PASS' });
    expect(diff.removedResources[0]).toMatchObject({ before: 'PASS', message: 'arn:aws:s3:::d-removed is PASS' });
    expect(diff.removedResources[0]).not.toHaveProperty('after');
    expect(diff.newlyWaived[0]).toMatchObject({ originalStatus: 'FAIL', waiver: { id: 'w-2', expires: '2027-01-01' } });
    expect(diff.waiversExpired[0]).toMatchObject({ before: 'WAIVED', after: 'FAIL', waiver: { id: 'w-1', expires: '2026-10-01' } });
  });

  it('lists catalog changes as controls added/removed, not as resource changes', () => {
    const diff = diffResults(before, after);
    expect(diff.controlsAdded.map((c) => c.id)).toEqual(['iam-new-only']);
    expect(diff.controlsRemoved.map((c) => c.id)).toEqual(['iam-old-only']);
    expect(diff.controlsAdded[0]).toMatchObject({ status: 'FAIL', counts: { FAIL: 1 } });
    for (const k of RESULT_CATEGORIES) expect(diff[k].every((c) => c.control === 's3-versioning')).toBe(true);
  });

  it('keys results by account and region too', () => {
    const a = results('a', OLD_AT, [control('c', [result('x', 'PASS', { region: 'us-east-1' }), result('x', 'PASS', { account: '222222222222' })])]);
    const b = results('b', NEW_AT, [control('c', [result('x', 'FAIL', { region: 'eu-west-1' }), result('x', 'PASS', { account: '222222222222' })])]);
    const diff = diffResults(a, b);
    expect(diff.newFailures.map((c) => [c.account, c.region])).toEqual([['111111111111', 'eu-west-1']]);
    expect(diff.removedResources.map((c) => [c.account, c.region])).toEqual([['111111111111', 'us-east-1']]);
    expect(diff.regressed).toEqual([]);
  });

  it('keeps the worst verdict when one key was judged twice', () => {
    const a = results('a', OLD_AT, [control('c', [result('x', 'PASS')])]);
    const b = results('b', NEW_AT, [control('c', [result('x', 'PASS'), result('x', 'FAIL')])]);
    expect(diffResults(a, b).regressed.map((c) => c.after)).toEqual(['FAIL']);
  });

  it('gives the score before, after and the change', () => {
    expect(diffResults(before, after).score).toEqual({ before: 40, after: 55.25, delta: 15.3 });
    expect(diffResults(results('a', OLD_AT, [], null), after).score).toEqual({ before: null, after: 55.25, delta: null });
    expect(diffResults(before, after).old).toEqual({ runId: 'run-old', startedAt: OLD_AT, finishedAt: '2026-08-01T10:01:00.000Z', score: 40 });
  });

  it('is deterministic: input order does not change the output', () => {
    const shuffled = structuredClone(after);
    shuffled.controls.reverse();
    for (const c of shuffled.controls) c.results.reverse();
    const oldShuffled = structuredClone(before);
    oldShuffled.controls.reverse();
    for (const c of oldShuffled.controls) c.results.reverse();
    expect(JSON.stringify(diffResults(oldShuffled, shuffled))).toBe(JSON.stringify(diffResults(before, after)));
  });

  it('sorts by control, account, region and resource id in code-unit order', () => {
    const a = results('a', OLD_AT, [control('b-ctl', []), control('a-ctl', [])]);
    const b = results('b', NEW_AT, [
      control('b-ctl', [result('Z', 'FAIL'), result('a', 'FAIL', { region: 'eu-west-1' })]),
      control('a-ctl', [result('b', 'FAIL'), result('a', 'FAIL', { account: '222222222222' })]),
    ]);
    expect(diffResults(a, b).newFailures.map((c) => `${c.control}/${c.account}/${c.region}/${c.resourceId}`)).toEqual([
      'a-ctl/111111111111/us-east-1/b',
      'a-ctl/222222222222/us-east-1/a',
      'b-ctl/111111111111/eu-west-1/a',
      'b-ctl/111111111111/us-east-1/Z',
    ]);
  });

  it('reports no changes between a pack and itself', () => {
    const diff = diffResults(after, after);
    for (const k of RESULT_CATEGORIES) expect(diff[k]).toEqual([]);
    expect(diff.controlsAdded).toEqual([]);
    expect(diff.score.delta).toBe(0);
  });

  describe('stale evidence', () => {
    const ref = after.run.finishedAt; // 2026-11-01T10:01:00Z
    const files = manifest('2026-10-30T00:00:00.000Z', [
      { path: 'evidence/111111111111/global/iam.password-policy.json', sha256: 'a'.repeat(64), bytes: 1, collectedAt: '2026-07-01T00:00:00.000Z' },
      { path: 'evidence/111111111111/us-east-1/s3.buckets.json', sha256: 'b'.repeat(64), bytes: 1, collectedAt: '2026-10-31T00:00:00.000Z' },
      { path: 'evidence/111111111111/us-east-1/no-date.json', sha256: 'c'.repeat(64), bytes: 1 },
      { path: 'attestations/threat-model.pdf', sha256: 'd'.repeat(64), bytes: 1, collectedAt: 'last spring' },
      { path: 'results.json', sha256: 'e'.repeat(64), bytes: 1 },
    ]);

    it('lists evidence files older than the limit relative to the new run, and unreadable dates', () => {
      const diff = diffResults(before, after, { newManifest: files });
      expect(diff.evidenceChecked).toBe(true);
      expect(diff.staleAfterDays).toBe(90);
      expect(diff.staleEvidence).toEqual([
        { path: 'attestations/threat-model.pdf', sha256: 'd'.repeat(64), collectedAt: 'last spring', ageDays: null },
        { path: 'evidence/111111111111/global/iam.password-policy.json', sha256: 'a'.repeat(64), collectedAt: '2026-07-01T00:00:00.000Z', ageDays: Math.floor((Date.parse(ref) - Date.parse('2026-07-01T00:00:00.000Z')) / 86_400_000) },
      ]);
    });

    it('falls back to the manifest run time for evidence without a date, and honours the limit', () => {
      const diff = diffResults(before, after, { newManifest: files, staleAfterDays: 1 });
      expect(diff.staleEvidence.map((f) => [f.path, f.ageDays])).toEqual([
        ['attestations/threat-model.pdf', null],
        ['evidence/111111111111/global/iam.password-policy.json', 123],
        ['evidence/111111111111/us-east-1/no-date.json', 2],
      ]);
    });

    it('says it could not check without a manifest, and refuses a negative limit', () => {
      const diff = diffResults(before, after);
      expect(diff.evidenceChecked).toBe(false);
      expect(diff.staleEvidence).toEqual([]);
      expect(() => diffResults(before, after, { staleAfterDays: -1 })).toThrow(/staleAfterDays/);
    });
  });
});
