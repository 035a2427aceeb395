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
  type GetBucketAclCommandOutput,
  type GetBucketEncryptionCommandOutput,
  type GetBucketLoggingCommandOutput,
  type GetBucketVersioningCommandOutput,
  type GetPublicAccessBlockCommandOutput,
} from '@aws-sdk/client-s3';
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { configItemsRaw, provenanceOf } from '../../src/collect/config-source.js';
import { bucketFromConfigItem } from './bucket-config-item.js';
import { collectPages, stripMetadata, type CollectContext, type Collector } from '../types.js';
import { ResourceCalls, type CallOutcome } from '../../src/collect/resource-calls.js';
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

/** The value of a call that succeeded (undefined when absent or failed: its fields are then left out by resource()). */
function valueOf<T>(outcome: CallOutcome<T>): T | undefined {
  return outcome.ok ? outcome.value : undefined;
}

async function regionOf(calls: ResourceCalls, ctx: CollectContext, bucket: Bucket): Promise<string | undefined> {
  // ListBuckets answers with BucketRegion when paginated (real AWS); otherwise ask the bucket.
  if (bucket.BucketRegion) return bucket.BucketRegion;
  const location = await calls.call(`GetBucketLocation:${bucket.Name}`, ['region'], () =>
    ctx.clients.get(S3Client).send(new GetBucketLocationCommand({ Bucket: bucket.Name })),
  );
  return location.ok ? bucketRegion(location.value?.LocationConstraint) : undefined;
}

/**
 * One bucket and its settings. Each setting is its own call; a call the bucket's policy (or an SCP) refuses
 * leaves out only the fields it fills, so a bucket whose versioning cannot be read is still judged on the rest.
 * With a Config item, the settings it holds come from it and only the others are read live (on moto: versioning
 * and encryption); both paths go through the same normalisers, so the resource is the same either way.
 */
async function describeBucket(ctx: CollectContext, bucket: Bucket, item?: ConfigItem): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const name = bucket.Name as string;
  const known = item ? bucketFromConfigItem(item) : undefined;
  const region = known ? known.region : await regionOf(calls, ctx, bucket);
  // Bucket-level calls go to the bucket's own region (a wrong region answers PermanentRedirect); when the
  // location itself was refused, the home region is the best guess and any redirect becomes a field error.
  const s3 = ctx.clients.get(S3Client, { region: region ?? ctx.region });
  const liveFields: string[] = [];
  /** The item's answer when it has one; else the live call (its fields are then recorded as read live). */
  const setting = <T>(fromItem: T | undefined, label: string, fields: string[], send: () => Promise<T>, absent: string[] = []): Promise<CallOutcome<T>> => {
    if (known && fromItem !== undefined) return Promise.resolve({ ok: true, value: fromItem });
    if (known) liveFields.push(...fields);
    return calls.call(`${label}:${name}`, fields, send, absent);
  };
  const [encryption, block, policy, acl, versioning, logging] = await Promise.all([
    setting<Pick<GetBucketEncryptionCommandOutput, 'ServerSideEncryptionConfiguration'>>(known?.encryption, 'GetBucketEncryption', ['encryption'], () => s3.send(new GetBucketEncryptionCommand({ Bucket: name })), [NO_ENCRYPTION]),
    setting<Pick<GetPublicAccessBlockCommandOutput, 'PublicAccessBlockConfiguration'>>(known?.publicAccessBlock, 'GetPublicAccessBlock', ['publicAccessBlockConfigured', 'publicAccessBlock'], () => s3.send(new GetPublicAccessBlockCommand({ Bucket: name })), [NO_PUBLIC_ACCESS_BLOCK]),
    setting<{ Policy?: string }>(known?.policy, 'GetBucketPolicy', ['policy'], () => s3.send(new GetBucketPolicyCommand({ Bucket: name })), [NO_POLICY]),
    setting<Pick<GetBucketAclCommandOutput, 'Grants'>>(known?.acl, 'GetBucketAcl', ['aclGrants'], () => s3.send(new GetBucketAclCommand({ Bucket: name }))),
    setting<Pick<GetBucketVersioningCommandOutput, 'Status' | 'MFADelete'>>(known?.versioning, 'GetBucketVersioning', ['versioning', 'mfaDelete'], () => s3.send(new GetBucketVersioningCommand({ Bucket: name }))),
    setting<Pick<GetBucketLoggingCommandOutput, 'LoggingEnabled'>>(known?.logging, 'GetBucketLogging', ['logging'], () => s3.send(new GetBucketLoggingCommand({ Bucket: name }))),
  ]);
  const resource = calls.resource({
    id: `arn:aws:s3:::${name}`,
    type: 'AWS::S3::Bucket',
    name,
    region: region ?? '',
    createdAt: bucket.CreationDate ? bucket.CreationDate.toISOString() : null,
    encryption: normaliseEncryption(valueOf(encryption) as GetBucketEncryptionCommandOutput | undefined),
    publicAccessBlockConfigured: Boolean(valueOf(block)?.PublicAccessBlockConfiguration),
    publicAccessBlock: normalisePublicAccessBlock(valueOf(block)),
    policy: parseBucketPolicy(name, valueOf(policy)?.Policy),
    aclGrants: normaliseAcl(valueOf(acl) ?? {}),
    ...normaliseVersioning(valueOf(versioning) ?? {}),
    logging: normaliseLogging(valueOf(logging) ?? {}),
    ...(item ? { provenance: provenanceOf(item, liveFields) } : {}),
  });
  return { resource, raw: calls.raw };
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
    // ListBuckets stays live: it is the authoritative list. Config items (when the run's --source allows and they
    // are fresh) stand in for the per-bucket calls; buckets without one are read live as before.
    const configItems = ctx.config && named.length ? await ctx.config.items('AWS::S3::Bucket', named.map((b) => b.Name as string)) : undefined;
    const described = await ctx.map(named, (bucket) => describeBucket(ctx, bucket, configItems?.get(bucket.Name as string)));
    // Merged in bucket-name order so the evidence file is byte-stable whatever order the calls finished in.
    const raw: Record<string, unknown> = { ListBuckets: pages.map((p) => stripMetadata(p)), ...configItemsRaw(configItems?.values() ?? []) };
    for (const d of described) Object.assign(raw, d.raw);
    return { raw, resources: described.map((d) => d.resource) };
  },
};
