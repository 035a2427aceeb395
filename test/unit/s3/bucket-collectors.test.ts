import { describe, expect, it, vi } from 'vitest';
import { accountPublicAccessBlock } from '../../../collectors/s3/account-public-access-block.js';
import { bucketRegion, normaliseAcl, normaliseEncryption, normaliseLogging, normaliseVersioning, parseBucketPolicy } from '../../../collectors/s3/bucket-settings.js';
import { buckets } from '../../../collectors/s3/buckets.js';
import type { ClientConstructor, ClientProvider } from '../../../collectors/types.js';
import { runCollector } from '../../../src/collect/run-collector.js';

type Handler = (command: string, input: Record<string, unknown>, region: string) => unknown;

function awsError(name: string): Error {
  return Object.assign(new Error(`${name} raised`), { name });
}

/** A narrow fake: every client's send() is answered by `handler` keyed on the command name. */
function fakeClients(handler: Handler): ClientProvider & { regions: string[] } {
  const regions: string[] = [];
  return {
    regions,
    get: <C>(ctor: ClientConstructor<C>, options?: { region?: string }): C => {
      const region = options?.region ?? 'us-east-1';
      regions.push(region);
      // A real client instance (paginators check instanceof) whose send() never leaves the process.
      const client = new ctor({ region });
      (client as { send: unknown }).send = vi.fn(async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const answer = handler(command.constructor.name.replace(/Command$/, ''), command.input, region);
        if (answer instanceof Error) throw answer;
        return { $metadata: { requestId: 'r' }, ...(answer as object) };
      });
      return client;
    },
  };
}

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

describe('s3.buckets collector', () => {
  const settings: Handler = (command, input) => {
    switch (command) {
      case 'ListBuckets':
        return { Buckets: [{ Name: 'zeta', BucketRegion: 'ap-south-1' }, { Name: 'alpha', CreationDate: new Date('2024-01-01T00:00:00Z') }] };
      case 'GetBucketLocation':
        return { LocationConstraint: 'EU' };
      case 'GetBucketEncryption':
        return awsError('ServerSideEncryptionConfigurationNotFoundError');
      case 'GetPublicAccessBlock':
        return input.Bucket === 'alpha'
          ? { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }
          : awsError('NoSuchPublicAccessBlockConfiguration');
      case 'GetBucketPolicy':
        return input.Bucket === 'alpha' ? { Policy: '{"Statement":[{"Effect":"Deny"}]}' } : awsError('NoSuchBucketPolicy');
      case 'GetBucketAcl':
        return { Grants: [] };
      case 'GetBucketVersioning':
        return { Status: 'Enabled' };
      case 'GetBucketLogging':
        return { LoggingEnabled: { TargetBucket: 'logs', TargetPrefix: 'p/' } };
      default:
        return awsError(`Unexpected${command}`);
    }
  };

  it('normalises every bucket, using BucketRegion when ListBuckets gives it and GetBucketLocation otherwise', async () => {
    const clients = fakeClients(settings);
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
    expect(clients.regions).toContain('eu-west-1');
    expect(Object.keys(record.raw)).toContain('GetBucketPolicy:zeta');
    expect(record.raw['GetBucketPolicy:zeta']).toEqual({ absent: 'NoSuchBucketPolicy' });
  });

  it('fails closed: an access-denied bucket call makes the whole record an error', async () => {
    const clients = fakeClients((command, input, region) => (command === 'GetBucketPolicy' && input.Bucket === 'zeta' ? awsError('AccessDenied') : settings(command, input, region)));
    const record = await runCollector(buckets, { account: '111111111111', region: 'us-east-1', clients });
    expect(record.status).toBe('error');
    expect(record.error?.code).toBe('AccessDenied');
    expect(record.resources).toEqual([]);
  });
});

describe('s3.account-public-access-block collector', () => {
  it('treats NoSuchPublicAccessBlockConfiguration as all four off', async () => {
    const record = await runCollector(accountPublicAccessBlock, {
      account: '111111111111',
      region: 'us-east-1',
      clients: fakeClients(() => awsError('NoSuchPublicAccessBlockConfiguration')),
    });
    expect(record.status).toBe('ok');
    expect(record.resources).toEqual([
      {
        id: 'AWS::::Account:111111111111',
        type: 'AWS::::Account',
        name: '111111111111',
        configured: false,
        blockPublicAcls: false,
        ignorePublicAcls: false,
        blockPublicPolicy: false,
        restrictPublicBuckets: false,
      },
    ]);
  });
  it('passes the account id and fails closed on other errors', async () => {
    const seen: unknown[] = [];
    const ok = await runCollector(accountPublicAccessBlock, {
      account: '111111111111',
      region: 'us-east-1',
      clients: fakeClients((_c, input) => {
        seen.push(input.AccountId);
        return { PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: false } };
      }),
    });
    expect(seen).toEqual(['111111111111']);
    expect(ok.resources[0]).toMatchObject({ configured: true, restrictPublicBuckets: false, blockPublicAcls: true });
    const denied = await runCollector(accountPublicAccessBlock, { account: '111111111111', region: 'us-east-1', clients: fakeClients(() => awsError('AccessDenied')) });
    expect(denied.status).toBe('error');
  });
});
