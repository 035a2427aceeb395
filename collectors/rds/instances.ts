import { paginateDescribeDBInstances, RDSClient, type DBInstance } from '@aws-sdk/client-rds';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** RDS DB instances (also Aurora, Neptune and DocumentDB instances, which share the API): encryption and exposure. */
export const rdsInstances: Collector = {
  id: 'rds.instances',
  version: '1',
  title: 'RDS DB instances',
  scope: 'region',
  permissions: ['rds:DescribeDBInstances'],
  resourceSchema: resourceShape(
    'AWS::RDS::DBInstance',
    {
      engine: s.nullable(s.string),
      engineVersion: s.nullable(s.string),
      instanceClass: s.nullable(s.string),
      status: s.nullable(s.string),
      clusterIdentifier: s.nullable(s.string),
      storageEncrypted: s.boolean,
      kmsKeyId: s.nullable(s.string),
      publiclyAccessible: s.boolean,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(RDSClient);
    const listed = await collectPages(paginateDescribeDBInstances({ client, pageSize: 100 }, {}), (p) => p.DBInstances);
    return {
      raw: { DescribeDBInstances: listed.pages.map(stripMetadata) },
      resources: listed.items.map((db) => normaliseInstance(db, ctx.region)),
    };
  },
};

export function normaliseInstance(db: DBInstance, region: string): Resource {
  return {
    id: db.DBInstanceArn ?? `db:${db.DBInstanceIdentifier ?? 'unknown'}`,
    type: 'AWS::RDS::DBInstance',
    name: db.DBInstanceIdentifier ?? '',
    region,
    engine: db.Engine ?? null,
    engineVersion: db.EngineVersion ?? null,
    instanceClass: db.DBInstanceClass ?? null,
    status: db.DBInstanceStatus ?? null,
    clusterIdentifier: db.DBClusterIdentifier ?? null,
    storageEncrypted: db.StorageEncrypted === true,
    kmsKeyId: db.KmsKeyId ?? null,
    publiclyAccessible: db.PubliclyAccessible === true,
  };
}
