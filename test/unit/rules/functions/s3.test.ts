import { describe, expect, it } from 'vitest';
import {
  aclGrantsPublic,
  bucketPublicAccess,
  policyAllowsPublicAccess,
  policyDeniesInsecureTransport,
  wildcardMatch,
} from '../../../../src/rules/functions/s3.js';

const sslDeny = (resource: unknown, extra: Record<string, unknown> = {}) => ({
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: resource,
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  ...extra,
});
const policy = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement });

describe('policyDeniesInsecureTransport (S3.5)', () => {
  it('passes the canonical SSL-only statement', () => {
    expect(policyDeniesInsecureTransport(policy(sslDeny(['arn:aws:s3:::b', 'arn:aws:s3:::b/*'])), 'b')).toBe(true);
  });
  it('accepts a single statement object, * action, {AWS:"*"}, boolean false and wildcard resources', () => {
    const p = { Statement: sslDeny('arn:aws:s3:::b*', { Action: '*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:securetransport': false } } }) };
    expect(policyDeniesInsecureTransport(p, 'b')).toBe(true);
  });
  it('accepts bucket and objects covered by two statements', () => {
    expect(policyDeniesInsecureTransport(policy(sslDeny('arn:aws:s3:::b'), sslDeny('arn:aws:s3:::b/*')), 'b')).toBe(true);
  });
  it.each([
    ['no policy', null],
    ['objects only', policy(sslDeny('arn:aws:s3:::b/*'))],
    ['a prefix only', policy(sslDeny(['arn:aws:s3:::b', 'arn:aws:s3:::b/logs/*']))],
    ['another bucket', policy(sslDeny(['arn:aws:s3:::other', 'arn:aws:s3:::other/*']))],
    ['Allow instead of Deny', policy(sslDeny(['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], { Effect: 'Allow' }))],
    ['a narrower action', policy(sslDeny(['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], { Action: 's3:GetObject' }))],
    ['a specific principal', policy(sslDeny(['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], { Principal: { AWS: 'arn:aws:iam::111111111111:root' } }))],
    ['SecureTransport true', policy(sslDeny(['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], { Condition: { Bool: { 'aws:SecureTransport': 'true' } } }))],
    ['no condition', policy(sslDeny(['arn:aws:s3:::b', 'arn:aws:s3:::b/*'], { Condition: undefined }))],
  ])('fails with %s', (_name, p) => {
    expect(policyDeniesInsecureTransport(p, 'b')).toBe(false);
  });
  it('needs the bucket name', () => {
    expect(() => policyDeniesInsecureTransport(policy(), undefined)).toThrow(/bucket name/);
  });
});

describe('policyAllowsPublicAccess', () => {
  const allow = (extra: Record<string, unknown>) => policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...extra });
  it('finds public read and write by action and wildcard', () => {
    expect(policyAllowsPublicAccess(allow({}), 'read')).toBe(true);
    expect(policyAllowsPublicAccess(allow({}), 'write')).toBe(false);
    expect(policyAllowsPublicAccess(allow({ Action: 's3:Put*' }), 'write')).toBe(true);
    expect(policyAllowsPublicAccess(allow({ Action: '*' }), 'write')).toBe(true);
    expect(policyAllowsPublicAccess(allow({ Principal: { AWS: ['*'] } }), 'any')).toBe(true);
    expect(policyAllowsPublicAccess(allow({ Action: undefined, NotAction: 's3:DeleteObject' }), 'read')).toBe(true);
  });
  it('is not public for named principals or restricting conditions', () => {
    expect(policyAllowsPublicAccess(allow({ Principal: { AWS: 'arn:aws:iam::111111111111:root' } }), 'read')).toBe(false);
    expect(policyAllowsPublicAccess(allow({ Principal: { Service: 'logging.s3.amazonaws.com' } }), 'any')).toBe(false);
    expect(policyAllowsPublicAccess(allow({ Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }), 'read')).toBe(false);
    expect(policyAllowsPublicAccess(allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }), 'read')).toBe(false);
  });
  it('stays public when the condition does not restrict callers', () => {
    expect(policyAllowsPublicAccess(allow({ Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }), 'read')).toBe(true);
    expect(policyAllowsPublicAccess(allow({ Condition: { StringLike: { 'aws:PrincipalOrgID': '*' } } }), 'read')).toBe(true);
    expect(policyAllowsPublicAccess(allow({ Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-1' } } }), 'read')).toBe(true);
    expect(policyAllowsPublicAccess(allow({ Condition: { Bool: { 'aws:SecureTransport': 'true' } } }), 'read')).toBe(true);
  });
  it('ignores Deny statements and empty policies', () => {
    expect(policyAllowsPublicAccess(allow({ Effect: 'Deny' }), 'any')).toBe(false);
    expect(policyAllowsPublicAccess(null, 'any')).toBe(false);
    expect(() => policyAllowsPublicAccess(allow({}), 'delete')).toThrow(/access/);
  });
});

describe('aclGrantsPublic', () => {
  const grants = [
    { granteeType: 'CanonicalUser', granteeUri: null, granteeId: 'owner', permission: 'FULL_CONTROL' },
    { granteeType: 'Group', granteeUri: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers', granteeId: null, permission: 'READ' },
    { granteeType: 'Group', granteeUri: 'http://acs.amazonaws.com/groups/s3/LogDelivery', granteeId: null, permission: 'WRITE' },
  ];
  it('finds AllUsers/AuthenticatedUsers grants with the permissions asked for', () => {
    expect(aclGrantsPublic(grants, ['READ', 'FULL_CONTROL'])).toBe(true);
    expect(aclGrantsPublic(grants, ['WRITE', 'WRITE_ACP', 'FULL_CONTROL'])).toBe(false);
    expect(aclGrantsPublic(grants, 'READ')).toBe(true);
    expect(aclGrantsPublic(undefined, ['READ'])).toBe(false);
  });
});

describe('bucketPublicAccess honours Block Public Access', () => {
  const off = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
  const bucket = {
    policy: policy({ Sid: 'Pub', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::b/*' }),
    aclGrants: [{ granteeType: 'Group', granteeUri: 'http://acs.amazonaws.com/groups/global/AllUsers', granteeId: null, permission: 'FULL_CONTROL' }],
    publicAccessBlock: off,
  };
  it('reports policy and ACL when nothing blocks them', () => {
    expect(bucketPublicAccess(bucket, [{ ...off }], 'read')).toEqual([
      'bucket policy statement "Pub" allows s3:GetObject,s3:PutObject to everyone',
      'ACL grants AllUsers:FULL_CONTROL',
    ]);
  });
  it('RestrictPublicBuckets neutralises the policy, IgnorePublicAcls the ACL (bucket or account)', () => {
    expect(bucketPublicAccess({ ...bucket, publicAccessBlock: { ...off, restrictPublicBuckets: true } }, [], 'write')).toEqual(['ACL grants AllUsers:FULL_CONTROL']);
    expect(bucketPublicAccess(bucket, [{ ...off, ignorePublicAcls: true }], 'write')).toHaveLength(1);
    expect(bucketPublicAccess(bucket, { ...off, ignorePublicAcls: true, restrictPublicBuckets: true }, 'any')).toEqual([]);
  });
  it('BlockPublicPolicy/BlockPublicAcls alone do not change existing public settings', () => {
    expect(bucketPublicAccess(bucket, [{ ...off, blockPublicAcls: true, blockPublicPolicy: true }], 'read')).toHaveLength(2);
  });
  it('needs a bucket', () => {
    expect(() => bucketPublicAccess(null, [], 'read')).toThrow(/bucket/);
  });
});

describe('wildcardMatch', () => {
  it('matches IAM-style wildcards', () => {
    expect(wildcardMatch('s3:Get*', 's3:GetObject')).toBe(true);
    expect(wildcardMatch('s3:?etObject', 's3:getobject')).toBe(true);
    expect(wildcardMatch('arn:aws:s3:::b.c/*', 'arn:aws:s3:::bxc/*', true)).toBe(false);
  });
});
