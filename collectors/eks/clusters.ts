import { DescribeClusterCommand, EKSClient, paginateListClusters, type Cluster } from '@aws-sdk/client-eks';
import type { Resource } from '../../src/core/types.js';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** Fields DescribeCluster fills (left out when it was refused). */
const DESCRIBED = ['version', 'status', 'endpointPublicAccess', 'endpointPrivateAccess', 'publicAccessCidrs', 'enabledLogTypes', 'secretsEncrypted'] as const;

/** A cluster as DescribeCluster returns it → the resource eks.clusters emits. */
export function normaliseCluster(name: string, cluster: Cluster | undefined, account: string, region: string): Resource {
  const vpc = cluster?.resourcesVpcConfig;
  const enabled = (cluster?.logging?.clusterLogging ?? []).filter((l) => l.enabled === true).flatMap((l) => l.types ?? []);
  return {
    id: cluster?.arn ?? `arn:aws:eks:${region}:${account}:cluster/${name}`,
    type: 'AWS::EKS::Cluster',
    name,
    region,
    version: cluster?.version ?? null,
    status: cluster?.status ?? null,
    // The API endpoint is public unless turned off (AWS's default for a new cluster is public).
    endpointPublicAccess: vpc?.endpointPublicAccess !== false,
    endpointPrivateAccess: vpc?.endpointPrivateAccess === true,
    publicAccessCidrs: [...(vpc?.publicAccessCidrs ?? [])].sort(),
    enabledLogTypes: [...new Set(enabled)].sort(),
    // Envelope encryption of Kubernetes secrets with a KMS key.
    secretsEncrypted: (cluster?.encryptionConfig ?? []).some((e) => (e.resources ?? []).includes('secrets') && Boolean(e.provider?.keyArn)),
  };
}

async function describeCluster(client: EKSClient, name: string, account: string, region: string): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const answer = await calls.call(`DescribeCluster:${name}`, DESCRIBED, () => client.send(new DescribeClusterCommand({ name })));
  return { resource: calls.resource(normaliseCluster(name, answer.ok ? answer.value?.cluster : undefined, account, region)), raw: calls.raw };
}

/** EKS ListClusters plus DescribeCluster per cluster: endpoint exposure, control-plane logging, secrets encryption. */
export const eksClusters: Collector = {
  id: 'eks.clusters',
  version: '1',
  title: 'EKS clusters',
  scope: 'region',
  permissions: ['eks:ListClusters', 'eks:DescribeCluster'],
  resourceSchema: resourceShape(
    'AWS::EKS::Cluster',
    {
      version: s.nullable(s.string),
      status: s.nullable(s.string),
      endpointPublicAccess: s.boolean,
      endpointPrivateAccess: s.boolean,
      publicAccessCidrs: s.array(s.string),
      enabledLogTypes: s.array(s.string),
      secretsEncrypted: s.boolean,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EKSClient);
    const { items, pages } = await collectPages(paginateListClusters({ client, pageSize: 100 }, {}), (p) => p.clusters);
    const described = await ctx.map(items, (name) => describeCluster(client, name, ctx.account, ctx.region));
    const raw: Record<string, unknown> = { ListClusters: pages.map(stripMetadata) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
