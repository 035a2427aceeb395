/** GetAccountAuthorizationDetails entities → the resources iam.authorization-details emits (shared with entity-config-item.ts). */
import type { GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from '@aws-sdk/client-iam';
import type { Resource } from '../../src/core/types.js';
import { decodePolicyDocument } from './policy-document.js';

interface InlinePolicy {
  PolicyName?: string;
  PolicyDocument?: string;
}

function inline(policies: InlinePolicy[] | undefined): { name: string; document: unknown }[] {
  return (policies ?? []).map((p) => ({ name: p.PolicyName ?? '', document: decodePolicyDocument(p.PolicyDocument) }));
}

function attached(policies: { PolicyArn?: string }[] | undefined): string[] {
  return (policies ?? []).map((p) => p.PolicyArn ?? '').filter(Boolean);
}

const iso = (d: Date | undefined): string | null => (d ? d.toISOString() : null);

export function userResource(u: UserDetail): Resource {
  const inlinePolicies = inline(u.UserPolicyList);
  return {
    id: u.Arn ?? '',
    type: 'AWS::IAM::User',
    name: u.UserName ?? '',
    path: u.Path ?? '/',
    createDate: iso(u.CreateDate),
    groups: u.GroupList ?? [],
    attachedManagedPolicies: attached(u.AttachedManagedPolicies),
    inlinePolicyNames: inlinePolicies.map((p) => p.name),
    inlinePolicies,
    permissionsBoundary: u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
  };
}

export function groupResource(g: GroupDetail): Resource {
  const inlinePolicies = inline(g.GroupPolicyList);
  return {
    id: g.Arn ?? '',
    type: 'AWS::IAM::Group',
    name: g.GroupName ?? '',
    path: g.Path ?? '/',
    createDate: iso(g.CreateDate),
    attachedManagedPolicies: attached(g.AttachedManagedPolicies),
    inlinePolicyNames: inlinePolicies.map((p) => p.name),
    inlinePolicies,
  };
}

export function roleResource(r: RoleDetail): Resource {
  const inlinePolicies = inline(r.RolePolicyList);
  return {
    id: r.Arn ?? '',
    type: 'AWS::IAM::Role',
    name: r.RoleName ?? '',
    path: r.Path ?? '/',
    createDate: iso(r.CreateDate),
    trustPolicy: decodePolicyDocument(r.AssumeRolePolicyDocument),
    attachedManagedPolicies: attached(r.AttachedManagedPolicies),
    inlinePolicyNames: inlinePolicies.map((p) => p.name),
    inlinePolicies,
    permissionsBoundary: r.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    lastUsed: iso(r.RoleLastUsed?.LastUsedDate),
  };
}

/** A customer-managed policy with its default version's document (the one IAM enforces). */
export function policyResource(p: ManagedPolicyDetail): Resource {
  const versions = p.PolicyVersionList ?? [];
  const defaultVersion = versions.find((v) => v.IsDefaultVersion) ?? versions.find((v) => v.VersionId === p.DefaultVersionId);
  if (!defaultVersion) throw new Error(`policy ${p.Arn ?? p.PolicyName ?? '?'} has no default version in GetAccountAuthorizationDetails`);
  return {
    id: p.Arn ?? '',
    type: 'AWS::IAM::Policy',
    // The name is the ARN's last segment (moto omits PolicyName here).
    name: p.PolicyName ?? p.Arn?.split('/').pop() ?? '',
    path: p.Path ?? '/',
    createDate: iso(p.CreateDate),
    updateDate: iso(p.UpdateDate),
    defaultVersionId: defaultVersion.VersionId ?? p.DefaultVersionId ?? null,
    attachmentCount: p.AttachmentCount ?? 0,
    permissionsBoundaryUsageCount: p.PermissionsBoundaryUsageCount ?? 0,
    isAttachable: p.IsAttachable !== false,
    document: decodePolicyDocument(defaultVersion.Document),
  };
}
