import { globMatch } from '../../core/wildcard.js';
import { isOpenConditionValue, pinnedByCondition, RESTRICTING_CONDITION_KEYS } from './policy-document.js';
import type { CelFunction } from './types.js';

/**
 * S3 bucket policy and ACL semantics for S3.2 / S3.3 / S3.5. Security Hub reads the Config rules' verdicts;
 * we compute the same from the documents themselves (moto's GetBucketPolicyStatus answers {}).
 */

type Json = Record<string, unknown>;
export type Access = 'read' | 'write' | 'any';

interface Statement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Representative actions: a statement that grants any of them grants that kind of access. */
const READ_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:ListBucketVersions'];
const WRITE_ACTIONS = [
  's3:PutObject',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectAcl',
  's3:PutBucketAcl',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:DeleteBucket',
];

/** The global restricting condition keys, plus S3's access-point ones. */
const RESTRICTING_KEYS = new Set([...RESTRICTING_CONDITION_KEYS, 's3:dataaccesspointaccount', 's3:dataaccesspointarn']);

export const PUBLIC_GROUPS: Record<string, string> = {
  'http://acs.amazonaws.com/groups/global/AllUsers': 'AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers': 'AuthenticatedUsers',
};

const ACL_PERMISSIONS: Record<Access, string[]> = {
  read: ['READ', 'FULL_CONTROL'],
  write: ['WRITE', 'WRITE_ACP', 'FULL_CONTROL'],
  any: ['READ', 'READ_ACP', 'WRITE', 'WRITE_ACP', 'FULL_CONTROL'],
};

function toList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

function strings(value: unknown): string[] {
  return toList(value).filter((v): v is string => typeof v === 'string');
}

function statements(policy: unknown): Statement[] {
  if (!policy || typeof policy !== 'object') return [];
  return toList((policy as Json).Statement).filter((s): s is Statement => Boolean(s) && typeof s === 'object');
}

/**
 * IAM-style wildcard match (`*` any run, `?` one character), case-insensitive as IAM actions are. Linear-time
 * (core/wildcard.ts): the patterns come from the account's policies, so no regex is built from them.
 */
export function wildcardMatch(pattern: string, value: string, caseSensitive = false): boolean {
  return globMatch(pattern, value, { ignoreCase: !caseSensitive });
}

function parseAccess(value: unknown): Access {
  const v = String(value ?? 'any').toLowerCase();
  if (v === 'read' || v === 'write' || v === 'any') return v;
  throw new Error(`unknown access "${String(value)}": use read, write or any`);
}

/** Principal "*" or {AWS: "*"}: everyone, including anonymous callers. Allow + NotPrincipal is everyone else. */
function isPublicPrincipal(statement: Statement): boolean {
  if (statement.NotPrincipal !== undefined) return true;
  const principal = statement.Principal;
  if (principal === '*') return true;
  if (principal && typeof principal === 'object') return strings((principal as Json).AWS).includes('*');
  return false;
}

function grantsAction(statement: Statement, action: string): boolean {
  if (statement.Action !== undefined) return strings(statement.Action).some((p) => wildcardMatch(p, action));
  if (statement.NotAction !== undefined) return !strings(statement.NotAction).some((p) => wildcardMatch(p, action));
  return false;
}

/** True when a condition limits the statement to fixed callers or networks (so it is not public). */
function hasRestrictingCondition(statement: Statement): boolean {
  return pinnedByCondition(statement, RESTRICTING_KEYS, (key, value) => !isOpenConditionValue(key, value), strings);
}

function actionsFor(access: Access): string[] {
  if (access === 'read') return READ_ACTIONS;
  if (access === 'write') return WRITE_ACTIONS;
  return [...READ_ACTIONS, ...WRITE_ACTIONS];
}

/** Allow statements that give anyone (Principal "*", no restricting condition) `access`; described for messages. */
export function publicPolicyStatements(policy: unknown, access: unknown = 'any'): string[] {
  const wanted = actionsFor(parseAccess(access));
  return statements(policy)
    .map((s, index) => ({ s, index }))
    .filter(({ s }) => s.Effect === 'Allow' && isPublicPrincipal(s) && !hasRestrictingCondition(s))
    .filter(({ s }) => wanted.some((a) => grantsAction(s, a)))
    .map(({ s, index }) => `statement ${s.Sid ? `"${s.Sid}"` : `#${index + 1}`} allows ${strings(s.Action ?? s.NotAction).join(',') || '(no action)'} to everyone`);
}

/** True when the bucket policy lets anyone (without a restricting condition) read or write. */
export function policyAllowsPublicAccess(policy: unknown, access: unknown = 'any'): boolean {
  return publicPolicyStatements(policy, access).length > 0;
}

function coversAllS3Actions(statement: Statement): boolean {
  return strings(statement.Action).some((a) => a === '*' || a.toLowerCase() === 's3:*');
}

function deniesPlainHttp(statement: Statement): boolean {
  const condition = statement.Condition;
  if (!condition || typeof condition !== 'object') return false;
  return Object.entries(condition).some(([operator, block]) => {
    const op = operator.toLowerCase();
    if ((op !== 'bool' && op !== 'boolifexists') || !block || typeof block !== 'object') return false;
    return Object.entries(block).some(
      ([key, value]) => key.toLowerCase() === 'aws:securetransport' && toList(value).length > 0 && toList(value).every((v) => String(v).toLowerCase() === 'false'),
    );
  });
}

/**
 * S3.5 (s3-bucket-ssl-requests-only): some Deny statement for Principal "*" on s3:* (or *) with
 * Condition Bool aws:SecureTransport = false, whose resources cover the bucket and all its objects
 * (possibly split over two such statements).
 */
export function policyDeniesInsecureTransport(policy: unknown, bucketName: unknown): boolean {
  if (typeof bucketName !== 'string' || bucketName === '') throw new Error('policyDeniesInsecureTransport needs the bucket name');
  const bucketArn = `arn:aws:s3:::${bucketName}`;
  const objectsArn = `${bucketArn}/*`;
  const denying = statements(policy).filter(
    (s) => s.Effect === 'Deny' && s.Principal !== undefined && isPublicPrincipal(s) && coversAllS3Actions(s) && deniesPlainHttp(s),
  );
  const resources = denying.flatMap((s) => strings(s.Resource));
  const covers = (arn: string) => resources.some((pattern) => wildcardMatch(pattern, arn, true));
  return covers(bucketArn) && covers(objectsArn);
}

/** Normalised ACL grant as the s3.buckets collector emits it. */
export interface AclGrant {
  granteeType?: string;
  granteeUri?: string | null;
  granteeId?: string | null;
  permission?: string;
}

/** Grants to AllUsers / AuthenticatedUsers with one of `permissions`, as "AllUsers:READ" strings. */
export function publicAclGrants(grants: unknown, permissions: unknown): string[] {
  if (!Array.isArray(grants)) return [];
  const wanted = strings(permissions).map((p) => p.toUpperCase());
  return (grants as AclGrant[])
    .filter((g) => g && typeof g.granteeUri === 'string' && PUBLIC_GROUPS[g.granteeUri] !== undefined)
    .filter((g) => wanted.includes(String(g.permission).toUpperCase()))
    .map((g) => `${PUBLIC_GROUPS[g.granteeUri as string]}:${g.permission}`);
}

/** True when the ACL grants one of `permissions` to the AllUsers or AuthenticatedUsers group. */
export function aclGrantsPublic(grants: unknown, permissions: unknown): boolean {
  return publicAclGrants(grants, permissions).length > 0;
}

interface BlockSettings {
  blockPublicAcls?: boolean;
  ignorePublicAcls?: boolean;
  blockPublicPolicy?: boolean;
  restrictPublicBuckets?: boolean;
}

/** The account's Block Public Access settings from the evidence list (or a single resource); none = all off. */
function accountBlock(value: unknown): BlockSettings {
  const item = Array.isArray(value) ? value.find((v) => v && typeof v === 'object') : value;
  return item && typeof item === 'object' ? (item as BlockSettings) : {};
}

/**
 * Why a bucket is effectively public for `access` ("read", "write" or "any"); empty when it is not.
 * Honours Block Public Access: RestrictPublicBuckets (bucket or account) makes a public policy non-effective,
 * IgnorePublicAcls (bucket or account) makes public ACL grants non-effective. BlockPublicPolicy/BlockPublicAcls
 * only stop new public settings, so they do not change the effective state of existing ones.
 */
export function bucketPublicAccess(bucket: unknown, account: unknown, access: unknown): string[] {
  if (!bucket || typeof bucket !== 'object') throw new Error('bucketPublicAccess needs a bucket resource');
  const b = bucket as { policy?: unknown; aclGrants?: unknown; publicAccessBlock?: BlockSettings };
  const kind = parseAccess(access);
  const own = b.publicAccessBlock ?? {};
  const acct = accountBlock(account);
  const reasons: string[] = [];
  if (!(own.restrictPublicBuckets || acct.restrictPublicBuckets)) reasons.push(...publicPolicyStatements(b.policy, kind).map((s) => `bucket policy ${s}`));
  if (!(own.ignorePublicAcls || acct.ignorePublicAcls)) {
    const grants = publicAclGrants(b.aclGrants, ACL_PERMISSIONS[kind]);
    if (grants.length > 0) reasons.push(`ACL grants ${grants.join(', ')}`);
  }
  return reasons;
}

export const s3Functions: CelFunction[] = [
  {
    signature: 'policyDeniesInsecureTransport(dyn, dyn): bool',
    description: 'S3.5: the bucket policy denies s3:* to "*" when aws:SecureTransport is false, for the bucket and all its objects',
    handler: policyDeniesInsecureTransport as CelFunction['handler'],
  },
  {
    signature: 'policyAllowsPublicAccess(dyn, dyn): bool',
    description: 'The bucket policy allows "read", "write" or "any" S3 access to everyone (Principal "*") without a restricting condition',
    handler: policyAllowsPublicAccess as CelFunction['handler'],
  },
  {
    signature: 'aclGrantsPublic(dyn, dyn): bool',
    description: 'The ACL grants one of the permissions (list) to the AllUsers or AuthenticatedUsers group',
    handler: aclGrantsPublic as CelFunction['handler'],
  },
  {
    signature: 'bucketPublicAccess(dyn, dyn, dyn): list<string>',
    description:
      'Why a bucket is effectively public for "read", "write" or "any" (policy and ACL, honouring bucket and account Block Public Access); empty when not public',
    handler: bucketPublicAccess as CelFunction['handler'],
    reads: [['policy', 'aclGrants', 'publicAccessBlock'], ['restrictPublicBuckets', 'ignorePublicAcls'], null],
  },
];
