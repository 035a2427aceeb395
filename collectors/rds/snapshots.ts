import {
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBSnapshotAttributesCommand,
  paginateDescribeDBClusterSnapshots,
  paginateDescribeDBSnapshots,
  RDSClient,
  type DBClusterSnapshot,
  type DBSnapshot,
} from '@aws-sdk/client-rds';
import type { Resource } from '../../src/core/types.js';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/** One `restore` attribute answer: who may copy or restore the snapshot ("all" = public). */
interface RestoreAttribute {
  AttributeName?: string;
  AttributeValues?: string[];
}

/** A DB or DB cluster snapshot with the values of its `restore` attribute → the resource rds.snapshots emits. */
export function normaliseSnapshot(
  kind: 'instance' | 'cluster',
  snapshot: DBSnapshot | DBClusterSnapshot,
  attributes: readonly RestoreAttribute[],
  region: string,
): Resource {
  const restore = attributes.filter((a) => a.AttributeName === 'restore').flatMap((a) => a.AttributeValues ?? []);
  const name = kind === 'instance' ? (snapshot as DBSnapshot).DBSnapshotIdentifier : (snapshot as DBClusterSnapshot).DBClusterSnapshotIdentifier;
  const arn = kind === 'instance' ? (snapshot as DBSnapshot).DBSnapshotArn : (snapshot as DBClusterSnapshot).DBClusterSnapshotArn;
  return {
    id: arn ?? `${kind === 'instance' ? 'snapshot' : 'cluster-snapshot'}:${name ?? 'unknown'}`,
    type: kind === 'instance' ? 'AWS::RDS::DBSnapshot' : 'AWS::RDS::DBClusterSnapshot',
    name: name ?? '',
    region,
    source: (kind === 'instance' ? (snapshot as DBSnapshot).DBInstanceIdentifier : (snapshot as DBClusterSnapshot).DBClusterIdentifier) ?? null,
    snapshotType: snapshot.SnapshotType ?? null,
    engine: snapshot.Engine ?? null,
    encrypted: (kind === 'instance' ? (snapshot as DBSnapshot).Encrypted : (snapshot as DBClusterSnapshot).StorageEncrypted) === true,
    // restore attribute value "all" = any AWS account may copy or restore it (a public snapshot).
    public: restore.includes('all'),
    sharedWithAccounts: restore.filter((v) => v !== 'all').sort(),
  };
}

/**
 * One snapshot with its `restore` attribute. Automated snapshots cannot be shared, so only manual (and other
 * non-automated) snapshots are asked; a refused attribute call leaves out only `public` and `sharedWithAccounts`.
 */
async function describeSnapshot(client: RDSClient, region: string, kind: 'instance' | 'cluster', snapshot: DBSnapshot | DBClusterSnapshot): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  let attributes: RestoreAttribute[] = [];
  if (snapshot.SnapshotType !== 'automated') {
    if (kind === 'instance') {
      const id = (snapshot as DBSnapshot).DBSnapshotIdentifier as string;
      const answer = await calls.call(`DescribeDBSnapshotAttributes:${id}`, ['public', 'sharedWithAccounts'], () =>
        client.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: id })),
      );
      attributes = (answer.ok ? answer.value?.DBSnapshotAttributesResult?.DBSnapshotAttributes : undefined) ?? [];
    } else {
      const id = (snapshot as DBClusterSnapshot).DBClusterSnapshotIdentifier as string;
      const answer = await calls.call(`DescribeDBClusterSnapshotAttributes:${id}`, ['public', 'sharedWithAccounts'], () =>
        client.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: id })),
      );
      attributes = (answer.ok ? answer.value?.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes : undefined) ?? [];
    }
  }
  return { resource: calls.resource(normaliseSnapshot(kind, snapshot, attributes, region)), raw: calls.raw };
}

/** RDS DB snapshots and DB cluster snapshots of the account, with who may restore each (RDS.1). */
export const rdsSnapshots: Collector = {
  id: 'rds.snapshots',
  version: '1',
  title: 'RDS DB and DB cluster snapshots and who may restore them',
  scope: 'region',
  permissions: ['rds:DescribeDBSnapshots', 'rds:DescribeDBSnapshotAttributes', 'rds:DescribeDBClusterSnapshots', 'rds:DescribeDBClusterSnapshotAttributes'],
  resourceSchema: resourceShape(
    ['AWS::RDS::DBSnapshot', 'AWS::RDS::DBClusterSnapshot'],
    {
      source: s.nullable(s.string),
      snapshotType: s.nullable(s.string),
      engine: s.nullable(s.string),
      encrypted: s.boolean,
      public: s.boolean,
      sharedWithAccounts: s.array(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(RDSClient);
    const dbs = await collectPages(paginateDescribeDBSnapshots({ client, pageSize: 100 }, {}), (p) => p.DBSnapshots);
    const clusters = await collectPages(paginateDescribeDBClusterSnapshots({ client, pageSize: 100 }, {}), (p) => p.DBClusterSnapshots);
    const instanceSnaps = dbs.items.filter((x) => x.DBSnapshotIdentifier);
    const clusterSnaps = clusters.items.filter((x) => x.DBClusterSnapshotIdentifier);
    const described = [
      ...(await ctx.map(instanceSnaps, (snap) => describeSnapshot(client, ctx.region, 'instance', snap))),
      ...(await ctx.map(clusterSnaps, (snap) => describeSnapshot(client, ctx.region, 'cluster', snap))),
    ];
    // Merged in listing order (stable), so the evidence does not depend on which call finished first.
    const raw: Record<string, unknown> = { DescribeDBSnapshots: dbs.pages.map(stripMetadata), DescribeDBClusterSnapshots: clusters.pages.map(stripMetadata) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
