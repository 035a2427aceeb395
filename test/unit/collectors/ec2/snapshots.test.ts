import { describe, expect, it } from 'vitest';
import { snapshots } from '../../../../collectors/ec2/snapshots.js';
import { collectors } from '../../../../collectors/index.js';
import { ResourceSchemas } from '../../../../src/catalog/resource-schemas.js';
import { runCollector } from '../../../../src/collect/run-collector.js';
import { awsError, fakeClients } from '../../../helpers/fake-clients.js';

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

  it('a refused DescribeSnapshotAttribute leaves out public and sharedWithAccounts of that snapshot only', async () => {
    const denied = Object.assign(awsError('UnauthorizedOperation', { message: 'You are not authorized to perform this operation.', httpStatusCode: 403 }), { auditpackAction: 'ec2:DescribeSnapshotAttribute' });
    const { clients } = fakeClients({
      DescribeSnapshots: { Snapshots: [{ SnapshotId: 'snap-1', OwnerId: '111111111111', VolumeId: 'vol-1', Encrypted: true }, { SnapshotId: 'snap-2', OwnerId: '111111111111' }] },
      DescribeSnapshotAttribute: (input) => (input.SnapshotId === 'snap-1' ? denied : { CreateVolumePermissions: [{ Group: 'all' }] }),
    });
    const record = await runCollector(snapshots, { account: '111111111111', region: 'us-east-1', clients });
    expect(record.status).toBe('ok');
    const [refused, judged] = record.resources;
    expect(refused).toEqual({
      id: 'arn:aws:ec2:us-east-1::snapshot/snap-1',
      type: 'AWS::EC2::Snapshot',
      name: 'snap-1',
      region: 'us-east-1',
      snapshotId: 'snap-1',
      volumeId: 'vol-1',
      state: null,
      startTime: null,
      encrypted: true,
      collectionErrors: [
        { fields: ['public', 'sharedWithAccounts'], action: 'ec2:DescribeSnapshotAttribute', code: 'UnauthorizedOperation', message: 'missing permission ec2:DescribeSnapshotAttribute: You are not authorized to perform this operation.' },
      ],
    });
    expect(judged).toMatchObject({ snapshotId: 'snap-2', public: true, sharedWithAccounts: [] });
    expect(judged).not.toHaveProperty('collectionErrors');
    expect(record.raw['DescribeSnapshotAttribute:snap-1']).toMatchObject({ error: { action: 'ec2:DescribeSnapshotAttribute', code: 'UnauthorizedOperation' } });
    const schemas = new ResourceSchemas(collectors);
    for (const resource of record.resources) expect(schemas.outputProblem('ec2.snapshots', resource)).toBeUndefined();
  });
});
