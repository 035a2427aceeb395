import { DescribeSnapshotAttributeCommand, EC2Client, paginateDescribeSnapshots, type CreateVolumePermission, type Snapshot } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { nameTag, snapshotArn } from './arn.js';
import { resourceShape, s } from '../resource-schema.js';

export function normaliseSnapshot(snapshot: Snapshot, permissions: CreateVolumePermission[], region: string): Resource {
  const groups = permissions.map((p) => p.Group).filter((g): g is NonNullable<typeof g> => Boolean(g));
  return {
    id: snapshotArn(region, snapshot.SnapshotId as string),
    type: 'AWS::EC2::Snapshot',
    name: nameTag(snapshot.Tags) ?? snapshot.SnapshotId,
    region,
    snapshotId: snapshot.SnapshotId,
    volumeId: snapshot.VolumeId ?? null,
    state: snapshot.State ?? null,
    startTime: snapshot.StartTime ? snapshot.StartTime.toISOString() : null,
    encrypted: snapshot.Encrypted === true,
    // createVolumePermission group "all" = anyone can restore it (a public snapshot).
    public: groups.includes('all'),
    sharedWithAccounts: permissions.map((p) => p.UserId).filter((u): u is string => Boolean(u)),
  };
}

/**
 * One snapshot with its createVolumePermission. A refused DescribeSnapshotAttribute (an SCP or policy scoped to
 * this snapshot, a throttle that never succeeded) leaves out only `public` and `sharedWithAccounts`.
 */
async function describeSnapshot(client: EC2Client, region: string, snapshot: Snapshot): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const id = snapshot.SnapshotId as string;
  const attribute = await calls.call(`DescribeSnapshotAttribute:${id}`, ['public', 'sharedWithAccounts'], () =>
    client.send(new DescribeSnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission' })),
  );
  const permissions = (attribute.ok ? attribute.value?.CreateVolumePermissions : undefined) ?? [];
  return { resource: calls.resource(normaliseSnapshot(snapshot, permissions, region)), raw: calls.raw };
}

/** EC2 DescribeSnapshots (own snapshots) plus each snapshot's createVolumePermission (EC2.1). */
export const snapshots: Collector = {
  id: 'ec2.snapshots',
  version: '1',
  title: 'EBS snapshots and who may restore them',
  scope: 'region',
  permissions: ['ec2:DescribeSnapshots', 'ec2:DescribeSnapshotAttribute'],
  resourceSchema: resourceShape(
    'AWS::EC2::Snapshot',
    {
      snapshotId: s.string,
      volumeId: s.nullable(s.string),
      state: s.nullable(s.string),
      startTime: s.nullable(s.string),
      encrypted: s.boolean,
      public: s.boolean,
      sharedWithAccounts: s.array(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EC2Client);
    const { items, pages } = await collectPages(paginateDescribeSnapshots({ client, pageSize: 1000 }, { OwnerIds: ['self'] }), (p) => p.Snapshots);
    // OwnerIds ['self'] already limits AWS's answer; the explicit owner check keeps emulators that ignore it
    // (moto lists its public AMI snapshots too) from adding other accounts' snapshots.
    const own = items.filter((s) => s.SnapshotId && (s.OwnerId === undefined || s.OwnerId === ctx.account));
    const ownSet = new Set(own);
    const described = await ctx.map(own, (snapshot) => describeSnapshot(client, ctx.region, snapshot));
    // Merged in listing order (stable), so the evidence does not depend on which call finished first.
    const raw: Record<string, unknown> = {
      DescribeSnapshots: pages.map((p) => ({ ...stripMetadata(p), Snapshots: (p.Snapshots ?? []).filter((s) => ownSet.has(s)) })),
    };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
