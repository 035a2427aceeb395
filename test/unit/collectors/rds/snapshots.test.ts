import { describe, expect, it } from 'vitest';
import { normaliseSnapshot } from '../../../../collectors/rds/snapshots.js';

describe('rds.snapshots normaliser', () => {
  it('a restore attribute with "all" is public; named accounts are shared, not public', () => {
    const snap = { DBSnapshotArn: 'arn:aws:rds:us-east-1:111111111111:snapshot:s', DBSnapshotIdentifier: 's', DBInstanceIdentifier: 'db', SnapshotType: 'manual', Encrypted: false };
    expect(normaliseSnapshot('instance', snap, [{ AttributeName: 'restore', AttributeValues: ['all', '222222222222'] }], 'us-east-1')).toMatchObject({ type: 'AWS::RDS::DBSnapshot', source: 'db', public: true, sharedWithAccounts: ['222222222222'], encrypted: false });
    expect(normaliseSnapshot('instance', snap, [{ AttributeName: 'restore', AttributeValues: [] }], 'us-east-1')).toMatchObject({ public: false, sharedWithAccounts: [] });
    expect(normaliseSnapshot('cluster', { DBClusterSnapshotArn: 'arn:c', DBClusterSnapshotIdentifier: 'c', StorageEncrypted: true }, [], 'us-east-1')).toMatchObject({ id: 'arn:c', type: 'AWS::RDS::DBClusterSnapshot', encrypted: true, public: false });
  });
});
