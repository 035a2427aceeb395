import { GetQueueAttributesCommand, SQSClient, paginateListQueues } from '@aws-sdk/client-sqs';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

const ATTRIBUTE_FIELDS = ['kmsMasterKeyId', 'sqsManagedSseEnabled', 'policy'] as const;

/** The queue name is the last path segment of its URL (https://sqs.<region>.amazonaws.com/<account>/<name>). */
function queueName(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

function parsePolicy(text: string | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { unparsable: text };
  }
}

async function describeQueue(client: SQSClient, account: string, region: string, url: string): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const name = queueName(url);
  const answer = await calls.call(`GetQueueAttributes:${name}`, ATTRIBUTE_FIELDS, () => client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] })));
  const a = (answer.ok ? answer.value?.Attributes : undefined) ?? {};
  const resource = calls.resource({
    id: a.QueueArn ?? `arn:aws:sqs:${region}:${account}:${name}`,
    type: 'AWS::SQS::Queue',
    name,
    region,
    queueUrl: url,
    kmsMasterKeyId: a.KmsMasterKeyId || null,
    sqsManagedSseEnabled: a.SqsManagedSseEnabled === 'true',
    policy: parsePolicy(a.Policy),
  });
  return { resource, raw: calls.raw };
}

/** SQS queues: encryption at rest (SQS.1) and the queue access policy (SQS.3). */
export const sqsQueues: Collector = {
  id: 'sqs.queues',
  version: '1',
  title: 'SQS queues: encryption at rest and access policy',
  scope: 'region',
  permissions: ['sqs:ListQueues', 'sqs:GetQueueAttributes'],
  resourceSchema: resourceShape(
    'AWS::SQS::Queue',
    {
      queueUrl: s.string,
      kmsMasterKeyId: s.nullable(s.string),
      sqsManagedSseEnabled: s.boolean,
      policy: s.json,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(SQSClient);
    const listed = await collectPages(paginateListQueues({ client, pageSize: 1000 }, {}), (p) => p.QueueUrls);
    const urls = [...listed.items].sort((a, b) => a.localeCompare(b));
    const described = await ctx.map(urls, (url) => describeQueue(client, ctx.account, ctx.region, url));
    const raw: Record<string, unknown> = { ListQueues: listed.pages.map(stripMetadata) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
