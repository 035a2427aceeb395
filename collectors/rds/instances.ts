import { paginateDescribeDBInstances, RDSClient } from '@aws-sdk/client-rds';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { normaliseInstance } from './instance-resource.js';
import { dbInstanceFromConfig } from './instance-config-item.js';
import { preferConfigItems } from '../config/prefer-items.js';
export { normaliseInstance };

/** RDS DB instances (also Aurora, Neptune and DocumentDB instances, which share the API): encryption and exposure. */
export const rdsInstances: Collector = {
  id: 'rds.instances',
  version: '2',
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
      multiAz: s.boolean,
      monitoringInterval: s.integer,
      deletionProtection: s.boolean,
      cloudwatchLogsExports: s.array(s.string),
      iamDatabaseAuthenticationEnabled: s.boolean,
      backupRetentionPeriod: s.integer,
      readReplicaSource: s.nullable(s.string),
      autoMinorVersionUpgrade: s.boolean,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(RDSClient);
    const listed = await collectPages(paginateDescribeDBInstances({ client, pageSize: 100 }, {}), (p) => p.DBInstances);
    const live = listed.items.map((db) => normaliseInstance(db, ctx.region));
    // The live listing is authoritative; under --source config, items stand in for what they hold (see prefer-items.ts).
    // The item's resourceId is the DbiResourceId (db-…); the identifier is tried too.
    const preferred = await preferConfigItems(ctx, 'AWS::RDS::DBInstance', live, (_r, i) => [listed.items[i]?.DbiResourceId, listed.items[i]?.DBInstanceIdentifier], dbInstanceFromConfig);
    return { raw: { DescribeDBInstances: listed.pages.map(stripMetadata), ...preferred.raw }, resources: preferred.resources };
  },
};

