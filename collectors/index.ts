import { analyzers } from './accessanalyzer/analyzers.js';
import { alternateContact } from './account/alternate-contact.js';
import { cloudtrailTrails } from './cloudtrail/trails.js';
import { cloudwatchAlarms } from './cloudwatch/alarms.js';
import { logsMetricFilters } from './logs/metric-filters.js';
import { securityhubHub } from './securityhub/hub.js';
import { snsTopics } from './sns/topics.js';
import { configRecorders } from './config/recorders.js';
import { ebsEncryptionByDefault } from './ec2/ebs-encryption-by-default.js';
import { instances } from './ec2/instances.js';
import { securityGroups } from './ec2/security-groups.js';
import { snapshots } from './ec2/snapshots.js';
import { subnets } from './ec2/subnets.js';
import { transitGateways } from './ec2/transit-gateways.js';
import { vpcEndpoints } from './ec2/vpc-endpoints.js';
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
import { rdsSnapshots } from './rds/snapshots.js';
import { rdsClusters } from './rds/clusters.js';
import { secretsmanagerSecrets } from './secretsmanager/secrets.js';
import { accountPublicAccessBlock } from './s3/account-public-access-block.js';
import { buckets } from './s3/buckets.js';
import { dynamodbTables } from './dynamodb/tables.js';
import { daxClusters } from './dynamodb/dax-clusters.js';
import { sqsQueues } from './sqs/queues.js';
import { kinesisStreams } from './kinesis/streams.js';
import { ecrRepositories } from './ecr/repositories.js';
import { acmCertificates } from './acm/certificates.js';
import { elbv2LoadBalancers } from './elbv2/load-balancers.js';
import { redshiftClusters } from './redshift/clusters.js';
import { autoscalingGroups } from './autoscaling/groups.js';
import { autoscalingLaunchConfigurations } from './autoscaling/launch-configurations.js';
import { eksClusters } from './eks/clusters.js';
import { stepfunctionsStateMachines } from './stepfunctions/state-machines.js';
import { networkAcls } from './ec2/network-acls.js';
import { routeTables } from './ec2/route-tables.js';
import { serverCertificates } from './iam/server-certificates.js';
import { macieSession } from './macie/session.js';
import { codebuildProjects } from './codebuild/projects.js';
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
  subnets,
  transitGateways,
  vpcEndpoints,
  securityGroups,
  instances,
  // logging, detection and data services (region scope)
  cloudtrailTrails,
  configRecorders,
  guarddutyDetectors,
  logsMetricFilters, cloudwatchAlarms, snsTopics, securityhubHub, // CIS 4.1–4.16 monitoring
  rdsInstances,
  rdsSnapshots,
  rdsClusters,
  kmsKeys,
  efsFileSystems,
  secretsmanagerSecrets,
  lambdaFunctions,
  autoscalingGroups,
  autoscalingLaunchConfigurations,
  eksClusters,
  stepfunctionsStateMachines,
  codebuildProjects,
  // data and messaging services (issue 12)
  dynamodbTables,
  daxClusters,
  sqsQueues,
  kinesisStreams,
  ecrRepositories,
  acmCertificates,
  elbv2LoadBalancers,
  redshiftClusters,
  serverCertificates, macieSession, networkAcls, routeTables, // CIS 1.19, 2.1.3, 5.1, 5.5
];

/** The collectors of the given services (the folder names under collectors/), in registry order. */
export function collectorsOf(...services: string[]): Collector[] {
  return collectors.filter((c) => services.includes(c.id.slice(0, c.id.indexOf('.'))));
}
