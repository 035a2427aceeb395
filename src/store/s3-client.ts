import { HeadBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { UserError, errorMessage } from '../core/errors.js';
import { oneLine } from '../core/text.js';

/**
 * The S3 client of the evidence store: the caller's default credentials (never the audited accounts' role), the
 * endpoint override as the collectors apply it (path-style), and the bucket's own region.
 */
export interface StoreClientOptions {
  endpoint?: string;
}

interface AwsErrorLike {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The AWS error code of a failed call (or the error's name), for messages and decisions. */
export function awsCode(err: unknown): string {
  const e = err as AwsErrorLike;
  return e?.Code ?? e?.name ?? 'Error';
}

export function httpStatus(err: unknown): number | undefined {
  return (err as AwsErrorLike)?.$metadata?.httpStatusCode;
}

/** A failed S3 call as a one-line UserError naming what was attempted (the SDK's message never holds credentials). */
export function storeError(what: string, err: unknown, fix: string): UserError {
  if (err instanceof UserError) return err;
  return new UserError(`${what}: ${awsCode(err)}: ${oneLine(errorMessage(err), 300)} (fix: ${fix})`);
}

function baseConfig(region: string, options: StoreClientOptions): S3ClientConfig {
  const endpoint = options.endpoint ?? process.env.AWS_ENDPOINT_URL;
  return {
    region,
    maxAttempts: 5,
    followRegionRedirects: true,
    // The store sends its own SHA-256 checksums; the SDK adds none of its own where none is required.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  };
}

export interface BucketClient {
  client: S3Client;
  bucket: string;
  region: string;
}

/**
 * A client for `bucket` in the bucket's region: HeadBucket (from the caller's region, following S3's redirect)
 * answers the region and proves the bucket exists and is reachable with these credentials.
 */
export async function bucketClient(bucket: string, options: StoreClientOptions = {}): Promise<BucketClient> {
  const first = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const client = new S3Client(baseConfig(first, options));
  let region = first;
  try {
    const head = await client.send(new HeadBucketCommand({ Bucket: bucket }));
    region = head.BucketRegion ?? first;
  } catch (err) {
    client.destroy();
    const status = httpStatus(err);
    if (status === 404 || awsCode(err) === 'NotFound' || awsCode(err) === 'NoSuchBucket') throw new UserError(`s3://${bucket}: no such bucket (fix: create it with Object Lock enabled, or name an existing bucket)`);
    if (status === 403) throw new UserError(`s3://${bucket}: access denied by HeadBucket with the caller's default credentials (fix: allow s3:ListBucket on the bucket, or use credentials that have it)`);
    throw storeError(`s3://${bucket}: HeadBucket failed`, err, 'check the bucket name, network and credentials');
  }
  if (region === first) return { client, bucket, region };
  client.destroy();
  return { client: new S3Client(baseConfig(region, options)), bucket, region };
}
