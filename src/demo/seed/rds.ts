import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import type { SeededIds, Seeder } from './types.js';

interface DbSpec {
  id: string;
  engine: string;
  encrypted: boolean;
  publiclyAccessible: boolean;
}

/** RDS: the primary Region has an encrypted private database and an unencrypted public one; the other Region a public reporting replica. */
export const rdsSeeder: Seeder = {
  service: 'rds',
  async seed(target) {
    const specs: DbSpec[] = target.primary
      ? [
          { id: 'auditpack-orders-db', engine: 'postgres', encrypted: true, publiclyAccessible: false },
          { id: 'auditpack-legacy-db', engine: 'mysql', encrypted: false, publiclyAccessible: true },
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
        }),
      );
      const arn = created.DBInstance?.DBInstanceArn;
      if (!arn) throw new Error(`CreateDBInstance ${spec.id} returned no ARN`);
      ids[`db/${spec.id}`] = arn;
    }
    return ids;
  },
};
