import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { describe, expect, it } from 'vitest';
import { productArn, toFinding } from '../../../src/export/securityhub/asff.js';
import { controlOf, evaluatedBy, isOwnFinding, nextRecords, planArchives, planWorkflow, previousFromHub, recordOf, tombstone, type PreviousFinding } from '../../../src/export/securityhub/lifecycle.js';
import { ACCOUNT, context, control, result } from './fixtures.js';

const REGION = 'eu-west-1';
const finding = (bucket: string, overrides: Parameters<typeof result>[0] = {}, updatedAt = '2025-01-01T00:00:00.000Z') =>
  toFinding(control(), result({ resourceId: `arn:aws:s3:::${bucket}`, ...overrides }), context({ updatedAt }));
const prev = (f: AwsSecurityFinding): PreviousFinding => previousFromHub(f);

describe('which findings are ours', () => {
  const ours = finding('a');
  it('accepts our product, generator and Id prefix in the same account and region', () => {
    expect(isOwnFinding(ours, ACCOUNT, REGION)).toBe(true);
  });
  it('rejects another product, generator, Id scheme, account or region', () => {
    expect(isOwnFinding({ ...ours, ProductArn: `arn:aws:securityhub:${REGION}::product/aws/guardduty` }, ACCOUNT, REGION)).toBe(false);
    expect(isOwnFinding({ ...ours, GeneratorId: 'custom-scanner/rule-1' }, ACCOUNT, REGION)).toBe(false);
    expect(isOwnFinding({ ...ours, Id: 'prowler-s3_bucket_versioning-111122223333' }, ACCOUNT, REGION)).toBe(false);
    expect(isOwnFinding(ours, '999999999999', REGION)).toBe(false);
    expect(isOwnFinding(ours, ACCOUNT, 'us-east-1')).toBe(false);
    expect(isOwnFinding({ ...ours, ProductArn: productArn(REGION, '999999999999') }, ACCOUNT, REGION)).toBe(false);
  });
});

describe('archiving', () => {
  it('archives previous ACTIVE findings absent now, with their full content', () => {
    const gone = finding('gone');
    const kept = finding('kept');
    const archives = planArchives(new Set([kept.Id!]), [prev(gone), prev(kept)], '2025-02-01T00:00:00.000Z', 'run-2');
    expect(archives).toHaveLength(1);
    expect(archives[0]).toMatchObject({ Id: gone.Id, RecordState: 'ARCHIVED', CreatedAt: gone.CreatedAt, UpdatedAt: '2025-02-01T00:00:00.000Z', Title: gone.Title });
  });

  it('does not archive again what is already archived', () => {
    const passed = finding('passed', { status: 'PASS' });
    expect(planArchives(new Set(), [prev(passed)], '2025-02-01T00:00:00.000Z', 'run-2')).toEqual([]);
  });

  it('archives with a minimal valid finding when only the record is known', () => {
    const gone = finding('gone');
    const archives = planArchives(new Set(), [{ record: recordOf(gone) }], '2025-02-01T00:00:00.000Z', 'run-2');
    expect(archives[0]).toEqual(tombstone(recordOf(gone), '2025-02-01T00:00:00.000Z'));
    expect(archives[0]).toMatchObject({
      Id: gone.Id,
      ProductArn: gone.ProductArn,
      GeneratorId: gone.GeneratorId,
      CreatedAt: gone.CreatedAt,
      RecordState: 'ARCHIVED',
      Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::gone', Region: REGION }],
    });
  });
});

describe('workflow changes for waivers', () => {
  const waived = (bucket: string) => toFinding(control(), { ...result({ resourceId: `arn:aws:s3:::${bucket}`, status: 'WAIVED' }), originalStatus: 'FAIL', waiver: { id: 'RISK-1', justification: 'legacy', approver: 'ciso', expires: '2099-01-01' } }, context());

  it('suppresses newly waived findings with the reason as note', () => {
    const f = waived('w');
    expect(planWorkflow([f], new Map())).toEqual([{ status: 'SUPPRESSED', note: 'Waived: legacy', ids: [f.Id] }]);
  });

  it('does nothing for a finding already suppressed by auditpack', () => {
    const f = waived('w');
    expect(planWorkflow([f], new Map([[f.Id!, prev(f)]]))).toEqual([]);
  });

  it('reopens a finding whose waiver is gone: NEW when failing, RESOLVED when passing', () => {
    const before = [waived('a'), waived('b')];
    const previous = new Map(before.map((f) => [f.Id!, prev(f)]));
    const now = [finding('a'), finding('b', { status: 'PASS' })];
    expect(planWorkflow(now, previous)).toEqual([
      { status: 'NEW', note: 'Waiver no longer applies (auditpack)', ids: [now[0]!.Id] },
      { status: 'RESOLVED', note: 'Waiver no longer applies (auditpack)', ids: [now[1]!.Id] },
    ]);
  });

  it('never reopens a finding a user suppressed by hand', () => {
    const f = finding('a');
    const suppressedByUser = prev({ ...f, Workflow: { Status: 'SUPPRESSED' } });
    expect(planWorkflow([f], new Map([[f.Id!, suppressedByUser]]))).toEqual([]);
  });

  it('suppresses again a waived finding whose earlier suppression did not happen (resuppress), and never reopens for it', () => {
    const f = waived('w');
    expect(planWorkflow([f], new Map([[f.Id!, { ...prev(f), resuppress: true }]]))).toEqual([{ status: 'SUPPRESSED', note: 'Waived: legacy', ids: [f.Id] }]);
    const fixed = finding('w');
    expect(planWorkflow([fixed], new Map([[fixed.Id!, { ...prev(fixed), resuppress: true }]]))).toEqual([]);
  });
});

describe('the record of what a push left in Security Hub', () => {
  const pushedAt = '2025-03-01T00:00:00.000Z';

  it('records imported and archived findings with CreatedAt', () => {
    const a = finding('a');
    const gone = planArchives(new Set(), [prev(finding('gone'))], pushedAt, 'r')[0]!;
    const records = nextRecords({ imported: [a], failedIds: new Set(), currentIds: new Set([a.Id!]), previous: [prev(finding('gone'))], archived: [gone], pushedAt });
    expect(records.map((r) => [r.id, r.recordState, r.createdAt])).toEqual(
      [
        [a.Id, 'ACTIVE', a.CreatedAt],
        [gone.Id, 'ARCHIVED', gone.CreatedAt],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });

  it('keeps the previous entry of a finding that failed, so CreatedAt survives and the next push retries', () => {
    const before = finding('a', {}, '2024-01-01T00:00:00.000Z');
    const records = nextRecords({ imported: [], failedIds: new Set([before.Id!]), currentIds: new Set([before.Id!]), previous: [prev(before)], archived: [], pushedAt });
    expect(records).toEqual([recordOf(before)]);
  });

  it('keeps a vanished finding whose archiving failed as ACTIVE, so it is archived next time', () => {
    const before = finding('gone');
    const records = nextRecords({ imported: [], failedIds: new Set([before.Id!]), currentIds: new Set(), previous: [prev(before)], archived: [], pushedAt });
    expect(records[0]?.recordState).toBe('ACTIVE');
  });

  it('forgets archived findings older than Security Hub keeps them (90 days)', () => {
    const young = { ...finding('young', { status: 'PASS' }), UpdatedAt: '2025-02-01T00:00:00.000Z' };
    const old = { ...finding('old', { status: 'PASS' }), UpdatedAt: '2024-10-01T00:00:00.000Z' };
    const records = nextRecords({ imported: [], failedIds: new Set(), currentIds: new Set(), previous: [prev(young), prev(old)], archived: [], pushedAt });
    expect(records.map((r) => r.id)).toEqual([young.Id]);
  });

  it('marks waived findings as suppressed by auditpack', () => {
    const f = toFinding(control(), { ...result({ status: 'WAIVED' }), waiver: { id: 'RISK-1', justification: 'legacy', approver: 'ciso', expires: '2099-01-01' } }, context());
    expect(recordOf(f).waived).toBe(true);
    expect(recordOf(finding('a')).waived).toBe(false);
  });
});

describe('what a run evaluated (archiving scope)', () => {
  const scope = { accounts: [ACCOUNT], regions: [REGION], controls: new Map([['s3-bucket-versioning', true], ['ec2-imdsv2-required', false]]) };
  const record = (generatorId: string, region: string, account = ACCOUNT) => ({ ...recordOf(finding('a')), generatorId, region, account });
  const inScope = evaluatedBy(scope);

  it('covers every region for account-wide controls, only the run regions for regional ones', () => {
    expect(inScope(record('auditpack/s3-bucket-versioning', 'ap-south-1'))).toBe(true);
    expect(inScope(record('auditpack/ec2-imdsv2-required', REGION))).toBe(true);
    expect(inScope(record('auditpack/ec2-imdsv2-required', 'ap-south-1'))).toBe(false);
  });

  it('excludes controls and accounts the run did not evaluate', () => {
    expect(inScope(record('auditpack/iam-root-mfa', REGION))).toBe(false);
    expect(inScope(record('auditpack/s3-bucket-versioning', REGION, '999999999999'))).toBe(false);
    expect(controlOf('other/x')).toBe('');
  });

  it('leaves out-of-scope findings active', () => {
    const gone = finding('gone');
    expect(planArchives(new Set(), [prev(gone)], '2025-02-01T00:00:00.000Z', 'r', () => false)).toEqual([]);
  });
});
