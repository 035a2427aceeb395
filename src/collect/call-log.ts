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
};

/** API operations whose IAM action has another name. */
const ACTION_EXCEPTIONS: Record<string, string> = {
  's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  's3:GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
  's3:GetBucketPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  's3:ListBuckets': 's3:ListAllMyBuckets',
  's3:GetBucketLogging': 's3:GetBucketLogging',
  'lambda:ListFunctions20150331': 'lambda:ListFunctions',
  'cloudtrail:GetTrailStatus': 'cloudtrail:GetTrailStatus',
};

export function servicePrefix(clientName: string): string {
  return SERVICE_PREFIX[clientName] ?? clientName.replace(/Client$/, '').toLowerCase();
}

export function iamAction(clientName: string, commandName: string): string {
  const action = `${servicePrefix(clientName)}:${commandName.replace(/Command$/, '')}`;
  return ACTION_EXCEPTIONS[action] ?? action;
}
