import { accountSeeder } from './account.js';
import { autoscalingSeeder } from './autoscaling.js';
import { cloudtrailSeeder } from './cloudtrail.js';
import { codebuildSeeder } from './codebuild.js';
import { configSeeder } from './config.js';
import { ec2Seeder } from './ec2.js';
import { efsSeeder } from './efs.js';
import { eksSeeder } from './eks.js';
import { guarddutySeeder } from './guardduty.js';
import { iamSeeder } from './iam.js';
import { kmsSeeder } from './kms.js';
import { lambdaSeeder } from './lambda.js';
import { monitoringSeeder } from './monitoring.js';
import { rdsSeeder } from './rds.js';
import { s3Seeder } from './s3.js';
import { secretsmanagerSeeder } from './secretsmanager.js';
import { stepfunctionsSeeder } from './stepfunctions.js';
import { dynamodbSeeder } from './dynamodb.js';
import { sqsSeeder } from './sqs.js';
import { kinesisSeeder } from './kinesis.js';
import { ecrSeeder } from './ecr.js';
import { acmSeeder } from './acm.js';
import { elbv2Seeder } from './elbv2.js';
import { redshiftSeeder } from './redshift.js';
import { networkSeeder } from './network.js';
import { serverCertificatesSeeder } from './server-certificates.js';
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
  monitoringSeeder,
  configSeeder,
  guarddutySeeder,
  rdsSeeder,
  efsSeeder,
  secretsmanagerSeeder,
  lambdaSeeder,
  autoscalingSeeder,
  eksSeeder,
  stepfunctionsSeeder,
  codebuildSeeder,
  dynamodbSeeder, sqsSeeder, kinesisSeeder, ecrSeeder, acmSeeder, elbv2Seeder, redshiftSeeder, // issue 12: data and messaging services
  serverCertificatesSeeder, networkSeeder, // CIS 1.19, 5.1, 5.5
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
