import type { ResourceResult } from '../../../src/core/types.js';
import type { FindingContext } from '../../../src/export/securityhub/asff.js';
import type { ControlResult } from '../../../src/results/types.js';

export const ACCOUNT = '111122223333';
export const HASH_A = 'a'.repeat(64);
export const HASH_B = 'b'.repeat(64);

export function control(overrides: Partial<ControlResult> = {}): ControlResult {
  return {
    id: 's3-bucket-versioning',
    title: 'S3 buckets have versioning enabled',
    description: 'Each general purpose bucket must have versioning in the Enabled state (Security Hub S3.14).',
    severity: 'low',
    kind: 'automated',
    responsibility: 'customer',
    status: 'FAIL',
    mappings: { 'well-architected': ['SEC07-BP02', 'SEC08-BP04'], 'shared-responsibility': ['customer.data'], 'security-hub': ['S3.14'] },
    params: {},
    remediation: { text: 'Enable versioning on the bucket.', cli: 'aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled', url: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/manage-versioning-examples.html' },
    source: 'controls/s3/s3-bucket-versioning.yaml',
    evidence: ['s3.buckets'],
    counts: { PASS: 0, FAIL: 1, ERROR: 0, NOT_APPLICABLE: 0, MANUAL: 0, INHERITED: 0, WAIVED: 0 },
    results: [],
    ...overrides,
  };
}

export function result(overrides: Partial<ResourceResult> = {}): ResourceResult {
  return {
    resourceId: 'arn:aws:s3:::logs-bucket',
    resourceType: 'AWS::S3::Bucket',
    account: ACCOUNT,
    region: 'eu-west-1',
    status: 'FAIL',
    message: 'bucket logs-bucket versioning is Disabled',
    evidence: [`sha256:${HASH_A}`],
    ...overrides,
  };
}

export function context(overrides: Partial<FindingContext> = {}): FindingContext {
  return {
    runId: '20250101T000000Z-abcdef',
    manifestSha256: 'f'.repeat(64),
    homeRegion: 'us-east-1',
    evidencePaths: new Map([[HASH_A, `evidence/${ACCOUNT}/global/s3.buckets.json`]]),
    observedAt: '2025-01-01T00:05:00.000Z',
    updatedAt: '2025-01-02T00:00:00.000Z',
    ...overrides,
  };
}
