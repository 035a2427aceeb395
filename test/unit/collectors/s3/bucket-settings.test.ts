import { describe, expect, it } from 'vitest';
import { bucketRegion, normaliseAcl, normaliseEncryption, normaliseLogging, normaliseVersioning, parseBucketPolicy } from '../../../../collectors/s3/bucket-settings.js';

describe('bucket setting normalisers', () => {
  it('maps GetBucketLocation answers to regions', () => {
    expect(bucketRegion(undefined)).toBe('us-east-1');
    expect(bucketRegion('')).toBe('us-east-1');
    expect(bucketRegion('EU')).toBe('eu-west-1');
    expect(bucketRegion('ap-south-1')).toBe('ap-south-1');
  });
  it('normalises encryption, ACL, versioning, logging and policy', () => {
    expect(normaliseEncryption(undefined)).toEqual({ enabled: false, algorithm: null, kmsKeyId: null, bucketKey: false });
    expect(
      normaliseEncryption({
        $metadata: {},
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'k' }, BucketKeyEnabled: true }] },
      }),
    ).toEqual({ enabled: true, algorithm: 'aws:kms', kmsKeyId: 'k', bucketKey: true });
    expect(normaliseAcl({ Grants: [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }] })).toEqual([
      { granteeType: 'Group', granteeUri: 'http://acs.amazonaws.com/groups/global/AllUsers', granteeId: null, permission: 'READ' },
    ]);
    expect(normaliseVersioning({})).toEqual({ versioning: 'Disabled', mfaDelete: 'Disabled' });
    expect(normaliseVersioning({ Status: 'Suspended', MFADelete: 'Enabled' })).toEqual({ versioning: 'Suspended', mfaDelete: 'Enabled' });
    expect(normaliseLogging({})).toEqual({ enabled: false, targetBucket: null, targetPrefix: null });
    expect(parseBucketPolicy('b', undefined)).toBeNull();
    expect(parseBucketPolicy('b', '{"Statement":[]}')).toEqual({ Statement: [] });
    expect(() => parseBucketPolicy('b', '{nope')).toThrow(/not JSON/);
  });
});
