import { DescribeLoggingStatusCommand, RedshiftClient, paginateDescribeClusters, type Cluster } from '@aws-sdk/client-redshift';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

async function describeCluster(client: RedshiftClient, account: string, region: string, cluster: Cluster): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const name = cluster.ClusterIdentifier as string;
  const logging = await calls.call(`DescribeLoggingStatus:${name}`, ['loggingEnabled'], () => client.send(new DescribeLoggingStatusCommand({ ClusterIdentifier: name })));
  const resource = calls.resource({
    // DescribeClusters names no cluster ARN; this is the documented form (arn:aws:redshift:region:account:cluster:name).
    id: `arn:aws:redshift:${region}:${account}:cluster:${name}`,
    type: 'AWS::Redshift::Cluster',
    name,
    region,
    publiclyAccessible: cluster.PubliclyAccessible === true,
    encrypted: cluster.Encrypted === true,
    kmsKeyId: cluster.KmsKeyId ?? null,
    enhancedVpcRouting: cluster.EnhancedVpcRouting === true,
    allowVersionUpgrade: cluster.AllowVersionUpgrade === true,
    automatedSnapshotRetentionPeriod: cluster.AutomatedSnapshotRetentionPeriod ?? 0,
    masterUsername: cluster.MasterUsername ?? null,
    loggingEnabled: logging.ok && logging.value?.LoggingEnabled === true,
  });
  return { resource, raw: calls.raw };
}

/** Redshift provisioned clusters: exposure, encryption, snapshots, upgrades, routing, admin name (DescribeClusters) and audit logging. */
export const redshiftClusters: Collector = {
  id: 'redshift.clusters',
  version: '1',
  title: 'Redshift clusters: exposure, encryption, snapshots, audit logging',
  scope: 'region',
  permissions: ['redshift:DescribeClusters', 'redshift:DescribeLoggingStatus'],
  resourceSchema: resourceShape(
    'AWS::Redshift::Cluster',
    {
      publiclyAccessible: s.boolean,
      encrypted: s.boolean,
      kmsKeyId: s.nullable(s.string),
      enhancedVpcRouting: s.boolean,
      allowVersionUpgrade: s.boolean,
      automatedSnapshotRetentionPeriod: s.integer,
      masterUsername: s.nullable(s.string),
      loggingEnabled: s.boolean,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(RedshiftClient);
    const listed = await collectPages(paginateDescribeClusters({ client, pageSize: 100 }, {}), (p) => p.Clusters);
    const clusters = listed.items.filter((c) => typeof c.ClusterIdentifier === 'string').sort((a, b) => (a.ClusterIdentifier as string).localeCompare(b.ClusterIdentifier as string));
    const described = await ctx.map(clusters, (c) => describeCluster(client, ctx.account, ctx.region, c));
    const raw: Record<string, unknown> = { DescribeClusters: listed.pages.map(stripMetadata) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
