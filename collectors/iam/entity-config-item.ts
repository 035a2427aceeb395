/**
 * AWS::IAM::Role, ::Policy, ::User and ::Group configuration items → the resources iam.authorization-details
 * emits (issue 11). Each item is mapped onto the GetAccountAuthorizationDetails shape and judged by the live
 * normalisers (roleResource, policyResource, userResource, groupResource), so both paths give the same resource.
 *
 * Item shapes (awslabs/aws-config-resource-schema `AWS::IAM::{Role,Policy,User,Group}.properties.json`; rdk
 * example_ci AWS_IAM_*.json; moto 5.2.1 `iam/models.py` to_config_dict): `awsRegion` is "global", `resourceId`
 * the unique id (AROA…, ANPA…, AIDA…; moto gives the role's name). Policy documents are URL-encoded strings on AWS
 * and moto (the RDK examples show decoded objects; both are read). Notes:
 * - Role: `{roleName, roleId, arn, path, createDate, assumeRolePolicyDocument, rolePolicyList:[{policyName,
 *   policyDocument}], attachedManagedPolicies:[{policyName, policyArn}], permissionsBoundary:{permissionsBoundaryArn,
 *   permissionsBoundaryType} (moto: an ARN string), roleLastUsed}`. moto's `arn` drops the path, so the id is built
 *   from partition, account, path and name (the same ARN on AWS). Role last use changes without a configuration
 *   change, and moto always sends null: `lastUsed` is always read live.
 * - Policy: `{policyName, policyId, arn, path, defaultVersionId, attachmentCount, permissionsBoundaryUsageCount,
 *   isAttachable, description, createDate, updateDate, policyVersionList:[{document, versionId, isDefaultVersion}]}`.
 *   moto gap: updateDate = createDate and permissionsBoundaryUsageCount is always 0.
 * - User: `{userName, userId, arn, path, createDate, groupList, userPolicyList, attachedManagedPolicies,
 *   permissionsBoundary}`; Group: `{groupName, groupId, arn, path, createDate, groupPolicyList,
 *   attachedManagedPolicies}`. moto gap: moto serves neither type.
 * The default recorder leaves these global types out (RecordingStrategy ALL_SUPPORTED_RESOURCE_TYPES without
 * includeGlobalResourceTypes), and IAM is all-or-nothing per account (see the research notes, issue 11).
 */
import type { AttachedPolicy, GroupDetail, ManagedPolicyDetail, PolicyDetail, PolicyVersion, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { bool, date, intOrNull, list, MAX_DOCUMENT, Missing, obj, text, withinDepth } from '../config/fields-config-item.js';
import { groupResource, policyResource, roleResource, userResource } from './entity-resource.js';
import { decodePolicyDocument } from './policy-document.js';

type Result = { resource: Resource; missing: string[] } | undefined;
type Kind = 'role' | 'policy' | 'user' | 'group';

const ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f):iam::(\d{12}):([a-z]+)\//;
const PATH = /^\/([\x21-\x7e]*\/)?$/;

/** The entity's ARN, rebuilt from the item's partition and account, the path and the name; undefined when odd. */
function entityArn(item: ConfigItem, kind: Kind, arnValue: unknown, path: string | undefined, name: string | undefined): string | undefined {
  const arn = text(arnValue);
  const m = arn ? ARN.exec(arn) : null;
  if (!m || m[2] !== item.accountId || m[3] !== kind || !path || !name || !/^[\w+=,.@-]{1,128}$/.test(name)) return undefined;
  return `arn:${m[1]}:iam::${m[2]}:${kind}${path}${name}`;
}

function pathOf(value: unknown): string | undefined {
  const path = text(value, 512);
  return path !== undefined && PATH.test(path) ? path : undefined;
}

/**
 * A policy document as the string GetAccountAuthorizationDetails would carry: URL-encoded or JSON text kept as it
 * is, a decoded object re-serialised. Undefined when it is absent, too long, not JSON once decoded, or too deep.
 */
export function documentFromConfig(value: unknown): string | undefined {
  const document = value !== null && typeof value === 'object' ? safeStringify(value) : text(value, MAX_DOCUMENT);
  if (document === undefined || document === '') return undefined;
  try {
    return withinDepth(decodePolicyDocument(document)) ? document : undefined;
  } catch {
    return undefined;
  }
}

function safeStringify(value: object): string | undefined {
  if (!withinDepth(value)) return undefined;
  const s = JSON.stringify(value);
  return s.length <= MAX_DOCUMENT ? s : undefined;
}

function createDate(value: unknown): Date | null | undefined {
  return value === null ? null : date(value);
}

/** `[{policyName, policyDocument}]` as inline policies; undefined when any is odd. */
function inlinePolicies(value: unknown): PolicyDetail[] | undefined {
  const items = list(value);
  if (!items) return undefined;
  const out: PolicyDetail[] = [];
  for (const entry of items) {
    const p = obj(entry);
    const name = text(p?.policyName, 128);
    const document = documentFromConfig(p?.policyDocument);
    if (name === undefined || document === undefined) return undefined;
    out.push({ PolicyName: name, PolicyDocument: document });
  }
  return out;
}

/** `[{policyName, policyArn}]`; undefined when any is odd. */
function attachedPolicies(value: unknown): AttachedPolicy[] | undefined {
  const items = list(value);
  if (!items) return undefined;
  const out: AttachedPolicy[] = [];
  for (const entry of items) {
    const arn = text(obj(entry)?.policyArn);
    if (arn === undefined) return undefined;
    out.push({ PolicyArn: arn });
  }
  return out;
}

/** `{permissionsBoundaryArn}` (AWS), an ARN string (moto) or null; undefined when odd. */
function boundary(value: unknown): { PermissionsBoundaryArn: string } | null | undefined {
  if (value === null) return null;
  const arn = typeof value === 'string' ? text(value) : text(obj(value)?.permissionsBoundaryArn);
  return arn === undefined ? undefined : { PermissionsBoundaryArn: arn };
}

function strings(value: unknown, max: number): string[] | undefined {
  const items = list(value);
  if (!items) return undefined;
  const out: string[] = [];
  for (const entry of items) {
    const s = text(entry, max);
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** An AWS::IAM::Role item; undefined when it does not identify the role. */
export function roleFromConfig(item: ConfigItem): Result {
  const c = obj(item.configuration);
  const name = text(c?.roleName, 128);
  const path = pathOf(c?.path);
  const id = entityArn(item, 'role', c?.arn, path, name);
  if (!c || !id) return undefined;
  const missing = new Missing();
  missing.add('lastUsed');
  const inline = missing.need(inlinePolicies(c.rolePolicyList), 'inlinePolicies', 'inlinePolicyNames');
  const role: RoleDetail = {
    Arn: id,
    RoleName: name,
    Path: path,
    CreateDate: missing.need(createDate(c.createDate), 'createDate') ?? undefined,
    AssumeRolePolicyDocument: missing.need(documentFromConfig(c.assumeRolePolicyDocument), 'trustPolicy'),
    RolePolicyList: inline,
    AttachedManagedPolicies: missing.need(attachedPolicies(c.attachedManagedPolicies), 'attachedManagedPolicies'),
    PermissionsBoundary: missing.need(boundary(c.permissionsBoundary), 'permissionsBoundary') ?? undefined,
  };
  return missing.apply(roleResource(role));
}

/** The default version of `policyVersionList`, or undefined when there is not exactly one well-formed one. */
function defaultVersion(value: unknown): PolicyVersion | undefined {
  const versions = list(value);
  if (!versions) return undefined;
  const defaults = versions.map(obj).filter((v) => v?.isDefaultVersion === true);
  const v = defaults.length === 1 ? defaults[0] : undefined;
  const versionId = text(v?.versionId, 64);
  const document = documentFromConfig(v?.document);
  return versionId !== undefined && document !== undefined ? { VersionId: versionId, IsDefaultVersion: true, Document: document } : undefined;
}

/** An AWS::IAM::Policy item (customer-managed policies only, as the live LocalManagedPolicy filter); undefined when it does not identify the policy. */
export function policyFromConfig(item: ConfigItem): Result {
  const c = obj(item.configuration);
  const name = text(c?.policyName, 128);
  const path = pathOf(c?.path);
  const id = entityArn(item, 'policy', c?.arn, path, name);
  if (!c || !id) return undefined;
  const missing = new Missing();
  const version = missing.need(defaultVersion(c.policyVersionList), 'document', 'defaultVersionId');
  const count = (value: unknown, field: string): number | undefined => {
    const n = intOrNull(value);
    return missing.need(n === null ? undefined : n, field);
  };
  const policy: ManagedPolicyDetail = {
    Arn: id,
    PolicyName: name,
    Path: path,
    CreateDate: missing.need(createDate(c.createDate), 'createDate') ?? undefined,
    UpdateDate: missing.need(createDate(c.updateDate), 'updateDate') ?? undefined,
    DefaultVersionId: version?.VersionId,
    AttachmentCount: count(c.attachmentCount, 'attachmentCount'),
    PermissionsBoundaryUsageCount: count(c.permissionsBoundaryUsageCount, 'permissionsBoundaryUsageCount'),
    IsAttachable: missing.need(bool(c.isAttachable), 'isAttachable'),
    // Without a usable default version, a stand-in keeps policyResource from refusing the whole policy; the two
    // fields it would fill are missing and removed.
    PolicyVersionList: [version ?? { IsDefaultVersion: true }],
  };
  return missing.apply(policyResource(policy));
}

/** An AWS::IAM::User item; undefined when it does not identify the user. */
export function userFromConfig(item: ConfigItem): Result {
  const c = obj(item.configuration);
  const name = text(c?.userName, 128);
  const path = pathOf(c?.path);
  const id = entityArn(item, 'user', c?.arn, path, name);
  if (!c || !id) return undefined;
  const missing = new Missing();
  const user: UserDetail = {
    Arn: id,
    UserName: name,
    Path: path,
    CreateDate: missing.need(createDate(c.createDate), 'createDate') ?? undefined,
    GroupList: missing.need(strings(c.groupList, 128), 'groups'),
    UserPolicyList: missing.need(inlinePolicies(c.userPolicyList), 'inlinePolicies', 'inlinePolicyNames'),
    AttachedManagedPolicies: missing.need(attachedPolicies(c.attachedManagedPolicies), 'attachedManagedPolicies'),
    PermissionsBoundary: missing.need(boundary(c.permissionsBoundary), 'permissionsBoundary') ?? undefined,
  };
  return missing.apply(userResource(user));
}

/** An AWS::IAM::Group item; undefined when it does not identify the group. */
export function groupFromConfig(item: ConfigItem): Result {
  const c = obj(item.configuration);
  const name = text(c?.groupName, 128);
  const path = pathOf(c?.path);
  const id = entityArn(item, 'group', c?.arn, path, name);
  if (!c || !id) return undefined;
  const missing = new Missing();
  const group: GroupDetail = {
    Arn: id,
    GroupName: name,
    Path: path,
    CreateDate: missing.need(createDate(c.createDate), 'createDate') ?? undefined,
    GroupPolicyList: missing.need(inlinePolicies(c.groupPolicyList), 'inlinePolicies', 'inlinePolicyNames'),
    AttachedManagedPolicies: missing.need(attachedPolicies(c.attachedManagedPolicies), 'attachedManagedPolicies'),
  };
  return missing.apply(groupResource(group));
}
