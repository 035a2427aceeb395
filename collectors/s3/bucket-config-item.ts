import type {
  GetBucketAclCommandOutput,
  GetBucketEncryptionCommandOutput,
  GetBucketLoggingCommandOutput,
  GetBucketVersioningCommandOutput,
  GetPublicAccessBlockCommandOutput,
  Grant,
} from '@aws-sdk/client-s3';
import type { ConfigItem } from '../../src/core/types.js';
import { parseBoundedJson } from '../../src/collect/config-items.js';

/**
 * An AWS::S3::Bucket configuration item, turned into the answers the live S3 calls would have given, so the
 * bucket goes through the very normalisers of the live path (bucket-settings.ts) and the resource is the same.
 * A setting the item lacks, or holds in a shape not recognised, is undefined here: the collector reads it live.
 *
 * Item shapes (AWS and moto): supplementaryConfiguration values are JSON (decoded by the source); the
 * AccessControlList is encoded once more; BucketPolicy.policyText is the policy document as a string.
 */
export interface BucketFromConfig {
  region: string;
  /** Undefined: read live. `null` policy: the bucket has none. */
  policy?: { Policy?: string };
  acl?: Pick<GetBucketAclCommandOutput, 'Grants'>;
  publicAccessBlock?: Pick<GetPublicAccessBlockCommandOutput, 'PublicAccessBlockConfiguration'>;
  logging?: Pick<GetBucketLoggingCommandOutput, 'LoggingEnabled'>;
  versioning?: Pick<GetBucketVersioningCommandOutput, 'Status' | 'MFADelete'>;
  encryption?: Pick<GetBucketEncryptionCommandOutput, 'ServerSideEncryptionConfiguration'>;
}

const GROUPS: Record<string, string> = {
  AllUsers: 'http://acs.amazonaws.com/groups/global/AllUsers',
  AuthenticatedUsers: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
  LogDelivery: 'http://acs.amazonaws.com/groups/s3/LogDelivery',
};
const PERMISSIONS: Record<string, string> = { FullControl: 'FULL_CONTROL', Read: 'READ', Write: 'WRITE', ReadAcp: 'READ_ACP', WriteAcp: 'WRITE_ACP' };
const MAX_GRANTS = 200;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const optionalString = (v: unknown): v is string | null | undefined => v === undefined || v === null || typeof v === 'string';
const optionalBoolean = (v: unknown): v is boolean | null | undefined => v === undefined || v === null || typeof v === 'boolean';

function grant(entry: unknown): Grant | undefined {
  if (!isObject(entry)) return undefined;
  const permission = typeof entry.permission === 'string' ? PERMISSIONS[entry.permission] : undefined;
  if (!permission) return undefined;
  const grantee = entry.grantee;
  if (typeof grantee === 'string') {
    const uri = GROUPS[grantee];
    return uri ? { Grantee: { Type: 'Group', URI: uri }, Permission: permission as Grant['Permission'] } : undefined;
  }
  if (isObject(grantee) && typeof grantee.id === 'string' && grantee.id.length <= 256) return { Grantee: { Type: 'CanonicalUser', ID: grantee.id }, Permission: permission as Grant['Permission'] };
  return undefined;
}

/** The double-encoded ACL; any grant in a shape not recognised makes the whole ACL unknown (read live). */
export function aclFromItem(value: unknown): BucketFromConfig['acl'] {
  const acl = typeof value === 'string' ? parseBoundedJson(value) : value;
  if (!isObject(acl)) return undefined;
  const list = acl.grantList ?? [];
  if (!Array.isArray(list) || list.length > MAX_GRANTS) return undefined;
  const grants = list.map(grant);
  return grants.every((g): g is Grant => g !== undefined) ? { Grants: grants } : undefined;
}

function policyFromItem(value: unknown): BucketFromConfig['policy'] {
  if (!isObject(value) || !optionalString(value.policyText)) return undefined;
  if (value.policyText === undefined || value.policyText === null) return {};
  // A document that is not JSON is read live (where it is a collection failure), not guessed.
  return parseBoundedJson(value.policyText) === undefined ? undefined : { Policy: value.policyText };
}

function publicAccessBlockFromItem(value: unknown): BucketFromConfig['publicAccessBlock'] {
  const keys = ['blockPublicAcls', 'ignorePublicAcls', 'blockPublicPolicy', 'restrictPublicBuckets'] as const;
  if (!isObject(value) || !keys.every((k) => optionalBoolean(value[k]))) return undefined;
  return {
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: value.blockPublicAcls === true,
      IgnorePublicAcls: value.ignorePublicAcls === true,
      BlockPublicPolicy: value.blockPublicPolicy === true,
      RestrictPublicBuckets: value.restrictPublicBuckets === true,
    },
  };
}

function loggingFromItem(value: unknown): BucketFromConfig['logging'] {
  if (!isObject(value) || !optionalString(value.destinationBucketName) || !optionalString(value.logFilePrefix)) return undefined;
  return value.destinationBucketName ? { LoggingEnabled: { TargetBucket: value.destinationBucketName, TargetPrefix: value.logFilePrefix ?? '' } } : {};
}

function versioningFromItem(value: unknown): BucketFromConfig['versioning'] {
  if (!isObject(value) || !optionalBoolean(value.isMfaDeleteEnabled)) return undefined;
  // "Off": versioning was never enabled, which the live call answers with no Status at all.
  const status = value.status === 'Off' ? undefined : value.status === 'Enabled' || value.status === 'Suspended' ? value.status : null;
  if (status === null) return undefined;
  return { ...(status ? { Status: status } : {}), ...(value.isMfaDeleteEnabled === true ? { MFADelete: 'Enabled' as const } : {}) };
}

function encryptionFromItem(value: unknown): BucketFromConfig['encryption'] {
  if (!isObject(value) || !Array.isArray(value.rules) || value.rules.length > 16) return undefined;
  const rules = [];
  for (const rule of value.rules as unknown[]) {
    if (!isObject(rule) || !optionalBoolean(rule.bucketKeyEnabled)) return undefined;
    const byDefault = rule.applyServerSideEncryptionByDefault;
    if (byDefault !== undefined && byDefault !== null && (!isObject(byDefault) || typeof byDefault.sseAlgorithm !== 'string' || !optionalString(byDefault.kmsMasterKeyID))) return undefined;
    rules.push({
      ...(isObject(byDefault) ? { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: byDefault.sseAlgorithm as never, ...(byDefault.kmsMasterKeyID ? { KMSMasterKeyID: byDefault.kmsMasterKeyID as string } : {}) } } : {}),
      ...(typeof rule.bucketKeyEnabled === 'boolean' ? { BucketKeyEnabled: rule.bucketKeyEnabled } : {}),
    });
  }
  return { ServerSideEncryptionConfiguration: { Rules: rules } };
}

/**
 * The settings an S3 bucket item holds. PublicAccessBlockConfiguration is absent from an item when the bucket has
 * no bucket-level Block Public Access (AWS and moto), so absence means "not configured", as the live call's
 * NoSuchPublicAccessBlockConfiguration does: that can only make a bucket look more exposed, never less.
 */
export function bucketFromConfigItem(item: ConfigItem): BucketFromConfig {
  const s = item.supplementaryConfiguration;
  const has = (key: string) => Object.prototype.hasOwnProperty.call(s, key);
  return {
    region: item.awsRegion,
    ...(has('BucketPolicy') ? { policy: policyFromItem(s.BucketPolicy) } : {}),
    ...(has('AccessControlList') ? { acl: aclFromItem(s.AccessControlList) } : {}),
    publicAccessBlock: has('PublicAccessBlockConfiguration') ? publicAccessBlockFromItem(s.PublicAccessBlockConfiguration) : {},
    ...(has('BucketLoggingConfiguration') ? { logging: loggingFromItem(s.BucketLoggingConfiguration) } : {}),
    ...(has('BucketVersioningConfiguration') ? { versioning: versioningFromItem(s.BucketVersioningConfiguration) } : {}),
    ...(has('ServerSideEncryptionConfiguration') && s.ServerSideEncryptionConfiguration !== null ? { encryption: encryptionFromItem(s.ServerSideEncryptionConfiguration) } : {}),
  };
}
