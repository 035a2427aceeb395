import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeFileSystemsCommand, EFSClient } from '@aws-sdk/client-efs';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { HeadBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { isThrottlingError, isTransientError } from '@smithy/core/retry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enforceMotoAuth, useMoto } from '../../helpers/moto.js';
import { startFaultProxy, type FaultKind, type FaultProxy } from '../../support/fault-proxy.js';

const moto = useMoto();
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await startFaultProxy(moto.endpoint, { seed: 7 });
});
afterAll(async () => {
  await proxy.close();
});

const credentials = { accessKeyId: 'AKIDFAULTPROXYTEST', secretAccessKey: 'secret' };

function config(region = 'us-east-1') {
  return { region, endpoint: proxy.endpoint, credentials, maxAttempts: 1, forcePathStyle: true };
}

interface Probe {
  label: string;
  service: string;
  send: (region?: string) => Promise<unknown>;
}

/** One representative client per protocol (and both REST S3 forms: with and without a body). */
const PROBES: Record<string, Probe> = {
  awsJson: { label: 'KMS ListKeys', service: 'kms', send: (r) => new KMSClient(config(r)).send(new ListKeysCommand({})) },
  queryIam: { label: 'IAM ListUsers', service: 'iam', send: (r) => new IAMClient(config(r)).send(new ListUsersCommand({})) },
  querySts: { label: 'STS GetCallerIdentity', service: 'sts', send: (r) => new STSClient(config(r)).send(new GetCallerIdentityCommand({})) },
  ec2: { label: 'EC2 DescribeVpcs', service: 'ec2', send: (r) => new EC2Client(config(r)).send(new DescribeVpcsCommand({})) },
  restJsonLambda: { label: 'Lambda ListFunctions', service: 'lambda', send: (r) => new LambdaClient(config(r)).send(new ListFunctionsCommand({})) },
  restJsonEfs: { label: 'EFS DescribeFileSystems', service: 'elasticfilesystem', send: (r) => new EFSClient(config(r)).send(new DescribeFileSystemsCommand({})) },
  s3: { label: 'S3 ListBuckets', service: 's3', send: (r) => new S3Client(config(r)).send(new ListBucketsCommand({})) },
};

interface SdkError {
  name: string;
  message: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

async function failure(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (err) {
    return err as SdkError;
  }
  throw new Error('expected the call to fail');
}

async function faultWith(kind: FaultKind, probe: Probe): Promise<SdkError> {
  proxy.setRules([{ match: { service: probe.service }, fault: kind }]);
  return failure(probe.send());
}

describe('fault proxy: error shapes, as the real SDK v3 clients parse them', () => {
  const THROTTLE: [keyof typeof PROBES, string, number][] = [
    ['awsJson', 'ThrottlingException', 400],
    ['queryIam', 'Throttling', 400],
    ['querySts', 'Throttling', 400],
    ['ec2', 'Throttling', 503],
    ['restJsonLambda', 'TooManyRequestsException', 429],
    ['restJsonEfs', 'TooManyRequestsException', 429],
    ['s3', 'SlowDown', 503],
  ];
  it.each(THROTTLE)('throttle: %s answers %s (HTTP %i), classified as throttling', async (probe, name, status) => {
    const err = await faultWith('throttle', PROBES[probe]!);
    expect(err.name).toBe(name);
    expect(err.$metadata?.httpStatusCode).toBe(status);
    expect(err.$metadata?.requestId ?? '').toMatch(/fault-proxy-\d+/);
    expect(isThrottlingError(err as never)).toBe(true);
  });

  const UNAVAILABLE: [keyof typeof PROBES, string][] = [
    ['awsJson', 'ServiceUnavailableException'],
    ['queryIam', 'ServiceUnavailable'],
    ['ec2', 'ServiceUnavailable'],
    ['restJsonLambda', 'ServiceUnavailableException'],
    ['s3', 'ServiceUnavailable'],
  ];
  it.each(UNAVAILABLE)('unavailable: %s answers 503 %s, classified as transient', async (probe, name) => {
    const err = await faultWith('unavailable', PROBES[probe]!);
    expect(err.name).toBe(name);
    expect(err.$metadata?.httpStatusCode).toBe(503);
    expect(isTransientError(err as never)).toBe(true);
    expect(isThrottlingError(err as never)).toBe(false);
  });

  const DENIED: [keyof typeof PROBES, string, number, string][] = [
    ['awsJson', 'AccessDeniedException', 400, 'kms:ListKeys'],
    ['queryIam', 'AccessDenied', 403, 'iam:ListUsers'],
    ['ec2', 'UnauthorizedOperation', 403, 'ec2:DescribeVpcs'],
    ['restJsonLambda', 'AccessDeniedException', 403, 'lambda:GET /2015-03-31/functions'],
    ['s3', 'AccessDenied', 403, 's3:GET /'],
  ];
  it.each(DENIED)('access-denied: %s answers %s (HTTP %i) naming %s', async (probe, name, status, action) => {
    const err = await faultWith('access-denied', PROBES[probe]!);
    expect(err.name).toBe(name);
    expect(err.$metadata?.httpStatusCode).toBe(status);
    expect(err.message).toContain(`is not authorized to perform: ${action}`);
    expect(err.message).not.toContain('service control policy');
    expect(isThrottlingError(err as never)).toBe(false);
  });

  it.each(DENIED)('scp-deny: %s answers %s (HTTP %i) with an explicit SCP deny of %s', async (probe, name, status, action) => {
    const err = await faultWith('scp-deny', PROBES[probe]!);
    expect(err.name).toBe(name);
    expect(err.$metadata?.httpStatusCode).toBe(status);
    expect(err.message).toContain(`is not authorized to perform: ${action} with an explicit deny in a service control policy`);
  });

  const REGION: [keyof typeof PROBES, string, number][] = [
    ['awsJson', 'UnrecognizedClientException', 400],
    ['querySts', 'InvalidClientTokenId', 403],
    ['ec2', 'AuthFailure', 401],
    ['restJsonEfs', 'UnrecognizedClientException', 403],
    ['s3', 'InvalidAccessKeyId', 403],
  ];
  it.each(REGION)('region-not-enabled: %s answers %s (HTTP %i)', async (probe, name, status) => {
    const err = await faultWith('region-not-enabled', PROBES[probe]!);
    expect(err.name).toBe(name);
    expect(err.$metadata?.httpStatusCode).toBe(status);
    expect(isTransientError(err as never)).toBe(false);
  });

  const SUBSCRIPTION: [keyof typeof PROBES, string, number][] = [
    ['awsJson', 'SubscriptionRequiredException', 400],
    ['queryIam', 'OptInRequired', 403],
    ['ec2', 'OptInRequired', 403],
    ['restJsonLambda', 'SubscriptionRequiredException', 403],
    ['s3', 'NotSignedUp', 403],
  ];
  it.each(SUBSCRIPTION)('not-subscribed: %s answers %s (HTTP %i)', async (probe, name, status) => {
    const err = await faultWith('not-subscribed', PROBES[probe]!);
    expect(err.name).toBe(name);
    expect(err.$metadata?.httpStatusCode).toBe(status);
    expect(err.message).toMatch(/subscri|signed up/i);
  });

  it('custom: an EC2 503 RequestLimitExceeded, as real EC2 throttles', async () => {
    proxy.setRules([{ match: { service: 'ec2' }, fault: { status: 503, code: 'RequestLimitExceeded', message: 'Request limit exceeded.' } }]);
    const err = await failure(PROBES.ec2!.send());
    expect(err.name).toBe('RequestLimitExceeded');
    expect(err.$metadata?.httpStatusCode).toBe(503);
    expect(isThrottlingError(err as never)).toBe(true);
    expect(proxy.stats().byKind.RequestLimitExceeded).toBeGreaterThanOrEqual(1);
  });

  it('S3 HEAD: a throttled HeadBucket (no body) is still a 503 the SDK retries', async () => {
    proxy.setRules([{ match: { service: 's3' }, fault: 'throttle' }]);
    const err = await failure(new S3Client(config()).send(new HeadBucketCommand({ Bucket: 'any-bucket' })));
    expect(err.$metadata?.httpStatusCode).toBe(503);
    expect(isTransientError(err as never)).toBe(true);
  });

  it('reset: the socket is destroyed, the SDK sees a network error it classifies as transient', async () => {
    proxy.setRules([{ match: { service: 'kms' }, fault: 'reset' }]);
    const err = await failure(PROBES.awsJson!.send());
    expect((err as unknown as { code?: string }).code).toBe('ECONNRESET');
    expect(isTransientError(err as never)).toBe(true);
  });
});

describe('fault proxy: forwarding and rule selection', () => {
  it('forwards unmatched requests to moto and relays the real answer, for every protocol', async () => {
    proxy.setRules([{ match: { service: 'none-such' }, fault: 'throttle' }]);
    proxy.resetStats();
    for (const probe of Object.values(PROBES)) await expect(probe.send(), probe.label).resolves.toBeDefined();
    expect(proxy.stats()).toEqual({ requests: Object.keys(PROBES).length, faulted: 0, byKind: {} });
  });

  it('detects operation and region, and the first matching rule wins', async () => {
    proxy.setRules([
      { match: { service: 'kms', region: 'eu-west-1', operation: 'ListKeys' }, fault: 'access-denied' },
      { match: { service: 'kms' }, fault: 'throttle' },
    ]);
    expect((await failure(PROBES.awsJson!.send('eu-west-1'))).name).toBe('AccessDeniedException');
    expect((await failure(PROBES.awsJson!.send('us-east-1'))).name).toBe('ThrottlingException');
  });

  it('matches `contains` against the path and body', async () => {
    proxy.setRules([{ match: { contains: 'Action=ListUsers' }, fault: 'throttle' }]);
    expect((await failure(PROBES.queryIam!.send())).name).toBe('Throttling');
    await expect(PROBES.querySts!.send()).resolves.toBeDefined();
  });

  it('faults about `rate` of the matching requests, the same ones for the same seed', async () => {
    const run = async (): Promise<boolean[]> => {
      const seeded = await startFaultProxy(moto.endpoint, { seed: 42, rules: [{ match: { service: 'sts' }, rate: 1 / 3, fault: 'throttle' }] });
      const client = new STSClient({ ...config(), endpoint: seeded.endpoint });
      const outcomes: boolean[] = [];
      for (let i = 0; i < 60; i++) outcomes.push(await client.send(new GetCallerIdentityCommand({})).then(() => false, () => true));
      expect(seeded.stats().faulted).toBe(outcomes.filter(Boolean).length);
      await seeded.close();
      return outcomes;
    };
    const first = await run();
    const share = first.filter(Boolean).length / first.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.55);
    expect(await run()).toEqual(first);
  });

  it('passes a request its rate did not draw on to the next rule, so rates stack into mixtures', async () => {
    proxy.setRules([
      { match: { service: 'sts' }, rate: 0.5, fault: 'unavailable' },
      { match: { service: 'sts' }, fault: 'throttle' },
    ]);
    proxy.resetStats();
    const names: string[] = [];
    for (let i = 0; i < 40; i++) names.push((await failure(PROBES.querySts!.send())).name);
    const stats = proxy.stats();
    expect(stats.faulted).toBe(40);
    expect(stats.byKind.unavailable).toBe(names.filter((n) => n === 'ServiceUnavailable').length);
    expect(stats.byKind.throttle).toBe(names.filter((n) => n === 'Throttling').length);
    expect(stats.byKind.unavailable).toBeGreaterThan(8);
    expect(stats.byKind.throttle).toBeGreaterThan(8);
  });

  it('faults at most `limit` requests per rule', async () => {
    proxy.setRules([{ match: { service: 'sts' }, limit: 2, fault: 'throttle' }]);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) outcomes.push(await PROBES.querySts!.send().then(() => 'ok', (e: SdkError) => e.name));
    expect(outcomes).toEqual(['Throttling', 'Throttling', 'ok', 'ok', 'ok']);
  });

  it('forwards /moto-api/ untouched even when every request is faulted', async () => {
    proxy.setRules([{ fault: 'reset' }]);
    proxy.resetStats();
    // A POST with a body (what resetMoto sends; IAM enforcement is off already): it throws unless moto answers 2xx.
    await enforceMotoAuth(proxy.endpoint, Infinity);
    expect(proxy.stats()).toEqual({ requests: 0, faulted: 0, byKind: {} });
  });

  it('adds latency with delayMs', async () => {
    proxy.setRules([{ match: { service: 'sts' }, rate: 0, delayMs: 150, fault: 'throttle' }]);
    const started = Date.now();
    await PROBES.querySts!.send();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});
