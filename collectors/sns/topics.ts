import { paginateListSubscriptionsByTopic, paginateListTopics, SNSClient, type Subscription } from '@aws-sdk/client-sns';
import type { Resource } from '../../src/core/types.js';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import { collectPages, stripMetadata, type CollectContext, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** The fields ListSubscriptionsByTopic fills. */
const SUBSCRIPTION_FIELDS = ['subscriptions', 'confirmedSubscriptionCount'];

/**
 * A subscription is confirmed when SNS gives it an ARN: until the endpoint confirms, SubscriptionArn is
 * "PendingConfirmation" (or "Deleted" while it is removed), and the topic delivers nothing to it.
 */
export function isConfirmed(subscription: Subscription): boolean {
  const arn = subscription.SubscriptionArn ?? '';
  return arn.startsWith('arn:');
}

/** The subscriptions as rules read them: the protocol and whether it is confirmed (never the endpoint: it may be an address). */
export function subscriptionsOf(subscriptions: Subscription[]): { protocol: string; confirmed: boolean }[] {
  return subscriptions
    .map((sub) => ({ protocol: sub.Protocol ?? '', confirmed: isConfirmed(sub) }))
    .sort((a, b) => a.protocol.localeCompare(b.protocol) || Number(b.confirmed) - Number(a.confirmed));
}

async function describeTopic(ctx: CollectContext, arn: string): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const client = ctx.clients.get(SNSClient);
  const listed = await calls.call(`ListSubscriptionsByTopic:${arn}`, SUBSCRIPTION_FIELDS, async () => {
    const { items, pages } = await collectPages(paginateListSubscriptionsByTopic({ client }, { TopicArn: arn }), (p) => p.Subscriptions);
    return { items, pages: pages.map(stripMetadata) };
  });
  const subscriptions = subscriptionsOf(listed.ok ? (listed.value?.items ?? []) : []);
  const raw: Record<string, unknown> = {};
  // The raw answer keeps its pages only; endpoints stay in the pages, as AWS returned them.
  for (const [label, value] of Object.entries(calls.raw)) raw[label] = (value as { pages?: unknown }).pages ?? value;
  const resource = calls.resource({
    id: arn,
    type: 'AWS::SNS::Topic',
    name: arn.slice(arn.lastIndexOf(':') + 1),
    region: ctx.region,
    subscriptions,
    confirmedSubscriptionCount: subscriptions.filter((sub) => sub.confirmed).length,
  });
  return { resource, raw };
}

/** SNS topics in one region with their subscriptions (ListTopics, then ListSubscriptionsByTopic per topic). */
export const snsTopics: Collector = {
  id: 'sns.topics',
  version: '1',
  title: 'SNS topics and their confirmed subscriptions',
  scope: 'region',
  permissions: ['sns:ListTopics', 'sns:ListSubscriptionsByTopic'],
  resourceSchema: resourceShape(
    'AWS::SNS::Topic',
    {
      subscriptions: s.array(s.object({ protocol: s.string, confirmed: s.boolean })),
      confirmedSubscriptionCount: s.integer,
    },
    { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(SNSClient);
    const { items, pages } = await collectPages(paginateListTopics({ client }, {}), (p) => p.Topics);
    const arns = [...new Set(items.map((t) => t.TopicArn).filter((a): a is string => Boolean(a)))].sort();
    const described = await ctx.map(arns, (arn) => describeTopic(ctx, arn));
    const raw: Record<string, unknown> = { ListTopics: pages.map(stripMetadata) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
