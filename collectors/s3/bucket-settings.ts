import type {
  GetBucketAclCommandOutput,
  GetBucketEncryptionCommandOutput,
  GetBucketLoggingCommandOutput,
  GetBucketVersioningCommandOutput,
  GetPublicAccessBlockCommandOutput,
} from '@aws-sdk/client-s3';

/** Pure normalisers from S3 API answers to the attributes the S3 controls read. */

export interface BucketEncryption {
  /** False only when no default encryption configuration exists (impossible on AWS since January 2023). */
  enabled: boolean;
  /** AES256 (SSE-S3), aws:kms (SSE-KMS), aws:kms:dsse (DSSE-KMS), or null. */
  algorithm: string | null;
  kmsKeyId: string | null;
  bucketKey: boolean;
}

export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export interface AclGrant {
  granteeType: string;
  granteeUri: string | null;
  granteeId: string | null;
  permission: string;
}

/** GetBucketLocation: null or '' means us-east-1, and the legacy 'EU' means eu-west-1. */
export function bucketRegion(locationConstraint: string | null | undefined): string {
  if (!locationConstraint) return 'us-east-1';
  if (locationConstraint === 'EU') return 'eu-west-1';
  return locationConstraint;
}

export function normaliseEncryption(response: GetBucketEncryptionCommandOutput | undefined): BucketEncryption {
  const rule = response?.ServerSideEncryptionConfiguration?.Rules?.find((r) => r.ApplyServerSideEncryptionByDefault);
  const byDefault = rule?.ApplyServerSideEncryptionByDefault;
  return {
    enabled: Boolean(byDefault?.SSEAlgorithm),
    algorithm: byDefault?.SSEAlgorithm ?? null,
    kmsKeyId: byDefault?.KMSMasterKeyID ?? null,
    bucketKey: rule?.BucketKeyEnabled === true,
  };
}

export function normalisePublicAccessBlock(response: Pick<GetPublicAccessBlockCommandOutput, 'PublicAccessBlockConfiguration'> | undefined): PublicAccessBlock {
  const c = response?.PublicAccessBlockConfiguration;
  return {
    blockPublicAcls: c?.BlockPublicAcls === true,
    ignorePublicAcls: c?.IgnorePublicAcls === true,
    blockPublicPolicy: c?.BlockPublicPolicy === true,
    restrictPublicBuckets: c?.RestrictPublicBuckets === true,
  };
}

/** The policy document as JSON; a document S3 returns that does not parse is a collection failure. */
export function parseBucketPolicy(bucket: string, policy: string | undefined): Record<string, unknown> | null {
  if (policy === undefined || policy === '') return null;
  try {
    return JSON.parse(policy) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`bucket ${bucket}: GetBucketPolicy returned a document that is not JSON (${(err as Error).message})`);
  }
}

export function normaliseAcl(response: Pick<GetBucketAclCommandOutput, 'Grants'>): AclGrant[] {
  return (response.Grants ?? []).map((g) => ({
    granteeType: g.Grantee?.Type ?? 'Unknown',
    granteeUri: g.Grantee?.URI ?? null,
    granteeId: g.Grantee?.ID ?? g.Grantee?.EmailAddress ?? null,
    permission: g.Permission ?? 'Unknown',
  }));
}

export function normaliseVersioning(response: Pick<GetBucketVersioningCommandOutput, 'Status' | 'MFADelete'>): { versioning: string; mfaDelete: string } {
  // A bucket that never had versioning answers with no Status at all.
  return { versioning: response.Status ?? 'Disabled', mfaDelete: response.MFADelete ?? 'Disabled' };
}

export function normaliseLogging(response: Pick<GetBucketLoggingCommandOutput, 'LoggingEnabled'>): {
  enabled: boolean;
  targetBucket: string | null;
  targetPrefix: string | null;
} {
  const target = response.LoggingEnabled;
  return { enabled: Boolean(target?.TargetBucket), targetBucket: target?.TargetBucket ?? null, targetPrefix: target?.TargetPrefix ?? null };
}
