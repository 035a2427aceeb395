import {
  CreateBucketCommand,
  GetBucketAclCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type BucketLocationConstraint,
  type Permission,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { PutPublicAccessBlockCommand as PutAccountPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import type { SeededIds, Seeder } from './types.js';

/**
 * The organisation's management account gets the "strict" posture, with account-level Block Public Access on;
 * member accounts get the "lax" one. So the two-account demo shows both, and the public-bucket controls show
 * Block Public Access neutralising public policies and ACLs.
 */
interface BucketSpec {
  purpose: string;
  encryption?: ServerSideEncryption;
  /** Bucket-level Block Public Access: all four on, only the ACL pair, or not configured. */
  block?: 'all' | 'acls-only';
  policy?: (arn: string, account: string) => unknown[];
  /** Permissions granted to the AllUsers group through the bucket ACL. */
  publicGrants?: Permission[];
  versioning?: 'Enabled' | 'Suspended';
  logTo?: string;
}

const sslOnly = (arn: string) => ({
  Sid: 'DenyInsecureTransport',
  Effect: 'Deny',
  Principal: '*',
  Action: 's3:*',
  Resource: [arn, `${arn}/*`],
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
});

function specsFor(primary: boolean, prefix: string): BucketSpec[] {
  if (primary) {
    const logs = `${prefix}-logs`;
    return [
      {
        purpose: 'logs',
        encryption: 'AES256',
        block: 'all',
        versioning: 'Enabled',
        // moto's log-delivery permission check crashes on a string Principal in the target bucket's policy,
        // so this bucket writes the (equivalent) {"AWS": "*"} form.
        policy: (arn, account) => [
          {
            Sid: 'S3ServerAccessLogs',
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: `${arn}/*`,
            Condition: { StringEquals: { 'aws:SourceAccount': account } },
          },
          { ...sslOnly(arn), Principal: { AWS: '*' } },
        ],
      },
      {
        purpose: 'secure',
        encryption: 'aws:kms',
        block: 'all',
        versioning: 'Enabled',
        policy: (arn) => [sslOnly(arn)],
        logTo: logs,
      },
      {
        purpose: 'public-site',
        encryption: 'AES256',
        policy: (arn) => [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${arn}/*` }],
      },
    ];
  }
  return [
    {
      purpose: 'public-acl',
      encryption: 'aws:kms',
      publicGrants: ['READ', 'WRITE'],
      versioning: 'Suspended',
    },
    {
      purpose: 'objects-only-tls',
      encryption: 'AES256',
      block: 'all',
      versioning: 'Enabled',
      // Denies plain HTTP for objects but not for bucket-level calls: not enough for S3.5.
      policy: (arn) => [{ ...sslOnly(arn), Resource: `${arn}/*` }],
    },
    {
      purpose: 'vpce-only',
      encryption: 'aws:kms',
      block: 'acls-only',
      versioning: 'Enabled',
      // Principal "*" pinned to a VPC endpoint is not public.
      policy: (arn) => [
        sslOnly(arn),
        { Sid: 'ReadFromVpce', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${arn}/*`, Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f60718' } } },
      ],
    },
  ];
}

async function createBucket(s3: S3Client, name: string, region: string, account: string, spec: BucketSpec): Promise<void> {
  const arn = `arn:aws:s3:::${name}`;
  // us-east-1 is the one region that rejects an explicit LocationConstraint.
  await s3.send(new CreateBucketCommand({ Bucket: name, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }) }));
  if (spec.encryption) {
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: name,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: spec.encryption }, BucketKeyEnabled: spec.encryption === 'aws:kms' }] },
      }),
    );
  }
  // Public settings go on before Block Public Access, which would otherwise refuse them.
  if (spec.publicGrants) {
    // Explicit grants rather than the canned public-read-write ACL, which moto reduces to READ only.
    const current = await s3.send(new GetBucketAclCommand({ Bucket: name }));
    const allUsers = { Type: 'Group' as const, URI: 'http://acs.amazonaws.com/groups/global/AllUsers' };
    await s3.send(
      new PutBucketAclCommand({
        Bucket: name,
        AccessControlPolicy: {
          Owner: current.Owner,
          Grants: [...(current.Grants ?? []), ...spec.publicGrants.map((Permission) => ({ Grantee: allUsers, Permission }))],
        },
      }),
    );
  }
  if (spec.policy) await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify({ Version: '2012-10-17', Statement: spec.policy(arn, account) }) }));
  if (spec.block) {
    const all = spec.block === 'all';
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: name,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: all, RestrictPublicBuckets: all },
      }),
    );
  }
  if (spec.versioning) {
    await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }));
    if (spec.versioning === 'Suspended') await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Suspended' } }));
  }
  if (spec.logTo) {
    await s3.send(new PutBucketLoggingCommand({ Bucket: name, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: spec.logTo, TargetPrefix: `${name}/` } } }));
  }
}

/** Buckets in the target region (names carry account and region: S3 names are global), and the account's Block Public Access. */
export const s3Seeder: Seeder = {
  service: 's3',
  async seed(target) {
    const { account, region, primary, clients } = target;
    const strict = target.role === 'management';
    const prefix = `ap-${account}-${region}`;
    const s3 = clients.get(S3Client);
    const ids: SeededIds = {};
    // Sequential on purpose: the log bucket must exist before another bucket logs to it.
    for (const spec of specsFor(primary, prefix)) {
      const name = `${prefix}-${spec.purpose}`;
      await createBucket(s3, name, region, account, spec);
      ids[`bucket/${spec.purpose}`] = name;
    }
    if (primary && strict) {
      // moto does not enforce account-level Block Public Access on later PutBucketAcl/PutBucketPolicy calls
      // (AWS would refuse the other region's public ACL once this is on), so the order of region runs does not matter here.
      await clients.get(S3ControlClient).send(
        new PutAccountPublicAccessBlockCommand({
          AccountId: account,
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        }),
      );
    }
    return ids;
  },
};
