/** rds Config item normaliser (issue 11). moto gap: moto serves no AWS::RDS::DBInstance items. */
import { describe, expect, it } from 'vitest';
import { dbInstanceFromConfig } from '../../../../collectors/rds/instance-config-item.js';
import { normaliseInstance } from '../../../../collectors/rds/instances.js';
import { REGION, configItem, expectHostileSafe, without } from '../config/config-item-helpers.js';

const ARN = 'arn:aws:rds:us-east-1:123456789012:db:orders';
// Shape: aws-config-rdk AWS_RDS_DBInstance.json; aws-config-resource-schema AWS::RDS::DBInstance (resourceId = DbiResourceId).
const ITEM = configItem('AWS::RDS::DBInstance', 'db-ABCDEFGHIJKLMNOP', {
  dBInstanceIdentifier: 'orders',
  dBInstanceClass: 'db.t3.micro',
  engine: 'postgres',
  dBInstanceStatus: 'available',
  publiclyAccessible: false,
  autoMinorVersionUpgrade: true,
  multiAZ: true,
  monitoringInterval: 60,
  deletionProtection: true,
  enabledCloudwatchLogsExports: ['upgrade', 'postgresql'],
  iAMDatabaseAuthenticationEnabled: true,
  backupRetentionPeriod: 7,
  readReplicaSourceDBInstanceIdentifier: null,
  storageEncrypted: true,
  kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1',
  dbiResourceId: 'db-ABCDEFGHIJKLMNOP',
  engineVersion: '16.3',
  dBInstanceArn: ARN,
  dBClusterIdentifier: null,
});
const LIVE = normaliseInstance(
  { DBInstanceIdentifier: 'orders', DBInstanceArn: ARN, DBInstanceClass: 'db.t3.micro', Engine: 'postgres', DBInstanceStatus: 'available', PubliclyAccessible: false, AutoMinorVersionUpgrade: true, MultiAZ: true, MonitoringInterval: 60, DeletionProtection: true, EnabledCloudwatchLogsExports: ['upgrade', 'postgresql'], IAMDatabaseAuthenticationEnabled: true, BackupRetentionPeriod: 7, StorageEncrypted: true, KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1', EngineVersion: '16.3', DbiResourceId: 'db-ABCDEFGHIJKLMNOP' },
  REGION,
);

describe('rds Config item normaliser', () => {
  it('gives the live resource for the same instance', () => {
    expect(dbInstanceFromConfig(ITEM)).toEqual({ resource: LIVE, missing: [] });
  });

  it('lists odd fields as missing; an item for another dbi id is refused; hostile items never throw', () => {
    const config = ITEM.configuration as Record<string, unknown>;
    expect(dbInstanceFromConfig({ ...ITEM, configuration: { ...config, storageEncrypted: 'true', publiclyAccessible: undefined } })).toEqual({
      resource: without(LIVE, ['storageEncrypted', 'publiclyAccessible']),
      missing: ['publiclyAccessible', 'storageEncrypted'],
    });
    expect(dbInstanceFromConfig({ ...ITEM, resourceId: 'db-OTHER' })).toBeUndefined();
    expectHostileSafe(dbInstanceFromConfig, ITEM);
  });
});
