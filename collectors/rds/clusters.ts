import { paginateDescribeDBClusters, RDSClient, type DBCluster } from '@aws-sdk/client-rds';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** A DB cluster as DescribeDBClusters returns it (Aurora, Multi-AZ DB clusters, Neptune, DocumentDB) → the resource rds.clusters emits. */
export function normaliseCluster(cluster: DBCluster, region: string): Resource {
  return {
    id: cluster.DBClusterArn ?? `cluster:${cluster.DBClusterIdentifier ?? 'unknown'}`,
    type: 'AWS::RDS::DBCluster',
    name: cluster.DBClusterIdentifier ?? '',
    region,
    engine: cluster.Engine ?? null,
    status: cluster.Status ?? null,
    deletionProtection: cluster.DeletionProtection === true,
    iamDatabaseAuthenticationEnabled: cluster.IAMDatabaseAuthenticationEnabled === true,
    multiAz: cluster.MultiAZ === true,
    storageEncrypted: cluster.StorageEncrypted === true,
  };
}

/** RDS DescribeDBClusters: deletion protection, IAM authentication, Multi-AZ and encryption of each DB cluster. */
export const rdsClusters: Collector = {
  id: 'rds.clusters',
  version: '1',
  title: 'RDS DB clusters',
  scope: 'region',
  permissions: ['rds:DescribeDBClusters'],
  resourceSchema: resourceShape(
    'AWS::RDS::DBCluster',
    {
      engine: s.nullable(s.string),
      status: s.nullable(s.string),
      deletionProtection: s.boolean,
      iamDatabaseAuthenticationEnabled: s.boolean,
      multiAz: s.boolean,
      storageEncrypted: s.boolean,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(RDSClient);
    const { items, pages } = await collectPages(paginateDescribeDBClusters({ client, pageSize: 100 }, {}), (p) => p.DBClusters);
    return { raw: { DescribeDBClusters: pages.map(stripMetadata) }, resources: items.map((c) => normaliseCluster(c, ctx.region)) };
  },
};
