import { createLogBucket, ExpectationList } from './logging-data/common.js';
import { seedDatabases, seedFileSystems, seedSecrets } from './logging-data/data-stores.js';
import { seedConfig, seedGuardDuty, seedTrails } from './logging-data/detection.js';
import { seedFunctions } from './logging-data/functions.js';
import { seedKeys } from './logging-data/keys.js';
import type { Seeder } from './types.js';

/**
 * Logging, detection and data services for one account and Region: CloudTrail, Config, GuardDuty, KMS, RDS, EFS,
 * Secrets Manager and Lambda, a mix of compliant and non-compliant resources that differs by account and Region.
 */
export const seedLoggingData: Seeder = async (target) => {
  const expect = new ExpectationList(target);
  const bucket = await createLogBucket(target);
  const keys = await seedKeys(target, expect);
  await seedTrails(target, expect, bucket, keys.logsKeyArn);
  await seedConfig(target, expect, bucket);
  await seedGuardDuty(target, expect);
  await seedDatabases(target, expect);
  await seedFileSystems(target, expect);
  const secrets = await seedSecrets(target, expect);
  await seedFunctions(target, expect, secrets.databaseSecretArn);
  return expect.items;
};

export const loggingDataSeeders: Seeder[] = [seedLoggingData];
