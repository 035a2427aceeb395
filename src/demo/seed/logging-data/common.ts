import { CreateBucketCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';
import type { Status } from '../../../core/types.js';
import type { Expectation, SeedTarget } from '../types.js';

/**
 * Two estate styles, chosen by a stable hash of the account id so that the demo's accounts differ:
 * `central` has one organisation-style multi-Region trail and Config with the service-linked role;
 * `regional` has per-Region trails, a custom Config role and GuardDuty in the second Region only.
 */
export type EstateStyle = 'central' | 'regional';

export function estateStyle(account: string): EstateStyle {
  let hash = 7;
  for (const ch of account) hash = (hash * 31 + ch.charCodeAt(0)) % 1_000_003;
  return hash % 2 === 1 ? 'central' : 'regional';
}

/** Collects expectations for one account and region. */
export class ExpectationList {
  readonly items: Expectation[] = [];
  constructor(private readonly target: SeedTarget) {}

  add(control: string, resourceId: string, status: Status): void {
    this.items.push({ control, account: this.target.account, region: this.target.region, resourceId, status });
  }
}

/** One log bucket per account and Region (CloudTrail and Config deliver there); names are globally unique. */
export function logBucketName(target: SeedTarget): string {
  return `auditpack-logs-${target.account}-${target.region}`;
}

export async function createLogBucket(target: SeedTarget): Promise<string> {
  const bucket = logBucketName(target);
  const s3 = target.clients.get(S3Client);
  await s3.send(
    new CreateBucketCommand({
      Bucket: bucket,
      ...(target.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: target.region as BucketLocationConstraint } }),
    }),
  );
  return bucket;
}
