import { describe, expect, it } from 'vitest';
import { buckets } from '../../../../collectors/s3/buckets.js';
import { runCollector } from '../../../../src/collect/run-collector.js';
import { awsError, fakeClients, type CommandInput } from '../../../helpers/fake-clients.js';

describe('s3.buckets collector', () => {
  const bucketPolicy = (input: CommandInput) => (input.Bucket === 'alpha' ? { Policy: '{"Statement":[{"Effect":"Deny"}]}' } : awsError('NoSuchBucketPolicy'));
  const settings = {
    ListBuckets: { Buckets: [{ Name: 'zeta', BucketRegion: 'ap-south-1' }, { Name: 'alpha', CreationDate: new Date('2024-01-01T00:00:00Z') }] },
    GetBucketLocation: { LocationConstraint: 'EU' },
    GetBucketEncryption: awsError('ServerSideEncryptionConfigurationNotFoundError'),
    GetPublicAccessBlock: (input: CommandInput) =>
      input.Bucket === 'alpha'
        ? { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }
        : awsError('NoSuchPublicAccessBlockConfiguration'),
    GetBucketPolicy: bucketPolicy,
    GetBucketAcl: { Grants: [] },
    GetBucketVersioning: { Status: 'Enabled' },
    GetBucketLogging: { LoggingEnabled: { TargetBucket: 'logs', TargetPrefix: 'p/' } },
  };

  it('normalises every bucket, using BucketRegion when ListBuckets gives it and GetBucketLocation otherwise', async () => {
    const { clients, calls, callsOf } = fakeClients(settings);
    const record = await runCollector(buckets, { account: '111111111111', region: 'us-east-1', clients });
    expect(record.status).toBe('ok');
    expect(record.resources.map((r) => [r.id, r.region])).toEqual([
      ['arn:aws:s3:::alpha', 'eu-west-1'],
      ['arn:aws:s3:::zeta', 'ap-south-1'],
    ]);
    const [alpha, zeta] = record.resources;
    expect(alpha).toMatchObject({
      type: 'AWS::S3::Bucket',
      createdAt: '2024-01-01T00:00:00.000Z',
      encryption: { enabled: false, algorithm: null },
      publicAccessBlockConfigured: true,
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      policy: { Statement: [{ Effect: 'Deny' }] },
      versioning: 'Enabled',
      logging: { enabled: true, targetBucket: 'logs', targetPrefix: 'p/' },
    });
    expect(zeta).toMatchObject({ publicAccessBlockConfigured: false, policy: null });
    expect(callsOf('GetBucketLocation').map((c) => c.input.Bucket)).toEqual(['alpha']);
    expect(calls.map((c) => c.region)).toContain('eu-west-1');
    expect(Object.keys(record.raw)).toContain('GetBucketPolicy:zeta');
    expect(record.raw['GetBucketPolicy:zeta']).toEqual({ absent: 'NoSuchBucketPolicy' });
  });

  it('fails narrowly: a denied bucket call leaves out only the fields it fills, with the error on the bucket', async () => {
    const { clients } = fakeClients({ ...settings, GetBucketPolicy: (input) => (input.Bucket === 'zeta' ? awsError('AccessDenied', { message: 'Access Denied' }) : bucketPolicy(input)) });
    const record = await runCollector(buckets, { account: '111111111111', region: 'us-east-1', clients });
    expect(record.status).toBe('ok');
    const [alpha, zeta] = record.resources;
    expect(alpha).not.toHaveProperty('collectionErrors');
    expect(zeta).not.toHaveProperty('policy');
    expect(zeta).toMatchObject({ versioning: 'Enabled', logging: { enabled: true }, aclGrants: [], publicAccessBlockConfigured: false });
    // Fake clients have no call-log middleware, so the action is the call's label (a real client names s3:GetBucketPolicy).
    const error = { fields: ['policy'], action: 'GetBucketPolicy:zeta', code: 'AccessDenied', message: expect.stringMatching(/^missing permission .*: Access Denied$/) };
    expect(zeta?.collectionErrors).toEqual([error]);
    expect(record.raw['GetBucketPolicy:zeta']).toEqual({ error: { ...error, fields: undefined } });
  });

  it('a refused location leaves out the region and still reads the bucket from the home region', async () => {
    const { clients } = fakeClients({ ...settings, GetBucketLocation: awsError('AccessDenied', { message: 'Access Denied' }) });
    const record = await runCollector(buckets, { account: '111111111111', region: 'us-east-1', clients });
    const alpha = record.resources.find((r) => r.name === 'alpha');
    expect(alpha).not.toHaveProperty('region');
    expect(alpha).toMatchObject({ versioning: 'Enabled', collectionErrors: [{ fields: ['region'], action: 'GetBucketLocation:alpha' }] });
  });

  it('a failed listing still fails the whole run: the buckets cannot be named', async () => {
    const { clients } = fakeClients({ ...settings, ListBuckets: awsError('AccessDenied', { message: 'Access Denied' }) });
    const record = await runCollector(buckets, { account: '111111111111', region: 'us-east-1', clients });
    expect(record.status).toBe('error');
    expect(record.error?.message).toMatch(/^missing permission/);
    expect(record.resources).toEqual([]);
  });
});
