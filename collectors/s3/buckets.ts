import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  S3Client,
  type Bucket,
} from '@aws-sdk/client-s3';
import type { Resource } from '../../src/core/types.js';
import { absentOn, collectPages, stripMetadata, type CollectContext, type Collector } from '../types.js';
import {
  bucketRegion,
  normaliseAcl,
  normaliseEncryption,
  normaliseLogging,
  normalisePublicAccessBlock,
  normaliseVersioning,
  parseBucketPolicy,
} from './bucket-settings.js';
import { resourceShape, s } from '../resource-schema.js';

/** The only error codes that mean "not configured" rather than "could not read". */
const NO_ENCRYPTION = 'ServerSideEncryptionConfigurationNotFoundError';
const NO_PUBLIC_ACCESS_BLOCK = 'NoSuchPublicAccessBlockConfiguration';
const NO_POLICY = 'NoSuchBucketPolicy';

const absentMarker = (code: string) => ({ absent: code });

async function regionOf(ctx: CollectContext, bucket: Bucket, raw: Record<string, unknown>): Promise<string> {
  // ListBuckets answers with BucketRegion when paginated (real AWS); otherwise ask the bucket.
  if (bucket.BucketRegion) return bucket.BucketRegion;
  const location = await ctx.clients.get(S3Client).send(new GetBucketLocationCommand({ Bucket: bucket.Name }));
  raw[`GetBucketLocation:${bucket.Name}`] = stripMetadata(location);
  return bucketRegion(location.LocationConstraint);
}

async function describeBucket(ctx: CollectContext, bucket: Bucket): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const raw: Record<string, unknown> = {};
  const name = bucket.Name as string;
  const region = await regionOf(ctx, bucket, raw);
  // Bucket-level calls go to the bucket's own region (a wrong region answers PermanentRedirect).
  const s3 = ctx.clients.get(S3Client, { region });
  const [encryption, block, policy, acl, versioning, logging] = await Promise.all([
    absentOn([NO_ENCRYPTION], () => s3.send(new GetBucketEncryptionCommand({ Bucket: name }))),
    absentOn([NO_PUBLIC_ACCESS_BLOCK], () => s3.send(new GetPublicAccessBlockCommand({ Bucket: name }))),
    absentOn([NO_POLICY], () => s3.send(new GetBucketPolicyCommand({ Bucket: name }))),
    s3.send(new GetBucketAclCommand({ Bucket: name })),
    s3.send(new GetBucketVersioningCommand({ Bucket: name })),
    s3.send(new GetBucketLoggingCommand({ Bucket: name })),
  ]);
  raw[`GetBucketEncryption:${name}`] = encryption ? stripMetadata(encryption) : absentMarker(NO_ENCRYPTION);
  raw[`GetPublicAccessBlock:${name}`] = block ? stripMetadata(block) : absentMarker(NO_PUBLIC_ACCESS_BLOCK);
  raw[`GetBucketPolicy:${name}`] = policy ? stripMetadata(policy) : absentMarker(NO_POLICY);
  raw[`GetBucketAcl:${name}`] = stripMetadata(acl);
  raw[`GetBucketVersioning:${name}`] = stripMetadata(versioning);
  raw[`GetBucketLogging:${name}`] = stripMetadata(logging);
  const resource: Resource = {
    id: `arn:aws:s3:::${name}`,
    type: 'AWS::S3::Bucket',
    name,
    region,
    createdAt: bucket.CreationDate ? bucket.CreationDate.toISOString() : null,
    encryption: normaliseEncryption(encryption),
    publicAccessBlockConfigured: Boolean(block?.PublicAccessBlockConfiguration),
    publicAccessBlock: normalisePublicAccessBlock(block),
    policy: parseBucketPolicy(name, policy?.Policy),
    aclGrants: normaliseAcl(acl),
    ...normaliseVersioning(versioning),
    logging: normaliseLogging(logging),
  };
  return { resource, raw };
}

/** Every bucket of the account with its encryption, Block Public Access, policy, ACL, versioning and logging. */
export const buckets: Collector = {
  id: 's3.buckets',
  version: '1',
  title: 'S3 general purpose buckets and their security settings',
  scope: 'account',
  permissions: [
    's3:ListAllMyBuckets',
    's3:GetBucketLocation',
    's3:GetEncryptionConfiguration',
    's3:GetBucketPublicAccessBlock',
    's3:GetBucketPolicy',
    's3:GetBucketAcl',
    's3:GetBucketVersioning',
    's3:GetBucketLogging',
  ],
  resourceSchema: resourceShape(
    'AWS::S3::Bucket',
    {
      createdAt: s.nullable(s.string),
      encryption: s.object({ enabled: s.boolean, algorithm: s.nullable(s.string), kmsKeyId: s.nullable(s.string), bucketKey: s.boolean }),
      publicAccessBlockConfigured: s.boolean,
      publicAccessBlock: s.object({ blockPublicAcls: s.boolean, ignorePublicAcls: s.boolean, blockPublicPolicy: s.boolean, restrictPublicBuckets: s.boolean }),
      policy: s.oneOfTypes('object', 'null'),
      aclGrants: s.array(s.object({ granteeType: s.string, granteeUri: s.nullable(s.string), granteeId: s.nullable(s.string), permission: s.string })),
      versioning: s.string,
      mfaDelete: s.string,
      logging: s.object({ enabled: s.boolean, targetBucket: s.nullable(s.string), targetPrefix: s.nullable(s.string) }),
    }, { region: true },
  ),
  async collect(ctx) {
    const s3 = ctx.clients.get(S3Client);
    const { items, pages } = await collectPages(paginateListBuckets({ client: s3, pageSize: 10_000 }, {}), (p) => p.Buckets);
    const named = items.filter((b) => b.Name).sort((a, b) => (a.Name as string).localeCompare(b.Name as string));
    const described = await ctx.map(named, (bucket) => describeBucket(ctx, bucket));
    // Merged in bucket-name order so the evidence file is byte-stable whatever order the calls finished in.
    const raw: Record<string, unknown> = { ListBuckets: pages.map((p) => stripMetadata(p)) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
