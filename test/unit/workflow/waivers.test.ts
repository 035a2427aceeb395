import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import type { ResourceResult } from '../../../src/core/types.js';
import { applyWaivers, parseWaivers, waiverOutcomes, waiverState, type Waiver } from '../../../src/workflow/waivers.js';

const known = new Set(['s3-bucket-versioning', 'iam-root-mfa']);
const waiver = (over: Partial<Waiver> = {}): Waiver => ({
  id: 'RISK-1',
  control: 's3-bucket-versioning',
  resources: ['arn:aws:s3:::legacy-*'],
  justification: 'Legacy archive buckets are write-once by bucket policy; versioning adds nothing.',
  approver: 'Jane Doe (CISO)',
  approved: '2026-10-01',
  expires: '2026-12-31',
  ...over,
});
const result = (resourceId: string, status: ResourceResult['status']): ResourceResult => ({ resourceId, resourceType: 'AWS::S3::Bucket', account: '123456789012', region: 'us-east-1', status, message: 'm', evidence: [] });

describe('waivers', () => {
  it('waives a matching FAIL and keeps the original status', () => {
    const matched = new Map<string, number>();
    const out = applyWaivers('s3-bucket-versioning', [result('arn:aws:s3:::legacy-1', 'FAIL'), result('arn:aws:s3:::prod', 'FAIL'), result('arn:aws:s3:::legacy-2', 'PASS')], [waiver()], '2026-11-01T00:00:00Z', matched);
    expect(out.map((r) => [r.resourceId, r.status, r.originalStatus, r.waiver?.id])).toEqual([
      ['arn:aws:s3:::legacy-1', 'WAIVED', 'FAIL', 'RISK-1'],
      ['arn:aws:s3:::prod', 'FAIL', undefined, undefined],
      ['arn:aws:s3:::legacy-2', 'PASS', undefined, undefined],
    ]);
    expect(matched.get('RISK-1')).toBe(1);
  });

  it('applies through its expiry date and stops the day after', () => {
    expect(waiverState(waiver(), '2026-12-31T23:59:59Z')).toBe('active');
    expect(waiverState(waiver(), '2027-01-01T00:00:00Z')).toBe('expired');
    expect(waiverState(waiver(), '2026-09-30T00:00:00Z')).toBe('not-yet-approved');
    const matched = new Map<string, number>();
    const out = applyWaivers('s3-bucket-versioning', [result('arn:aws:s3:::legacy-1', 'FAIL')], [waiver()], '2027-01-01T00:00:00Z', matched);
    expect(out[0]?.status).toBe('FAIL');
    expect(waiverOutcomes([waiver()], '2027-01-01T00:00:00Z', matched)[0]?.state).toBe('expired');
  });

  it('never hides an ERROR unless the waiver says coversErrors', () => {
    const errors = [result('arn:aws:s3:::legacy-1', 'ERROR')];
    expect(applyWaivers('s3-bucket-versioning', errors, [waiver()], '2026-11-01T00:00:00Z', new Map())[0]?.status).toBe('ERROR');
    expect(applyWaivers('s3-bucket-versioning', errors, [waiver({ coversErrors: true })], '2026-11-01T00:00:00Z', new Map())[0]).toMatchObject({ status: 'WAIVED', originalStatus: 'ERROR' });
  });

  it('respects account and region scope and flags a waiver that matches nothing', () => {
    const matched = new Map<string, number>();
    const out = applyWaivers('s3-bucket-versioning', [result('arn:aws:s3:::legacy-1', 'FAIL')], [waiver({ accounts: ['999999999999'] })], '2026-11-01T00:00:00Z', matched);
    expect(out[0]?.status).toBe('FAIL');
    expect(waiverOutcomes([waiver({ accounts: ['999999999999'] })], '2026-11-01T00:00:00Z', matched)[0]).toMatchObject({ state: 'unmatched', matched: 0 });
  });

  const yaml = (body: string): string => `waivers:\n  - id: RISK-1\n    control: s3-bucket-versioning\n${body}`;
  const good = '    justification: Legacy archive buckets are write-once by bucket policy.\n    approver: Jane Doe\n    approved: 2026-10-01\n    expires: 2026-12-31\n';

  it.each([
    ['a short justification', good.replace('Legacy archive buckets are write-once by bucket policy.', 'because'), /waivers\.yaml:4: field "waivers\.0\.justification": is too short/],
    ['a missing approver', good.replace('    approver: Jane Doe\n', ''), /field "waivers\.0\.approver": is required but missing/],
    ['a bad date', good.replace('2026-12-31', '31/12/2026'), /waivers\.yaml:7: field "waivers\.0\.expires"/],
    ['expiry before approval', good.replace('2026-12-31', '2026-01-01'), /expires \(2026-01-01\) is before approved/],
    ['an unknown field', `${good}    owner: me\n`, /field "waivers\.0\.owner": unknown field/],
  ])('rejects %s with one line naming file and field', (_name, body, pattern) => {
    const err = (() => {
      try {
        parseWaivers('waivers.yaml', yaml(body), known);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message.split('\n')).toHaveLength(1);
    expect((err as Error).message).toMatch(pattern);
  });

  it('rejects an unknown control', () => {
    expect(() => parseWaivers('waivers.yaml', yaml(good).replace('s3-bucket-versioning', 'nope-control'), known)).toThrow(/field "waivers\.0\.control": unknown control "nope-control"/);
  });
});
