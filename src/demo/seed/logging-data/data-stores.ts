import { CreateFileSystemCommand, EFSClient } from '@aws-sdk/client-efs';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateSecretCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SeedTarget } from '../types.js';
import type { ExpectationList } from './common.js';

/** Demo-only secret strings; the integration test checks none of them ever reaches evidence. */
export const SEEDED_SECRET_VALUES = ['demo-orders-db-password-7Qp2', 'demo-legacy-api-key-Zx81', 'demo-reports-db-password-Lm45'];

interface DbSpec {
  id: string;
  engine: string;
  encrypted: boolean;
  publiclyAccessible: boolean;
}

/** RDS: primary has an encrypted private database and an unencrypted public one; the other Region a public reporting replica. */
export async function seedDatabases(target: SeedTarget, expect: ExpectationList): Promise<void> {
  const specs: DbSpec[] = target.primary
    ? [
        { id: 'auditpack-orders-db', engine: 'postgres', encrypted: true, publiclyAccessible: false },
        { id: 'auditpack-legacy-db', engine: 'mysql', encrypted: false, publiclyAccessible: true },
      ]
    : [{ id: 'auditpack-reports-db', engine: 'postgres', encrypted: true, publiclyAccessible: true }];
  const rds = target.clients.get(RDSClient);
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
    expect.add('rds-storage-encrypted', arn, spec.encrypted ? 'PASS' : 'FAIL');
    expect.add('rds-not-public', arn, spec.publiclyAccessible ? 'FAIL' : 'PASS');
  }
}

/** EFS: an encrypted shared file system everywhere, an unencrypted scratch file system in the primary Region. */
export async function seedFileSystems(target: SeedTarget, expect: ExpectationList): Promise<void> {
  const specs = [{ name: 'auditpack-shared-data', encrypted: true }, ...(target.primary ? [{ name: 'auditpack-scratch', encrypted: false }] : [])];
  const efs = target.clients.get(EFSClient);
  for (const spec of specs) {
    const fs = await efs.send(
      new CreateFileSystemCommand({ CreationToken: `${spec.name}-${target.region}`, Encrypted: spec.encrypted, Tags: [{ Key: 'Name', Value: spec.name }] }),
    );
    if (!fs.FileSystemArn) throw new Error(`CreateFileSystem ${spec.name} returned no ARN`);
    expect.add('efs-encrypted', fs.FileSystemArn, spec.encrypted ? 'PASS' : 'FAIL');
  }
}

export interface SeededSecrets {
  /** ARN a Lambda function references instead of holding the secret itself. */
  databaseSecretArn: string;
}

/**
 * Secrets Manager: a rotating database secret (PASS) and, in the primary Region, a static API key (FAIL).
 * moto accepts RotateSecret with RotationRules alone (AWS also needs a rotation Lambda or managed rotation).
 */
export async function seedSecrets(target: SeedTarget, expect: ExpectationList): Promise<SeededSecrets> {
  const sm = target.clients.get(SecretsManagerClient);
  const create = async (name: string, value: string): Promise<string> => {
    const secret = await sm.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    if (!secret.ARN) throw new Error(`CreateSecret ${name} returned no ARN`);
    return secret.ARN;
  };

  const dbName = target.primary ? 'auditpack/orders-db' : 'auditpack/reports-db';
  const databaseSecretArn = await create(dbName, target.primary ? (SEEDED_SECRET_VALUES[0] as string) : (SEEDED_SECRET_VALUES[2] as string));
  await sm.send(new RotateSecretCommand({ SecretId: databaseSecretArn, RotationRules: { AutomaticallyAfterDays: 30 }, RotateImmediately: false }));
  expect.add('secretsmanager-rotation-enabled', databaseSecretArn, 'PASS');

  if (target.primary) {
    const apiKeyArn = await create('auditpack/legacy-api-key', SEEDED_SECRET_VALUES[1] as string);
    expect.add('secretsmanager-rotation-enabled', apiKeyArn, 'FAIL');
  }
  return { databaseSecretArn };
}
