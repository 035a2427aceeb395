import { CreateSecretCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SeededIds, Seeder } from './types.js';

/** Demo-only secret strings; the integration test checks none of them ever reaches evidence. */
export const SEEDED_SECRET_VALUES = ['demo-orders-db-password-7Qp2', 'demo-legacy-api-key-Zx81', 'demo-reports-db-password-Lm45'];

/** The id name of the rotating database secret a Lambda function references (`secret/<name>` → ARN). */
export const DATABASE_SECRET = 'secret/database';

/**
 * Secrets Manager: a rotating database secret and, in the primary Region, a static API key. moto accepts
 * RotateSecret with RotationRules alone (AWS also needs a rotation Lambda or managed rotation).
 */
export const secretsmanagerSeeder: Seeder = {
  service: 'secretsmanager',
  async seed(target) {
    const sm = target.clients.get(SecretsManagerClient);
    const ids: SeededIds = {};
    const create = async (name: string, value: string): Promise<string> => {
      const secret = await sm.send(new CreateSecretCommand({ Name: name, SecretString: value }));
      if (!secret.ARN) throw new Error(`CreateSecret ${name} returned no ARN`);
      ids[`secret/${name}`] = secret.ARN;
      return secret.ARN;
    };
    const dbName = target.primary ? 'auditpack/orders-db' : 'auditpack/reports-db';
    const databaseSecretArn = await create(dbName, target.primary ? (SEEDED_SECRET_VALUES[0] as string) : (SEEDED_SECRET_VALUES[2] as string));
    ids[DATABASE_SECRET] = databaseSecretArn;
    await sm.send(new RotateSecretCommand({ SecretId: databaseSecretArn, RotationRules: { AutomaticallyAfterDays: 30 }, RotateImmediately: false }));
    if (target.primary) {
      await create('auditpack/legacy-api-key', SEEDED_SECRET_VALUES[1] as string);
    }
    return ids;
  },
};
