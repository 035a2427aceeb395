import {
  DescribeLoadBalancerAttributesCommand,
  ElasticLoadBalancingV2Client,
  paginateDescribeListeners,
  paginateDescribeLoadBalancers,
  type Listener,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

const ATTRIBUTE_FIELDS = ['deletionProtectionEnabled', 'accessLogsEnabled', 'dropInvalidHeaderFields', 'desyncMitigationMode'] as const;

/** One listener as rules read it: does its default action redirect to HTTPS? */
function normaliseListener(l: Listener): Record<string, unknown> {
  return {
    port: l.Port ?? 0,
    protocol: l.Protocol ?? '',
    redirectsToHttps: (l.DefaultActions ?? []).some((a) => a.Type === 'redirect' && (a.RedirectConfig?.Protocol ?? '').toUpperCase() === 'HTTPS'),
  };
}

async function describeLoadBalancer(client: ElasticLoadBalancingV2Client, region: string, lb: LoadBalancer): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const arn = lb.LoadBalancerArn as string;
  const name = lb.LoadBalancerName ?? arn;
  const [attributes, listeners] = await Promise.all([
    calls.call(`DescribeLoadBalancerAttributes:${name}`, ATTRIBUTE_FIELDS, () => client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }))),
    calls.call(`DescribeListeners:${name}`, ['listeners'], async () => (await collectPages(paginateDescribeListeners({ client }, { LoadBalancerArn: arn }), (p) => p.Listeners)).items),
  ]);
  const attr = new Map((attributes.ok ? attributes.value?.Attributes ?? [] : []).map((a) => [a.Key ?? '', a.Value ?? '']));
  const resource = calls.resource({
    id: arn,
    type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    name,
    region,
    loadBalancerType: lb.Type ?? 'application',
    scheme: lb.Scheme ?? null,
    availabilityZones: (lb.AvailabilityZones ?? []).map((z) => z.ZoneName ?? '').filter((z) => z !== '').sort(),
    deletionProtectionEnabled: attr.get('deletion_protection.enabled') === 'true',
    accessLogsEnabled: attr.get('access_logs.s3.enabled') === 'true',
    dropInvalidHeaderFields: attr.get('routing.http.drop_invalid_header_fields.enabled') === 'true',
    // An ALB without the attribute has the documented default mode, defensive.
    desyncMitigationMode: attr.get('routing.http.desync_mitigation_mode') ?? (lb.Type === 'application' || lb.Type === undefined ? 'defensive' : null),
    listeners: (listeners.ok ? listeners.value ?? [] : []).map(normaliseListener).sort((a, b) => (a.port as number) - (b.port as number)),
  });
  return { resource, raw: calls.raw };
}

/**
 * Application, Network and Gateway Load Balancers: attributes (deletion protection, access logs, invalid-header
 * dropping, desync mitigation) and listeners (ELB.1, ELB.4, ELB.5, ELB.6, ELB.12, ELB.13).
 */
export const elbv2LoadBalancers: Collector = {
  id: 'elbv2.load-balancers',
  version: '1',
  title: 'Application, Network and Gateway Load Balancers: attributes and listeners',
  scope: 'region',
  permissions: ['elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:DescribeListeners'],
  resourceSchema: resourceShape(
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    {
      loadBalancerType: s.string,
      scheme: s.nullable(s.string),
      availabilityZones: s.array(s.string),
      deletionProtectionEnabled: s.boolean,
      accessLogsEnabled: s.boolean,
      dropInvalidHeaderFields: s.boolean,
      desyncMitigationMode: s.nullable(s.string),
      listeners: s.array(s.object({ port: s.integer, protocol: s.string, redirectsToHttps: s.boolean })),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(ElasticLoadBalancingV2Client);
    const listed = await collectPages(paginateDescribeLoadBalancers({ client, pageSize: 400 }, {}), (p) => p.LoadBalancers);
    const lbs = listed.items.filter((lb) => typeof lb.LoadBalancerArn === 'string').sort((a, b) => (a.LoadBalancerArn as string).localeCompare(b.LoadBalancerArn as string));
    const described = await ctx.map(lbs, (lb) => describeLoadBalancer(client, ctx.region, lb));
    const raw: Record<string, unknown> = { DescribeLoadBalancers: listed.pages.map(stripMetadata) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
