import type { DBInstance } from '@aws-sdk/client-rds';
import type { Resource } from '../../src/core/types.js';

/** A DB instance as DescribeDBInstances returns it → the resource rds.instances emits (shared with instance-config-item.ts). */
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
    multiAz: db.MultiAZ === true,
    monitoringInterval: db.MonitoringInterval ?? 0,
    deletionProtection: db.DeletionProtection === true,
    cloudwatchLogsExports: [...(db.EnabledCloudwatchLogsExports ?? [])].sort(),
    iamDatabaseAuthenticationEnabled: db.IAMDatabaseAuthenticationEnabled === true,
    backupRetentionPeriod: db.BackupRetentionPeriod ?? 0,
    readReplicaSource: db.ReadReplicaSourceDBInstanceIdentifier ?? null,
    autoMinorVersionUpgrade: db.AutoMinorVersionUpgrade === true,
  };
}
