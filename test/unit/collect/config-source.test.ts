import type { BaseConfigurationItem } from '@aws-sdk/client-config-service';
import { describe, expect, it } from 'vitest';
import { fetchInBatches } from '../../../src/collect/config-fetch.js';
import { decodeItem, ITEM_LIMITS, rejectReason } from '../../../src/collect/config-items.js';
import { rewritePythonTimestamps } from '../../../src/collect/config-moto-shim.js';
import { recordsContinuously } from '../../../src/collect/config-recorder.js';
import { ConfigSources, configItemsRaw, sourceCovers } from '../../../src/collect/config-source.js';
import { durationSeconds } from '../../../src/collect/duration.js';
import { evidenceSourceRecord } from '../../../src/pipeline/evidence-source.js';
import { awsError, FAKE_ACCOUNT, fakeClients, type CommandInput } from '../../helpers/fake-clients.js';

const RUN_START = new Date('2026-12-01T12:00:00Z');
const DAY = 86_400_000;

function item(id: string, over: Partial<BaseConfigurationItem> = {}): BaseConfigurationItem {
  return {
    resourceType: 'AWS::S3::Bucket',
    resourceId: id,
    resourceName: id,
    accountId: FAKE_ACCOUNT,
    awsRegion: 'us-east-1',
    configurationItemCaptureTime: new Date('2026-12-01T11:00:00Z'),
    configurationItemStatus: 'OK',
    configurationStateId: '1',
    configuration: JSON.stringify({ name: id }),
    supplementaryConfiguration: { BucketPolicy: JSON.stringify({ policyText: null }) },
    ...over,
  };
}

const rule = { resourceType: 'AWS::S3::Bucket', account: FAKE_ACCOUNT, region: 'us-east-1', runStart: RUN_START, maxAgeMs: DAY };

describe('decoding items', () => {
  it('parses configuration and every supplementary value once', () => {
    const decoded = decodeItem(item('b', { supplementaryConfiguration: { AccessControlList: JSON.stringify(JSON.stringify({ grantList: [] })), Bare: 'not json' } }));
    expect(decoded).toMatchObject({ configuration: { name: 'b' }, configurationItemCaptureTime: '2026-12-01T11:00:00.000Z' });
    // The ACL stays a JSON string inside, as AWS double-encodes it; a value that is not JSON is dropped.
    expect(decoded?.supplementaryConfiguration).toEqual({ AccessControlList: JSON.stringify({ grantList: [] }) });
  });

  it('drops items that are oversized, too deep, or lack identity', () => {
    expect(decodeItem(item('b', { configuration: `"${'x'.repeat(ITEM_LIMITS.jsonChars)}"` }))).toBeUndefined();
    expect(decodeItem(item('b', { configuration: `${'['.repeat(100)}${']'.repeat(100)}` }))).toBeUndefined();
    expect(decodeItem(item('b', { accountId: 'nope' }))).toBeUndefined();
    expect(decodeItem(item('b', { configurationItemCaptureTime: undefined }))).toBeUndefined();
    expect(decodeItem(item('x'.repeat(5000)))).toBeUndefined();
  });
});

describe('accepting items', () => {
  const reason = (over: Partial<BaseConfigurationItem>) => rejectReason(decodeItem(item('b', over))!, rule);
  it('keeps fresh items of the account, region and type asked for', () => expect(reason({})).toBeUndefined());
  it('refuses stale, deleted, not recorded, other-account, other-region and far-future items', () => {
    expect(reason({ configurationItemCaptureTime: new Date(RUN_START.getTime() - DAY - 1000) })).toBe('stale');
    expect(reason({ configurationItemStatus: 'ResourceDeleted' })).toBe('status');
    expect(reason({ configurationItemStatus: 'ResourceNotRecorded', configuration: undefined })).toBe('status');
    expect(reason({ accountId: '222222222222' })).toBe('account');
    expect(reason({ awsRegion: 'eu-west-1' })).toBe('region');
    expect(reason({ configurationItemCaptureTime: new Date(RUN_START.getTime() + 2 * 3_600_000) })).toBe('future');
  });
});

describe('batches', () => {
  it('splits a batch the service fails on down to the one bad key', async () => {
    const sent: number[] = [];
    const keys = Array.from({ length: 150 }, (_, i) => i);
    const { items, leftOut } = await fetchInBatches(keys, async (batch) => {
      sent.push(batch.length);
      if (batch.includes(42)) throw awsError('InternalFailure', { httpStatusCode: 500 });
      return { items: batch.map((k) => item(`b${k}`)), unprocessed: [] };
    });
    expect(leftOut).toEqual([42]);
    expect(items).toHaveLength(149);
    expect(Math.max(...sent)).toBe(100);
    expect(sent.length).toBeLessThan(20);
  });

  it('does not split a refusal: the read fails (and the collector goes live)', async () => {
    await expect(fetchInBatches([1, 2, 3], () => Promise.reject(awsError('AccessDeniedException')))).rejects.toThrow('AccessDeniedException');
  });

  it('asks for unprocessed keys once more, then leaves them to live collection', async () => {
    let calls = 0;
    const { items, leftOut } = await fetchInBatches(['a', 'b'], async (batch) => {
      calls++;
      return { items: batch.includes('a') ? [item('a')] : [], unprocessed: batch.filter((k) => k === 'b') };
    });
    expect(calls).toBe(2);
    expect(items).toHaveLength(1);
    expect(leftOut).toEqual(['b']);
  });
});

describe('the recorder decision of --source auto', () => {
  const status = [{ name: 'default', recording: true, lastStatus: 'Success' as const }];
  const rec = (recordingGroup: object, recordingMode?: object) => [{ name: 'default', recordingGroup, ...(recordingMode ? { recordingMode } : {}) }] as never;
  it('all supported records regional types, IAM only with global types', () => {
    expect(recordsContinuously(rec({ allSupported: true }), status, 'AWS::S3::Bucket')).toBe(true);
    expect(recordsContinuously(rec({ allSupported: true }), status, 'AWS::IAM::Role')).toBe(false);
    expect(recordsContinuously(rec({ allSupported: true, includeGlobalResourceTypes: true }), status, 'AWS::IAM::Role')).toBe(true);
  });
  it('honours inclusion and exclusion lists and daily recording', () => {
    expect(recordsContinuously(rec({ resourceTypes: ['AWS::EC2::Volume'], recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' } }), status, 'AWS::S3::Bucket')).toBe(false);
    expect(recordsContinuously(rec({ exclusionByResourceTypes: { resourceTypes: ['AWS::S3::Bucket'] }, recordingStrategy: { useOnly: 'EXCLUSION_BY_RESOURCE_TYPES' } }), status, 'AWS::S3::Bucket')).toBe(false);
    expect(recordsContinuously(rec({ allSupported: true }, { recordingFrequency: 'DAILY' }), status, 'AWS::S3::Bucket')).toBe(false);
    expect(recordsContinuously(rec({ allSupported: true }, { recordingFrequency: 'CONTINUOUS', recordingModeOverrides: [{ resourceTypes: ['AWS::S3::Bucket'], recordingFrequency: 'DAILY' }] }), status, 'AWS::S3::Bucket')).toBe(false);
  });
  it('a stopped or failing recorder vouches for nothing', () => {
    expect(recordsContinuously(rec({ allSupported: true }), [{ name: 'default', recording: false }], 'AWS::S3::Bucket')).toBe(false);
    expect(recordsContinuously(rec({ allSupported: true }), [{ name: 'default', recording: true, lastStatus: 'Failure' }], 'AWS::S3::Bucket')).toBe(false);
  });
});

function sources(source: 'auto' | 'config', extra: Partial<ConstructorParameters<typeof ConfigSources>[0]> = {}) {
  return new ConfigSources({ source, maxAgeMs: DAY, runStart: RUN_START, regions: ['eu-west-1', 'us-east-1'], homeRegion: 'us-east-1', ...extra });
}

describe('ConfigSources', () => {
  const answers = {
    ListDiscoveredResources: (input: CommandInput, call: { region: string }) => ({ resourceIdentifiers: call.region === 'us-east-1' ? [{ resourceId: 'a' }, { resourceId: 'gone', resourceDeletionTime: new Date() }, { resourceId: 'old' }] : [{ resourceId: 'eu' }] }),
    BatchGetResourceConfig: (input: CommandInput, call: { region: string }) => ({
      baseConfigurationItems: (input.resourceKeys as { resourceId: string }[]).map((k) =>
        item(k.resourceId, { awsRegion: call.region, ...(k.resourceId === 'old' ? { configurationItemCaptureTime: new Date('2026-11-01T00:00:00Z') } : {}) }),
      ),
    }),
  };

  it('config mode: every run region for buckets, fresh items only, deleted ones never asked for', async () => {
    const { ctx, callsOf } = fakeClients(answers);
    const source = sources('config').sourceFor({ account: FAKE_ACCOUNT, clientsFor: () => ctx.clients }, 'us-east-1', 'account');
    const items = await source?.items('AWS::S3::Bucket');
    expect([...(items?.keys() ?? [])].sort()).toEqual(['a', 'eu']);
    expect(callsOf('BatchGetResourceConfig').flatMap((c) => (c.input.resourceKeys as { resourceId: string }[]).map((k) => k.resourceId))).not.toContain('gone');
    expect(Object.keys(configItemsRaw(items?.values() ?? []))).toEqual(['BatchGetResourceConfig:0001']);
  });

  it('api mode has no source; a failing listing answers undefined (live), never throws', async () => {
    expect(new ConfigSources({ source: 'api', maxAgeMs: DAY, runStart: RUN_START, regions: ['us-east-1'], homeRegion: 'us-east-1' }).sourceFor({ account: FAKE_ACCOUNT, clientsFor: () => fakeClients({}).clients }, 'us-east-1', 'region')).toBeUndefined();
    const { ctx } = fakeClients({ ListDiscoveredResources: awsError('AccessDeniedException') });
    const source = sources('config').sourceFor({ account: FAKE_ACCOUNT, clientsFor: () => ctx.clients }, 'us-east-1', 'region');
    await expect(source?.items('AWS::S3::Bucket')).resolves.toBeUndefined();
  });

  it('auto mode reads items only where a recorder records the type continuously, asking once per account and region', async () => {
    const { ctx, callsOf } = fakeClients({
      ...answers,
      DescribeConfigurationRecorders: { ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: true } }] },
      DescribeConfigurationRecorderStatus: { ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'SUCCESS' }] },
    });
    const all = sources('auto');
    const source = all.sourceFor({ account: FAKE_ACCOUNT, clientsFor: () => ctx.clients }, 'us-east-1', 'region');
    expect((await source?.items('AWS::S3::Bucket', ['a']))?.size).toBe(1);
    await expect(source?.items('AWS::IAM::Role')).resolves.toBeUndefined();
    expect(callsOf('DescribeConfigurationRecorders')).toHaveLength(1);
  });

  it('forget(account) drops only that account\'s memoised items and recorder decisions (the scheduler closes accounts)', async () => {
    const { ctx, callsOf } = fakeClients({
      ...answers,
      DescribeConfigurationRecorders: { ConfigurationRecorders: [{ name: 'default', recordingGroup: { allSupported: true } }] },
      DescribeConfigurationRecorderStatus: { ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'SUCCESS' }] },
    });
    const all = sources('auto');
    const other = '222222222222';
    const read = (account: string) => all.sourceFor({ account, clientsFor: () => ctx.clients }, 'us-east-1', 'region')?.items('AWS::S3::Bucket', ['a']);
    await read(FAKE_ACCOUNT);
    await read(other);
    expect(callsOf('ListDiscoveredResources')).toHaveLength(2);
    await read(FAKE_ACCOUNT);
    expect(callsOf('ListDiscoveredResources')).toHaveLength(2);
    all.forget(FAKE_ACCOUNT);
    await read(other);
    expect(callsOf('ListDiscoveredResources')).toHaveLength(2);
    expect((await read(FAKE_ACCOUNT))?.size).toBe(1);
    expect(callsOf('ListDiscoveredResources')).toHaveLength(3);
    expect(callsOf('DescribeConfigurationRecorders')).toHaveLength(3);
  });

  it('the aggregator path drops items another account is claimed for, and marks its items', async () => {
    const { ctx, callsOf } = fakeClients({
      DescribeConfigurationAggregatorSourcesStatus: { AggregatedSourceStatusList: [{ SourceId: FAKE_ACCOUNT, SourceType: 'ACCOUNT', AwsRegion: 'us-east-1', LastUpdateStatus: 'SUCCEEDED' }] },
      ListAggregateDiscoveredResources: { ResourceIdentifiers: [{ SourceAccountId: FAKE_ACCOUNT, SourceRegion: 'us-east-1', ResourceId: 'a', ResourceType: 'AWS::S3::Bucket' }, { SourceAccountId: FAKE_ACCOUNT, SourceRegion: 'us-east-1', ResourceId: 'x', ResourceType: 'AWS::S3::Bucket' }] },
      // As moto does: the answer claims another account for one of them.
      BatchGetAggregateResourceConfig: { BaseConfigurationItems: [item('a'), item('x', { accountId: '999999999999' })] },
    });
    const target = { account: FAKE_ACCOUNT, clientsFor: () => ctx.clients };
    const source = sources('config', { aggregator: { name: 'org', region: 'us-east-1' }, callerClients: () => ctx.clients }).sourceFor(target, 'us-east-1', 'region');
    const items = await source?.items('AWS::S3::Bucket');
    expect([...(items?.keys() ?? [])]).toEqual(['a']);
    expect(callsOf('ListDiscoveredResources')).toHaveLength(0);
    expect(callsOf('ListAggregateDiscoveredResources')[0]?.input.Filters).toEqual({ AccountId: FAKE_ACCOUNT, Region: 'us-east-1' });
  });

  it('coverage: an account or organization source of that region whose last update succeeded', () => {
    const ok = { SourceType: 'ACCOUNT' as const, SourceId: FAKE_ACCOUNT, AwsRegion: 'us-east-1', LastUpdateStatus: 'SUCCEEDED' as const };
    expect(sourceCovers([ok], FAKE_ACCOUNT, 'us-east-1')).toBe(true);
    expect(sourceCovers([{ ...ok, LastUpdateStatus: 'FAILED' }], FAKE_ACCOUNT, 'us-east-1')).toBe(false);
    expect(sourceCovers([ok], FAKE_ACCOUNT, 'eu-west-1')).toBe(false);
    expect(sourceCovers([{ ...ok, SourceType: 'ORGANIZATION', SourceId: 'o-1' }], '222222222222', 'us-east-1')).toBe(true);
  });
});

describe('the moto timestamp shim', () => {
  it('rewrites only "<timestamp key>": "<python datetime>" pairs', () => {
    const body = '{"configurationItemCaptureTime": "2026-12-01 11:14:48.071271+00:00", "resourceCreationTime": "2026-12-01 11:14:49", "configuration": "{\\"creationDate\\": \\"2026-12-01 11:14:48\\"}", "x": "2026-12-01 11:14:48"}';
    const out = JSON.parse(rewritePythonTimestamps(body)) as Record<string, unknown>;
    expect(out.configurationItemCaptureTime).toBe(Date.parse('2026-12-01T11:14:48.071Z') / 1000);
    expect(out.resourceCreationTime).toBe(Date.parse('2026-12-01T11:14:49Z') / 1000);
    expect(out.x).toBe('2026-12-01 11:14:48');
    // An AWS answer (epoch numbers) is left exactly as it is.
    const aws = '{"configurationItemCaptureTime":1.764587688071E9}';
    expect(rewritePythonTimestamps(aws)).toBe(aws);
  });
});

describe('options', () => {
  it('durations', () => {
    expect(durationSeconds('24h')).toBe(86_400);
    expect(durationSeconds('90m')).toBe(5_400);
    expect(durationSeconds('2d')).toBe(172_800);
    for (const bad of ['24', 'h', '-1h', '1.5h', '0s', '400d', '24 hours']) expect(durationSeconds(bad)).toBeUndefined();
  });
  it('one-line errors naming the option', () => {
    expect(evidenceSourceRecord({}, 'us-east-1')).toEqual({ source: 'auto', configMaxAgeSeconds: 86_400 });
    expect(() => evidenceSourceRecord({ configMaxAge: 'soon' }, 'us-east-1')).toThrow(/^--config-max-age: .*fix: /);
    expect(() => evidenceSourceRecord({ source: 'api', configAggregator: 'org' }, 'us-east-1')).toThrow(/^--config-aggregator: /);
    expect(() => evidenceSourceRecord({ configAggregator: 'bad name!' }, 'us-east-1')).toThrow(/^--config-aggregator: /);
    expect(() => evidenceSourceRecord({ aggregatorRegion: 'us-east-1' }, 'us-east-1')).toThrow(/^--aggregator-region: /);
    expect(evidenceSourceRecord({ source: 'config', configAggregator: 'org' }, 'eu-west-1')).toEqual({ source: 'config', configMaxAgeSeconds: 86_400, aggregator: { name: 'org', region: 'eu-west-1' } });
  });
});
