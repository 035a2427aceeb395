import { accountSeeder } from './account.js';
import { cloudtrailSeeder } from './cloudtrail.js';
import { configSeeder } from './config.js';
import { ec2Seeder } from './ec2.js';
import { efsSeeder } from './efs.js';
import { guarddutySeeder } from './guardduty.js';
import { iamSeeder } from './iam.js';
import { kmsSeeder } from './kms.js';
import { lambdaSeeder } from './lambda.js';
import { rdsSeeder } from './rds.js';
import { s3Seeder } from './s3.js';
import { secretsmanagerSeeder } from './secretsmanager.js';
import type { Seeder } from './types.js';
import { vpcSeeder } from './vpc.js';

/**
 * Every seeder, one per AWS service, run in this order per account and region by the demo and the integration
 * tests (a seeder comes after the ones it `needs`). Adding a service's seed: one file here, one line below, and
 * its expected results in test/fixtures/estate/<service>.yaml.
 */
export const seeders: Seeder[] = [
  iamSeeder,
  accountSeeder,
  s3Seeder,
  vpcSeeder,
  ec2Seeder,
  kmsSeeder,
  cloudtrailSeeder,
  configSeeder,
  guarddutySeeder,
  rdsSeeder,
  efsSeeder,
  secretsmanagerSeeder,
  lambdaSeeder,
];

/** The seeders of the given services and of the services they need, in registry order. */
export function seedersFor(...services: string[]): Seeder[] {
  const wanted = new Set<string>();
  const add = (service: string): void => {
    if (wanted.has(service)) return;
    const seeder = seeders.find((s) => s.service === service);
    if (!seeder) throw new Error(`no seeder for ${service} (seeders: ${seeders.map((s) => s.service).join(', ')})`);
    wanted.add(service);
    for (const need of seeder.needs ?? []) add(need);
  };
  for (const service of services) add(service);
  return seeders.filter((s) => wanted.has(s.service));
}
