import { describe, expect, it } from 'vitest';
import { rdsInstances } from '../../../../collectors/rds/instances.js';
import { fakeClients } from '../../../helpers/fake-clients.js';

describe('rds.instances', () => {
  it('normalises absent settings to null / false', async () => {
    const { ctx } = fakeClients({ DescribeDBInstances: { DBInstances: [{ DBInstanceIdentifier: 'db', DBInstanceArn: 'arn:db' }] } });
    expect((await rdsInstances.collect(ctx)).resources[0]).toMatchObject({ id: 'arn:db', storageEncrypted: false, publiclyAccessible: false, kmsKeyId: null });
  });
});
