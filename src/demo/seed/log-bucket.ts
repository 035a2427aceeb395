import { CreateBucketCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import type { SeededIds, SeedTarget } from './types.js';

/** The id name of the account's log bucket in a region (CloudTrail and Config deliver there). */
export const LOG_BUCKET = 'bucket/auditpack-logs';

/**
 * The log bucket of the target account and region, created by whichever seeder needs it first (names are
 * globally unique, so they carry account and region). Returns the ids to record (none if it already existed).
 */
export async function ensureLogBucket(target: SeedTarget): Promise<{ bucket: string; ids: SeededIds }> {
  const existing = target.seeded[LOG_BUCKET];
  if (existing) return { bucket: existing, ids: {} };
  const bucket = `auditpack-logs-${target.account}-${target.region}`;
  await target.clients.get(S3Client).send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(target.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: target.region as BucketLocationConstraint } }),
    }),
  );
  return { bucket, ids: { [LOG_BUCKET]: bucket } };
}
