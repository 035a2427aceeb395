import { DAXClient, DescribeClustersCommand, type Cluster, type DescribeClustersCommandOutput } from '@aws-sdk/client-dax';
import type { Resource } from '../../src/core/types.js';
import { stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** One DAX cluster as DescribeClusters returns it. */
export function normaliseDaxCluster(c: Cluster, region: string): Resource {
  return {
    id: c.ClusterArn ?? `dax-cluster/${c.ClusterName ?? 'unknown'}`,
    type: 'AWS::DAX::Cluster',
    name: c.ClusterName ?? '',
    region,
    status: c.Status ?? null,
    sseStatus: c.SSEDescription?.Status ?? 'DISABLED',
    endpointEncryptionType: c.ClusterEndpointEncryptionType ?? 'NONE',
  };
}

/** DynamoDB Accelerator (DAX) clusters: encryption at rest (DynamoDB.3) and in transit (DynamoDB.7), from one paginated listing. */
export const daxClusters: Collector = {
  id: 'dynamodb.dax-clusters',
  version: '1',
  title: 'DynamoDB Accelerator (DAX) clusters: encryption at rest and in transit',
  scope: 'region',
  permissions: ['dax:DescribeClusters'],
  resourceSchema: resourceShape(
    'AWS::DAX::Cluster',
    {
      status: s.nullable(s.string),
      sseStatus: s.string,
      endpointEncryptionType: s.string,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(DAXClient);
    const pages: DescribeClustersCommandOutput[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new DescribeClustersCommand({ MaxResults: 100, NextToken: token }));
      pages.push(page);
      token = page.NextToken;
    } while (token);
    const clusters = pages.flatMap((p) => p.Clusters ?? []).sort((a, b) => (a.ClusterName ?? '').localeCompare(b.ClusterName ?? ''));
    return { raw: { DescribeClusters: pages.map(stripMetadata) }, resources: clusters.map((c) => normaliseDaxCluster(c, ctx.region)) };
  },
};
