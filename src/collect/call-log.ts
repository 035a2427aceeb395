import { AsyncLocalStorage } from 'node:async_hooks';
import type { ApiCall } from '../core/types.js';

/** The call log of the collector run in progress; SDK middleware appends to it. */
export const callLogStore = new AsyncLocalStorage<ApiCall[]>();

export function recordCall(call: ApiCall): void {
  callLogStore.getStore()?.push(call);
}

/** SDK client name -> IAM service prefix. */
const SERVICE_PREFIX: Record<string, string> = {
  IAMClient: 'iam',
  STSClient: 'sts',
  OrganizationsClient: 'organizations',
  AccountClient: 'account',
  AccessAnalyzerClient: 'access-analyzer',
  S3Client: 's3',
  S3ControlClient: 's3',
  EC2Client: 'ec2',
  RDSClient: 'rds',
  KMSClient: 'kms',
  CloudTrailClient: 'cloudtrail',
  ConfigServiceClient: 'config',
  GuardDutyClient: 'guardduty',
  EFSClient: 'elasticfilesystem',
  SecretsManagerClient: 'secretsmanager',
  LambdaClient: 'lambda',
  SecurityHubClient: 'securityhub',
  ElasticLoadBalancingV2Client: 'elasticloadbalancing',
  CloudWatchLogsClient: 'logs',
  CloudWatchClient: 'cloudwatch',
  SNSClient: 'sns',
  SFNClient: 'states',
};

/** API operations whose IAM action has another name, keyed by SDK client and operation. */
const ACTION_EXCEPTIONS: Record<string, string> = {
  'S3Client:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  'S3Client:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  'S3Client:ListBuckets': 's3:ListAllMyBuckets',
  'S3ControlClient:GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
  'LambdaClient:ListFunctions20150331': 'lambda:ListFunctions',
  'LambdaClient:ListFunctions': 'lambda:ListFunctions',
};

export function servicePrefix(clientName: string): string {
  return SERVICE_PREFIX[clientName] ?? clientName.replace(/Client$/, '').toLowerCase();
}

export function iamAction(clientName: string, commandName: string): string {
  const operation = commandName.replace(/Command$/, '');
  return ACTION_EXCEPTIONS[`${clientName}:${operation}`] ?? `${servicePrefix(clientName)}:${operation}`;
}
