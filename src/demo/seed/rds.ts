import { CreateDBClusterCommand, CreateDBInstanceCommand, CreateDBSnapshotCommand, ModifyDBSnapshotAttributeCommand, RDSClient } from '@aws-sdk/client-rds';
import type { SeededIds, Seeder } from './types.js';

interface DbSpec {
  id: string;
  engine: string;
  encrypted: boolean;
  publiclyAccessible: boolean;
  autoMinorVersionUpgrade?: boolean;
  /** Multi-AZ, deletion protection, CloudWatch Logs exports, IAM authentication and 7-day backups (RDS.5/8/9/10/11 PASS). */
  hardened?: boolean;
}

/** RDS: the primary Region has an encrypted private database and an unencrypted public one; the other Region a public reporting replica. */
export const rdsSeeder: Seeder = {
  service: 'rds',
  async seed(target) {
    const specs: DbSpec[] = target.primary
      ? [
          { id: 'auditpack-orders-db', engine: 'postgres', encrypted: true, publiclyAccessible: false, hardened: true },
          { id: 'auditpack-legacy-db', engine: 'mysql', encrypted: false, publiclyAccessible: true, autoMinorVersionUpgrade: false },
        ]
      : [{ id: 'auditpack-reports-db', engine: 'postgres', encrypted: true, publiclyAccessible: true }];
    const rds = target.clients.get(RDSClient);
    const ids: SeededIds = {};
    for (const spec of specs) {
      const created = await rds.send(
        new CreateDBInstanceCommand({
          DBInstanceIdentifier: spec.id,
          Engine: spec.engine,
          DBInstanceClass: 'db.t3.micro',
          AllocatedStorage: 20,
          MasterUsername: 'dbadmin',
          MasterUserPassword: 'demo-only-Passw0rd',
          StorageEncrypted: spec.encrypted,
          PubliclyAccessible: spec.publiclyAccessible,
          AutoMinorVersionUpgrade: spec.autoMinorVersionUpgrade ?? true,
          ...(spec.hardened
            ? { MultiAZ: true, DeletionProtection: true, EnableCloudwatchLogsExports: ['postgresql', 'upgrade'], EnableIAMDatabaseAuthentication: true, BackupRetentionPeriod: 7 }
            : { BackupRetentionPeriod: 1 }),
        }),
      );
      const arn = created.DBInstance?.DBInstanceArn;
      if (!arn) throw new Error(`CreateDBInstance ${spec.id} returned no ARN`);
      ids[`db/${spec.id}`] = arn;
      // RDS.1: a manual snapshot of each database; the legacy one's is made public (restore = all).
      const snapshot = `${spec.id}-snap`;
      const snap = await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: spec.id, DBSnapshotIdentifier: snapshot }));
      if (spec.id === 'auditpack-legacy-db') await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: snapshot, AttributeName: 'restore', ValuesToAdd: ['all'] }));
      ids[`snapshot/${snapshot}`] = snap.DBSnapshot?.DBSnapshotArn ?? '';
    }
    // RDS.7/RDS.12: an Aurora cluster with deletion protection and IAM authentication, and one without.
    for (const [cluster, hardened] of [['auditpack-aurora-main', true], ['auditpack-aurora-scratch', false]] as const) {
      const created = await rds.send(
        new CreateDBClusterCommand({
          DBClusterIdentifier: cluster,
          Engine: 'aurora-postgresql',
          MasterUsername: 'dbadmin',
          MasterUserPassword: 'demo-only-Passw0rd',
          StorageEncrypted: true,
          DeletionProtection: hardened,
          EnableIAMDatabaseAuthentication: hardened,
        }),
      );
      ids[`cluster/${cluster}`] = created.DBCluster?.DBClusterArn as string;
    }
    return ids;
  },
};
