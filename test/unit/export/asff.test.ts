import { describe, expect, it } from 'vitest';
import {
  archivedCopy,
  asffResourceType,
  findingBytes,
  findingId,
  fitFinding,
  generatorId,
  isExportable,
  LIMITS,
  MAX_EVIDENCE_FIELDS,
  productArn,
  relatedRequirements,
  targetRegion,
  toFinding,
  truncate,
} from '../../../src/export/securityhub/asff.js';
import { ACCOUNT, context, control, HASH_A, HASH_B, result } from './fixtures.js';

describe('ASFF mapping of one control × resource result', () => {
  it('fills every required and documented field for a failed resource', () => {
    const f = toFinding(control(), result(), context());
    expect(f).toMatchObject({
      SchemaVersion: '2018-10-08',
      ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`,
      GeneratorId: 'auditpack/s3-bucket-versioning',
      AwsAccountId: ACCOUNT,
      Region: 'eu-west-1',
      CreatedAt: '2025-01-02T00:00:00.000Z',
      UpdatedAt: '2025-01-02T00:00:00.000Z',
      FirstObservedAt: '2025-01-01T00:05:00.000Z',
      LastObservedAt: '2025-01-01T00:05:00.000Z',
      Severity: { Label: 'LOW', Original: 'low' },
      Title: 'S3 buckets have versioning enabled',
      Remediation: {
        Recommendation: {
          Text: 'Enable versioning on the bucket. CLI: aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled',
          Url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/manage-versioning-examples.html',
        },
      },
      Compliance: {
        Status: 'FAILED',
        RelatedRequirements: [
          'AWS Well-Architected Framework Security Pillar/SEC07-BP02',
          'AWS Well-Architected Framework Security Pillar/SEC08-BP04',
          'AWS Foundational Security Best Practices v1.0.0/S3.14',
        ],
      },
      Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::logs-bucket', Partition: 'aws', Region: 'eu-west-1' }],
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    });
    expect(f.Id).toMatch(/^auditpack\/s3-bucket-versioning\/111122223333\/eu-west-1\/[0-9a-f]{24}$/);
    expect(f.Types).toEqual([
      'Software and Configuration Checks/AWS Security Best Practices',
      'Software and Configuration Checks/Industry and Regulatory Standards/AWS Well-Architected Framework Security Pillar',
      'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
    ]);
    expect(f.FindingProviderFields).toEqual({ Severity: { Label: 'LOW', Original: 'low' }, Types: f.Types });
    expect(f.Description).toBe('bucket logs-bucket versioning is Disabled\n\nEach general purpose bucket must have versioning in the Enabled state (Security Hub S3.14).');
    expect(f.ProductFields).toEqual({
      'auditpack/RunId': '20250101T000000Z-abcdef',
      'auditpack/ManifestSha256': 'f'.repeat(64),
      'auditpack/ControlId': 's3-bucket-versioning',
      'auditpack/Status': 'FAIL',
      'auditpack/ResourceType': 'AWS::S3::Bucket',
      'auditpack/ResultRegion': 'eu-west-1',
      'auditpack/Evidence/1': `sha256:${HASH_A} evidence/${ACCOUNT}/global/s3.buckets.json`,
    });
    expect(f.Compliance?.StatusReasons).toBeUndefined();
  });

  it('maps a passed resource to PASSED, INFORMATIONAL, RESOLVED and ARCHIVED', () => {
    const f = toFinding(control(), result({ status: 'PASS', message: 'bucket logs-bucket versioning is Enabled' }), context());
    expect(f.Compliance?.Status).toBe('PASSED');
    expect(f.Severity).toEqual({ Label: 'INFORMATIONAL', Original: 'low' });
    expect(f.Workflow?.Status).toBe('RESOLVED');
    expect(f.RecordState).toBe('ARCHIVED');
  });

  it('maps ERROR to NOT_AVAILABLE with a status reason, keeping the control severity (fail closed)', () => {
    const f = toFinding(control({ severity: 'critical' }), result({ status: 'ERROR', message: 'evidence s3.buckets: AccessDenied' }), context());
    expect(f.Compliance?.Status).toBe('NOT_AVAILABLE');
    expect(f.Compliance?.StatusReasons).toEqual([{ ReasonCode: 'AUDITPACK_EVIDENCE_ERROR', Description: 'evidence s3.buckets: AccessDenied' }]);
    expect(f.Severity?.Label).toBe('CRITICAL');
    expect(f.RecordState).toBe('ACTIVE');
    const rule = toFinding(control(), result({ status: 'ERROR', message: 'rule could not be evaluated: no such key' }), context());
    expect(rule.Compliance?.StatusReasons?.[0]?.ReasonCode).toBe('AUDITPACK_RULE_ERROR');
  });

  it('sends a waived result with its original status, SUPPRESSED, and the waiver in ProductFields', () => {
    const waived = { ...result({ status: 'WAIVED' }), originalStatus: 'FAIL' as const, waiver: { id: 'RISK-1', justification: 'archive bucket, immutable by policy', approver: 'ciso@example.com', expires: '2026-01-01' } };
    const f = toFinding(control(), waived, context());
    expect(f.Compliance?.Status).toBe('FAILED');
    expect(f.Workflow?.Status).toBe('SUPPRESSED');
    expect(f.RecordState).toBe('ACTIVE');
    expect(f.ProductFields).toMatchObject({ 'auditpack/Status': 'WAIVED', 'auditpack/WaiverReason': 'archive bucket, immutable by policy', 'auditpack/WaiverApprovedBy': 'ciso@example.com', 'auditpack/WaiverExpiresAt': '2026-01-01' });
  });

  it('sends account-wide results (region global) to the home region but keeps global in the Id', () => {
    const r = result({ resourceId: `AWS::::Account:${ACCOUNT}`, resourceType: 'AWS::::Account', region: 'global' });
    const f = toFinding(control({ id: 'iam-root-mfa', severity: 'critical', mappings: { 'cis-aws-3.0': ['1.5'], 'security-hub': ['IAM.9'] } }), r, context());
    expect(f.Region).toBe('us-east-1');
    expect(f.ProductArn).toBe(`arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`);
    expect(f.Id).toContain(`/${ACCOUNT}/global/`);
    expect(f.Resources).toEqual([{ Type: 'AwsAccount', Id: `AWS::::Account:${ACCOUNT}`, Partition: 'aws', Region: 'us-east-1' }]);
    expect(f.Compliance?.RelatedRequirements).toEqual(['AWS Foundational Security Best Practices v1.0.0/IAM.9', 'CIS AWS Foundations Benchmark v3.0.0/1.5']);
    expect(f.Types).toContain('Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark');
  });

  it('keeps CreatedAt and FirstObservedAt from history while UpdatedAt advances', () => {
    const f = toFinding(control(), result(), context(), { createdAt: '2024-06-01T00:00:00.000Z', firstObservedAt: '2024-05-31T00:00:00.000Z' });
    expect(f.CreatedAt).toBe('2024-06-01T00:00:00.000Z');
    expect(f.FirstObservedAt).toBe('2024-05-31T00:00:00.000Z');
    expect(f.UpdatedAt).toBe('2025-01-02T00:00:00.000Z');
  });

  it('uses the partition of the region', () => {
    expect(productArn('cn-north-1', ACCOUNT)).toBe(`arn:aws-cn:securityhub:cn-north-1:${ACCOUNT}:product/${ACCOUNT}/default`);
    expect(toFinding(control(), result({ region: 'us-gov-west-1' }), context()).Resources?.[0]?.Partition).toBe('aws-us-gov');
  });

  it('describes unmapped resource types as Other with their CloudFormation type', () => {
    expect(asffResourceType('AWS::EC2::SecurityGroup')).toBe('AwsEc2SecurityGroup');
    expect(asffResourceType('AWS::IAM::User')).toBe('AwsIamUser');
    expect(asffResourceType('AWS::RDS::DBInstance')).toBe('AwsRdsDbInstance');
    const f = toFinding(control(), result({ resourceType: 'AWS::EC2::Snapshot', resourceId: 'arn:aws:ec2:eu-west-1:111122223333:snapshot/snap-1' }), context());
    expect(f.Resources?.[0]).toMatchObject({ Type: 'Other', Details: { Other: { CloudFormationType: 'AWS::EC2::Snapshot' } } });
  });
});

describe('finding Ids', () => {
  it('are stable and differ per control, account, region and resource', () => {
    const base = findingId('s3-bucket-versioning', ACCOUNT, 'eu-west-1', 'arn:aws:s3:::a');
    expect(findingId('s3-bucket-versioning', ACCOUNT, 'eu-west-1', 'arn:aws:s3:::a')).toBe(base);
    const variants = [
      findingId('s3-bucket-logging', ACCOUNT, 'eu-west-1', 'arn:aws:s3:::a'),
      findingId('s3-bucket-versioning', '999999999999', 'eu-west-1', 'arn:aws:s3:::a'),
      findingId('s3-bucket-versioning', ACCOUNT, 'us-east-1', 'arn:aws:s3:::a'),
      findingId('s3-bucket-versioning', ACCOUNT, 'eu-west-1', 'arn:aws:s3:::b'),
    ];
    expect(new Set([base, ...variants]).size).toBe(5);
  });

  it('is a known value (the hash must never change between versions)', () => {
    // Pinned: a refactor must not silently re-key every finding already in Security Hub.
    expect(findingId('c', ACCOUNT, 'eu-west-1', 'arn:aws:s3:::a')).toBe('auditpack/c/111122223333/eu-west-1/4d1e6adec2a463a85231d947');
  });

  it('stays within 512 characters for very long resource ids and control ids', () => {
    expect(findingId('c', ACCOUNT, 'eu-west-1', 'x'.repeat(5000)).length).toBeLessThan(100);
    const long = findingId('c'.repeat(600), ACCOUNT, 'eu-west-1', 'r');
    expect(long.length).toBeLessThanOrEqual(LIMITS.id);
    expect(long.startsWith('auditpack/')).toBe(true);
    expect(generatorId('c'.repeat(600)).length).toBeLessThanOrEqual(LIMITS.generatorId);
  });

  it('routes global results to the home region only', () => {
    expect(targetRegion('global', 'eu-central-1')).toBe('eu-central-1');
    expect(targetRegion('eu-west-1', 'eu-central-1')).toBe('eu-west-1');
  });
});

describe('which results become findings', () => {
  it('exports judged results of automated controls only', () => {
    for (const status of ['PASS', 'FAIL', 'ERROR', 'WAIVED'] as const) expect(isExportable({ kind: 'automated' }, { status })).toBe(true);
    for (const status of ['MANUAL', 'INHERITED', 'NOT_APPLICABLE'] as const) expect(isExportable({ kind: 'automated' }, { status })).toBe(false);
    expect(isExportable({ kind: 'manual' }, { status: 'FAIL' })).toBe(false);
    expect(isExportable({ kind: 'inherited' }, { status: 'PASS' })).toBe(false);
  });
});

describe('length limits and trimming', () => {
  it('truncates title, description and recommendation to the ASFF limits with a note', () => {
    const f = toFinding(
      control({ title: 'T'.repeat(400), description: 'D'.repeat(3000), remediation: { text: 'R'.repeat(900) } }),
      result({ message: 'M'.repeat(5000), status: 'ERROR' }),
      context(),
    );
    expect(f.Title?.length).toBe(LIMITS.title);
    expect(f.Description?.length).toBe(LIMITS.description);
    expect(f.Description).toMatch(/\(truncated; full text in results\.json\)$/);
    expect(f.Remediation?.Recommendation?.Text?.length).toBe(LIMITS.recommendationText);
    expect(f.Remediation?.Recommendation?.Url).toBeUndefined();
    expect(f.Compliance?.StatusReasons?.[0]?.Description?.length).toBe(LIMITS.statusReasonDescription);
  });

  it('lists at most 20 evidence files, with a note saying how many were left out', () => {
    const hashes = Array.from({ length: 30 }, (_, i) => `sha256:${i.toString(16).padStart(64, '0')}`);
    const f = toFinding(control(), result({ evidence: hashes }), context());
    const keys = Object.keys(f.ProductFields ?? {});
    expect(keys.filter((k) => k.startsWith('auditpack/Evidence/'))).toHaveLength(MAX_EVIDENCE_FIELDS);
    expect(f.ProductFields?.['auditpack/EvidenceTrimmed']).toMatch(/^20 of 30 evidence files listed/);
    expect(keys.length).toBeLessThanOrEqual(50);
    expect(f.ProductFields?.['auditpack/Evidence/1']).toBe(`sha256:${'0'.repeat(64)}`); // not in the manifest map: hash only
  });

  it('keeps at most 32 related requirements, noting the rest', () => {
    const many = Array.from({ length: 40 }, (_, i) => `SEC${String(i).padStart(2, '0')}-BP01`);
    const { requirements, trimmed } = relatedRequirements({ 'well-architected': many });
    expect(requirements).toHaveLength(32);
    expect(trimmed).toBe(8);
    const f = toFinding(control({ mappings: { 'well-architected': many } }), result(), context());
    expect(f.Compliance?.RelatedRequirements).toHaveLength(32);
    expect(f.ProductFields?.['auditpack/RequirementsTrimmed']).toContain('8 related requirements omitted');
  });

  it('truncate leaves short text alone and never exceeds the limit', () => {
    expect(truncate('abc', 10)).toBe('abc');
    expect(truncate('abcdefghij', 5, '…')).toBe('abcd…');
    expect(truncate('abcdefghij', 2, '…...')).toBe('ab');
  });

  it('fits a finding over the size limit by trimming the evidence list, else reports it as not fitting', () => {
    const hashes = [`sha256:${HASH_A}`, `sha256:${HASH_B}`, `sha256:${'c'.repeat(64)}`];
    const f = toFinding(control(), result({ evidence: hashes }), context());
    const size = findingBytes(f);
    expect(fitFinding(f, size)).toBe(f);
    const trimmed = fitFinding(f, size - 50);
    expect(trimmed).toBeDefined();
    expect(Object.keys(trimmed?.ProductFields ?? {}).filter((k) => k.startsWith('auditpack/Evidence/'))).toEqual(['auditpack/Evidence/1']);
    expect(trimmed?.ProductFields?.['auditpack/EvidenceTrimmed']).toContain('finding size limit');
    expect(fitFinding(f, 200)).toBeUndefined();
  });
});

describe('archiving an earlier finding', () => {
  it('copies only our own fields, drops reserved aws/ product fields, and archives it', () => {
    const earlier = toFinding(control(), result(), context({ updatedAt: '2024-01-01T00:00:00.000Z' }));
    const fromHub = {
      ...earlier,
      ProductFields: { ...earlier.ProductFields, 'aws/securityhub/FindingId': 'x', 'aws/securityhub/ProductName': 'Default' },
      Workflow: { Status: 'NOTIFIED' as const },
      Note: { Text: 'user note', UpdatedBy: 'alice', UpdatedAt: '2024-01-02T00:00:00.000Z' },
      ProcessedAt: '2024-01-01T00:00:01.000Z',
    };
    const archived = archivedCopy(fromHub, '2025-02-01T00:00:00.000Z', 'run-2');
    expect(archived.RecordState).toBe('ARCHIVED');
    expect(archived.UpdatedAt).toBe('2025-02-01T00:00:00.000Z');
    expect(archived.CreatedAt).toBe('2024-01-01T00:00:00.000Z');
    expect(archived.Workflow).toBeUndefined();
    expect(archived.Note).toBeUndefined();
    expect(archived.ProcessedAt).toBeUndefined();
    expect(Object.keys(archived.ProductFields ?? {}).some((k) => k.startsWith('aws/'))).toBe(false);
    expect(archived.ProductFields?.['auditpack/ArchivedBy']).toBe('run-2');
    expect(archived.Title).toBe(earlier.Title);
  });
});
