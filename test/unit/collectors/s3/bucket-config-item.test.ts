import { describe, expect, it } from 'vitest';
import { accountPublicAccessBlock } from '../../../../collectors/s3/account-public-access-block.js';
import { aclFromItem, bucketFromConfigItem } from '../../../../collectors/s3/bucket-config-item.js';
import { buckets } from '../../../../collectors/s3/buckets.js';
import type { ConfigSource } from '../../../../src/core/collector.js';
import type { ConfigItem } from '../../../../src/core/types.js';
import { awsError, FAKE_ACCOUNT, fakeClients } from '../../../helpers/fake-clients.js';

const OWNER = '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a';
const POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyHttp', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::ap-data/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] });
const CREATED = new Date('2026-12-01T11:14:48.000Z');

/** The item as the source hands it over (decoded once; the ACL still a JSON string), in AWS's full shape. */
function awsItem(name: string): ConfigItem {
  return {
    resourceType: 'AWS::S3::Bucket',
    resourceId: name,
    resourceName: name,
    arn: `arn:aws:s3:::${name}`,
    accountId: FAKE_ACCOUNT,
    awsRegion: 'eu-west-1',
    configurationItemCaptureTime: '2026-12-01T11:14:48.071Z',
    configurationItemStatus: 'OK',
    configurationStateId: '1796123717',
    configuration: { name, owner: { id: OWNER }, creationDate: '2026-12-01T11:14:48.000Z' },
    supplementaryConfiguration: {
      AccessControlList: JSON.stringify({ grantSet: null, grantList: [{ grantee: { id: OWNER, displayName: null }, permission: 'FullControl' }, { grantee: 'AllUsers', permission: 'Read' }, { grantee: 'LogDelivery', permission: 'ReadAcp' }], owner: { id: OWNER } }),
      BucketPolicy: { policyText: POLICY },
      PublicAccessBlockConfiguration: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: true },
      BucketLoggingConfiguration: { destinationBucketName: 'ap-logs', logFilePrefix: 'data/' },
      BucketVersioningConfiguration: { status: 'Enabled', isMfaDeleteEnabled: null },
      ServerSideEncryptionConfiguration: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyID: 'arn:aws:kms:eu-west-1:111111111111:key/k' }, bucketKeyEnabled: true }] },
    },
  };
}

/** moto's shape: no versioning, no encryption, no PAB key when the bucket has none, policyText null. */
function motoItem(name: string): ConfigItem {
  const item = awsItem(name);
  const { BucketVersioningConfiguration: _v, ServerSideEncryptionConfiguration: _e, PublicAccessBlockConfiguration: _p, ...rest } = item.supplementaryConfiguration;
  return { ...item, supplementaryConfiguration: { ...rest, BucketPolicy: { policyText: null }, BucketLoggingConfiguration: { destinationBucketName: null, logFilePrefix: null } } };
}

const source = (items: ConfigItem[]): ConfigSource => ({ mode: 'config', items: async () => new Map(items.map((i) => [i.resourceId, i])) });

/** The live answers for the same bucket as awsItem. */
const liveAws = {
  ListBuckets: { Buckets: [{ Name: 'ap-data', CreationDate: CREATED, BucketRegion: 'eu-west-1' }] },
  GetBucketEncryption: { ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:eu-west-1:111111111111:key/k' }, BucketKeyEnabled: true }] } },
  GetPublicAccessBlock: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true } },
  GetBucketPolicy: { Policy: POLICY },
  GetBucketAcl: {
    Grants: [
      { Grantee: { Type: 'CanonicalUser', ID: OWNER }, Permission: 'FULL_CONTROL' },
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
      { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, Permission: 'READ_ACP' },
    ],
  },
  GetBucketVersioning: { Status: 'Enabled' },
  GetBucketLogging: { LoggingEnabled: { TargetBucket: 'ap-logs', TargetPrefix: 'data/' } },
};

describe('S3 buckets from AWS Config items', () => {
  it('an AWS item gives exactly the live resource, with no live call but ListBuckets', async () => {
    const live = await buckets.collect(fakeClients(liveAws).ctx);
    const { ctx, calls } = fakeClients({ ListBuckets: liveAws.ListBuckets });
    const viaConfig = await buckets.collect({ ...ctx, config: source([awsItem('ap-data')]) });
    const { provenance, ...resource } = viaConfig.resources[0] as Record<string, unknown>;
    expect(resource).toEqual(live.resources[0]);
    expect(provenance).toEqual({ source: 'config', capturedAt: '2026-12-01T11:14:48.071Z', configurationStateId: '1796123717', liveFields: [] });
    expect(calls.map((c) => c.command)).toEqual(['ListBuckets']);
    expect(Object.keys(viaConfig.raw)).toEqual(['ListBuckets', 'BatchGetResourceConfig:0001']);
  });

  it("a moto item: versioning and encryption read live, and no PAB key means none (as the live call's NoSuch... says)", async () => {
    const answers = { ...liveAws, GetBucketPolicy: awsError('NoSuchBucketPolicy'), GetPublicAccessBlock: awsError('NoSuchPublicAccessBlockConfiguration'), GetBucketLogging: {} };
    const live = await buckets.collect(fakeClients(answers).ctx);
    const { ctx, calls } = fakeClients(answers);
    const viaConfig = await buckets.collect({ ...ctx, config: source([motoItem('ap-data')]) });
    const { provenance, ...resource } = viaConfig.resources[0] as Record<string, unknown>;
    expect(resource).toEqual(live.resources[0]);
    expect(provenance).toMatchObject({ liveFields: ['encryption', 'mfaDelete', 'versioning'] });
    expect(calls.map((c) => c.command).sort()).toEqual(['GetBucketEncryption', 'GetBucketVersioning', 'ListBuckets']);
  });

  it('a failed live fallback leaves out only its fields', async () => {
    const { ctx } = fakeClients({ ...liveAws, GetBucketVersioning: awsError('AccessDenied', { httpStatusCode: 403 }) });
    const viaConfig = await buckets.collect({ ...ctx, config: source([motoItem('ap-data')]) });
    const b = viaConfig.resources[0] as Record<string, unknown>;
    expect(b.versioning).toBeUndefined();
    expect(b.policy).toBeNull();
    expect(b.collectionErrors).toEqual([expect.objectContaining({ fields: ['versioning', 'mfaDelete'] })]);
  });

  it('a bucket without an item is read live', async () => {
    const { ctx, calls } = fakeClients(liveAws);
    const out = await buckets.collect({ ...ctx, config: source([]) });
    expect(out.resources[0]?.provenance).toBeUndefined();
    expect(calls).toHaveLength(7);
  });

  it('a setting in a shape not recognised is read live, never guessed', () => {
    const item = awsItem('b');
    item.supplementaryConfiguration.BucketVersioningConfiguration = { status: 'Sometimes' };
    item.supplementaryConfiguration.BucketPolicy = { policyText: '{not json' };
    item.supplementaryConfiguration.ServerSideEncryptionConfiguration = { rules: 'x' };
    const known = bucketFromConfigItem(item);
    expect(known.versioning).toBeUndefined();
    expect(known.policy).toBeUndefined();
    expect(known.encryption).toBeUndefined();
    expect(aclFromItem(JSON.stringify({ grantList: [{ grantee: 'Everybody', permission: 'Read' }] }))).toBeUndefined();
    expect(aclFromItem(JSON.stringify({ grantList: null }))).toEqual({ Grants: [] });
  });

  it('versioning Off is Disabled, as the live call without a Status', () => {
    const item = awsItem('b');
    item.supplementaryConfiguration.BucketVersioningConfiguration = { status: 'Off', isMfaDeleteEnabled: null };
    expect(bucketFromConfigItem(item).versioning).toEqual({});
  });
});

describe('account Block Public Access from an item', () => {
  const pabItem: ConfigItem = {
    resourceType: 'AWS::S3::AccountPublicAccessBlock',
    resourceId: FAKE_ACCOUNT,
    accountId: FAKE_ACCOUNT,
    awsRegion: 'us-east-1',
    configurationItemCaptureTime: '2026-12-01T11:14:49.065Z',
    configurationItemStatus: 'OK',
    configurationStateId: '',
    configuration: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: false },
    supplementaryConfiguration: {},
  };
  const live = { GetPublicAccessBlock: { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false } } };

  it('is the live resource, without the call', async () => {
    const viaApi = await accountPublicAccessBlock.collect(fakeClients(live).ctx);
    const { ctx, calls } = fakeClients(live);
    const viaConfig = await accountPublicAccessBlock.collect({ ...ctx, config: source([pabItem]) });
    const { provenance, ...resource } = viaConfig.resources[0] as Record<string, unknown>;
    expect(resource).toEqual(viaApi.resources[0]);
    expect(provenance).toMatchObject({ source: 'config', liveFields: [] });
    expect(calls).toHaveLength(0);
  });

  it('no item: the live call decides', async () => {
    const { ctx, calls } = fakeClients(live);
    await accountPublicAccessBlock.collect({ ...ctx, config: source([]) });
    expect(calls).toHaveLength(1);
  });
});
