import { describe, expect, it } from 'vitest';
import { snapshots } from '../../../../collectors/ec2/snapshots.js';
import { runCollector } from '../../../../src/collect/run-collector.js';
import { fakeClients } from '../../../helpers/fake-clients.js';

describe('ec2.snapshots collector', () => {
  it('keeps own snapshots only and marks group "all" as public', async () => {
    const { clients, callsOf } = fakeClients({
      DescribeSnapshots: { Snapshots: [{ SnapshotId: 'snap-1', OwnerId: '111111111111', VolumeId: 'vol-1' }, { SnapshotId: 'snap-ami', OwnerId: '999999999999' }, { SnapshotId: 'snap-2', OwnerId: '111111111111' }] },
      DescribeSnapshotAttribute: (input) => (input.SnapshotId === 'snap-1' ? { CreateVolumePermissions: [{ Group: 'all' }] } : { CreateVolumePermissions: [{ UserId: '222222222222' }] }),
    });
    const record = await runCollector(snapshots, { account: '111111111111', region: 'us-east-1', clients });
    expect(record.status).toBe('ok');
    expect(callsOf('DescribeSnapshots').map((c) => c.input.OwnerIds)).toEqual([['self']]);
    expect(record.resources.map((r) => [r.id, r.public, r.sharedWithAccounts])).toEqual([
      ['arn:aws:ec2:us-east-1::snapshot/snap-1', true, []],
      ['arn:aws:ec2:us-east-1::snapshot/snap-2', false, ['222222222222']],
    ]);
    expect(callsOf('DescribeSnapshotAttribute')).toHaveLength(2);
  });
});
