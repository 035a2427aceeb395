/**
 * AWS::RDS::DBInstance configuration item → the resource rds.instances emits (issue 11).
 *
 * Item shape (awslabs/aws-config-resource-schema `AWS::RDS::DBInstance.properties.json`; rdk example_ci
 * AWS_RDS_DBInstance.json): `resourceId` is the DbiResourceId (`db-…`), not the identifier; `configuration` uses
 * the `dB…` casing: `{dBInstanceIdentifier, dBInstanceArn, dBInstanceClass, dBInstanceStatus, dBClusterIdentifier,
 * dbiResourceId, engine, engineVersion, storageEncrypted, kmsKeyId, publiclyAccessible, autoMinorVersionUpgrade, multiAZ,
 * monitoringInterval, deletionProtection, enabledCloudwatchLogsExports, iAMDatabaseAuthenticationEnabled,
 * backupRetentionPeriod, readReplicaSourceDBInstanceIdentifier, …}`.
 */
import type { DBInstance } from '@aws-sdk/client-rds';
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { bool, intOrNull, list, Missing, obj, placement, text, textOrNull } from '../config/fields-config-item.js';
import { normaliseInstance } from './instance-resource.js';

/** A list of short strings (enabledCloudwatchLogsExports; null or absent means none), or undefined when odd. */
function textList(value: unknown): string[] | undefined {
  if (value === null || value === undefined) return [];
  const items = list(value);
  if (!items?.every((v) => typeof v === 'string' && v.length <= 64)) return undefined;
  return items as string[];
}

/** The DB instance an item describes and the fields it could not fill; undefined when it does not identify one. */
export function dbInstanceFromConfig(item: ConfigItem): { resource: Resource; missing: string[] } | undefined {
  const c = obj(item.configuration);
  const where = placement(item);
  const arn = text(c?.dBInstanceArn);
  const identifier = text(c?.dBInstanceIdentifier, 256);
  const dbi = c?.dbiResourceId;
  if (!c || !where || !arn?.startsWith('arn:') || !identifier || (dbi !== undefined && dbi !== item.resourceId)) return undefined;
  const missing = new Missing();
  const db: DBInstance = {
    DBInstanceArn: arn,
    DBInstanceIdentifier: identifier,
    Engine: missing.need(textOrNull(c.engine, 64), 'engine') ?? undefined,
    EngineVersion: missing.need(textOrNull(c.engineVersion, 64), 'engineVersion') ?? undefined,
    DBInstanceClass: missing.need(textOrNull(c.dBInstanceClass, 64), 'instanceClass') ?? undefined,
    DBInstanceStatus: missing.need(textOrNull(c.dBInstanceStatus, 64), 'status') ?? undefined,
    DBClusterIdentifier: missing.need(textOrNull(c.dBClusterIdentifier, 256), 'clusterIdentifier') ?? undefined,
    StorageEncrypted: missing.need(bool(c.storageEncrypted), 'storageEncrypted'),
    KmsKeyId: missing.need(textOrNull(c.kmsKeyId), 'kmsKeyId') ?? undefined,
    PubliclyAccessible: missing.need(bool(c.publiclyAccessible), 'publiclyAccessible'),
    MultiAZ: missing.need(bool(c.multiAZ), 'multiAz'),
    MonitoringInterval: missing.need(intOrNull(c.monitoringInterval), 'monitoringInterval') ?? undefined,
    DeletionProtection: missing.need(bool(c.deletionProtection), 'deletionProtection'),
    EnabledCloudwatchLogsExports: missing.need(textList(c.enabledCloudwatchLogsExports), 'cloudwatchLogsExports'),
    IAMDatabaseAuthenticationEnabled: missing.need(bool(c.iAMDatabaseAuthenticationEnabled), 'iamDatabaseAuthenticationEnabled'),
    BackupRetentionPeriod: missing.need(intOrNull(c.backupRetentionPeriod), 'backupRetentionPeriod') ?? undefined,
    ReadReplicaSourceDBInstanceIdentifier: missing.need(textOrNull(c.readReplicaSourceDBInstanceIdentifier, 2048), 'readReplicaSource') ?? undefined,
    AutoMinorVersionUpgrade: missing.need(bool(c.autoMinorVersionUpgrade), 'autoMinorVersionUpgrade'),
  };
  return missing.apply(normaliseInstance(db, where.region));
}
