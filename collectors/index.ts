import { analyzers } from './accessanalyzer/analyzers.js';
import { alternateContact } from './account/alternate-contact.js';
import { cloudtrailTrails } from './cloudtrail/trails.js';
import { configRecorders } from './config/recorders.js';
import { ebsEncryptionByDefault } from './ec2/ebs-encryption-by-default.js';
import { instances } from './ec2/instances.js';
import { securityGroups } from './ec2/security-groups.js';
import { snapshots } from './ec2/snapshots.js';
import { volumes } from './ec2/volumes.js';
import { vpcsFlowLogs } from './ec2/vpcs-flow-logs.js';
import { efsFileSystems } from './efs/file-systems.js';
import { guarddutyDetectors } from './guardduty/detectors.js';
import { accountSummary } from './iam/account-summary.js';
import { authorizationDetails } from './iam/authorization-details.js';
import { credentialReport } from './iam/credential-report.js';
import { passwordPolicy } from './iam/password-policy.js';
import { virtualMfaDevices } from './iam/virtual-mfa-devices.js';
import { kmsKeys } from './kms/keys.js';
import { lambdaFunctions } from './lambda/functions.js';
import { rdsInstances } from './rds/instances.js';
import { secretsmanagerSecrets } from './secretsmanager/secrets.js';
import { accountPublicAccessBlock } from './s3/account-public-access-block.js';
import { buckets } from './s3/buckets.js';
import type { Collector } from './types.js';

/**
 * Every collector auditpack ships, in a stable order (evidence and call logs follow it): the one place a collector
 * registers. A collector's id starts with its service folder (`<service>.<name>`).
 */
export const collectors: Collector[] = [
  // IAM and the account (global, account scope), Access Analyzer (per region)
  accountSummary,
  credentialReport,
  passwordPolicy,
  authorizationDetails,
  virtualMfaDevices,
  alternateContact,
  analyzers,
  // S3, EBS, EC2 and VPC
  accountPublicAccessBlock,
  buckets,
  ebsEncryptionByDefault,
  volumes,
  snapshots,
  vpcsFlowLogs,
  securityGroups,
  instances,
  // logging, detection and data services (region scope)
  cloudtrailTrails,
  configRecorders,
  guarddutyDetectors,
  rdsInstances,
  kmsKeys,
  efsFileSystems,
  secretsmanagerSecrets,
  lambdaFunctions,
];

/** The collectors of the given services (the folder names under collectors/), in registry order. */
export function collectorsOf(...services: string[]): Collector[] {
  return collectors.filter((c) => services.includes(c.id.slice(0, c.id.indexOf('.'))));
}
