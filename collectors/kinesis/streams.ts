import { DescribeStreamSummaryCommand, KinesisClient, paginateListStreams } from '@aws-sdk/client-kinesis';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

const SUMMARY_FIELDS = ['streamStatus', 'encryptionType', 'keyId', 'retentionPeriodHours'] as const;

async function describeStream(client: KinesisClient, account: string, region: string, name: string, listedArn: string | undefined): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const answer = await calls.call(`DescribeStreamSummary:${name}`, SUMMARY_FIELDS, () => client.send(new DescribeStreamSummaryCommand({ StreamName: name })));
  const d = answer.ok ? answer.value?.StreamDescriptionSummary : undefined;
  const resource = calls.resource({
    id: d?.StreamARN ?? listedArn ?? `arn:aws:kinesis:${region}:${account}:stream/${name}`,
    type: 'AWS::Kinesis::Stream',
    name,
    region,
    streamStatus: d?.StreamStatus ?? null,
    encryptionType: d?.EncryptionType ?? 'NONE',
    keyId: d?.KeyId ?? null,
    retentionPeriodHours: d?.RetentionPeriodHours ?? 0,
  });
  return { resource, raw: calls.raw };
}

/** Kinesis data streams: server-side encryption (Kinesis.1) and retention period (Kinesis.3). */
export const kinesisStreams: Collector = {
  id: 'kinesis.streams',
  version: '1',
  title: 'Kinesis data streams: encryption and retention',
  scope: 'region',
  permissions: ['kinesis:ListStreams', 'kinesis:DescribeStreamSummary'],
  resourceSchema: resourceShape(
    'AWS::Kinesis::Stream',
    {
      streamStatus: s.nullable(s.string),
      encryptionType: s.string,
      keyId: s.nullable(s.string),
      retentionPeriodHours: s.integer,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(KinesisClient);
    const listed = await collectPages(paginateListStreams({ client }, {}), (p) => p.StreamNames);
    const pages = listed.pages;
    const arns = new Map<string, string>();
    for (const page of pages) for (const summary of page.StreamSummaries ?? []) if (summary.StreamName && summary.StreamARN) arns.set(summary.StreamName, summary.StreamARN);
    const names = [...new Set(listed.items)].sort((a, b) => a.localeCompare(b));
    const described = await ctx.map(names, (name) => describeStream(client, ctx.account, ctx.region, name, arns.get(name)));
    const raw: Record<string, unknown> = { ListStreams: pages.map(stripMetadata) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
