/**
 * iam Config item normalisers (issue 11). Roles and policies: real AWS shapes and moto 5.2.1's item (research
 * §3, quoted). moto gap: moto serves no AWS::IAM::User or AWS::IAM::Group items; those are tested on the schema's
 * shape only.
 */
import { describe, expect, it } from 'vitest';
import { groupResource, policyResource, roleResource, userResource } from '../../../../collectors/iam/authorization-details.js';
import { documentFromConfig, groupFromConfig, policyFromConfig, roleFromConfig, userFromConfig } from '../../../../collectors/iam/entity-config-item.js';
import { ACCOUNT, configItem, expectHostileSafe, without } from '../config/config-item-helpers.js';

const enc = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const INLINE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
const ADMIN = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const global = { awsRegion: 'global' };

// Real AWS role item shape (aws-config-resource-schema AWS::IAM::Role; URL-encoded documents as in real items).
const ROLE_ITEM = configItem('AWS::IAM::Role', 'AROAEXAMPLEROLEID', {
  path: '/service/',
  roleName: 'app',
  roleId: 'AROAEXAMPLEROLEID',
  arn: `arn:aws:iam::${ACCOUNT}:role/service/app`,
  createDate: '2024-03-01T10:00:00.000Z',
  assumeRolePolicyDocument: enc(TRUST),
  instanceProfileList: [],
  rolePolicyList: [{ policyName: 'read', policyDocument: enc(INLINE) }],
  attachedManagedPolicies: [{ policyName: 'admin', policyArn: `arn:aws:iam::${ACCOUNT}:policy/admin` }],
  permissionsBoundary: { permissionsBoundaryType: 'PermissionsBoundaryPolicy', permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundary` },
  roleLastUsed: { lastUsedDate: '2026-11-01T00:00:00.000Z', region: 'us-east-1' },
}, global);
const ROLE_LIVE = roleResource({
  Path: '/service/',
  RoleName: 'app',
  RoleId: 'AROAEXAMPLEROLEID',
  Arn: `arn:aws:iam::${ACCOUNT}:role/service/app`,
  CreateDate: new Date('2024-03-01T10:00:00Z'),
  AssumeRolePolicyDocument: enc(TRUST),
  RolePolicyList: [{ PolicyName: 'read', PolicyDocument: enc(INLINE) }],
  AttachedManagedPolicies: [{ PolicyName: 'admin', PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/admin` }],
  PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundary` },
  RoleLastUsed: { LastUsedDate: new Date('2026-11-20T00:00:00Z'), Region: 'us-east-1' },
});

// moto 5.2.1's role item, decoded (research §3): resourceId is the name, arn drops the path, boundary a string.
const MOTO_ROLE = configItem('AWS::IAM::Role', 'ap-role', {
  path: '/', roleName: 'ap-role', roleId: 'AROARZPUZDIKOHVXVAYDG', arn: `arn:aws:iam::${ACCOUNT}:role/ap-role`,
  assumeRolePolicyDocument: enc(TRUST), instanceProfileList: [], rolePolicyList: [{ policyName: 'inl', policyDocument: enc(INLINE) }],
  createDate: '2026-12-01T11:14:48.294066', attachedManagedPolicies: [{ policyArn: `arn:aws:iam::${ACCOUNT}:policy/ap-policy`, policyName: 'ap-policy' }],
  permissionsBoundary: null, tags: [], roleLastUsed: null,
}, global);

const POLICY_ITEM = configItem('AWS::IAM::Policy', 'ANPAEXAMPLEPOLICY', {
  policyName: 'admin', policyId: 'ANPAEXAMPLEPOLICY', arn: `arn:aws:iam::${ACCOUNT}:policy/admin`, path: '/', defaultVersionId: 'v2',
  attachmentCount: 1, permissionsBoundaryUsageCount: 0, isAttachable: true, description: '', createDate: '2024-01-01T00:00:00.000Z', updateDate: '2024-02-01T00:00:00.000Z',
  policyVersionList: [
    { document: enc(INLINE), versionId: 'v1', isDefaultVersion: false, createDate: '2024-01-01T00:00:00.000Z' },
    { document: enc(ADMIN), versionId: 'v2', isDefaultVersion: true, createDate: '2024-02-01T00:00:00.000Z' },
  ],
}, global);
const POLICY_LIVE = policyResource({
  PolicyName: 'admin', Arn: `arn:aws:iam::${ACCOUNT}:policy/admin`, Path: '/', DefaultVersionId: 'v2', AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, IsAttachable: true,
  CreateDate: new Date('2024-01-01T00:00:00Z'), UpdateDate: new Date('2024-02-01T00:00:00Z'),
  PolicyVersionList: [{ Document: enc(INLINE), VersionId: 'v1', IsDefaultVersion: false }, { Document: enc(ADMIN), VersionId: 'v2', IsDefaultVersion: true }],
});

describe('iam Config item normalisers', () => {
  it('role: the AWS item gives the live resource; last use is always read live', () => {
    expect(roleFromConfig(ROLE_ITEM)).toEqual({ resource: without(ROLE_LIVE, ['lastUsed']), missing: ['lastUsed'] });
  });

  it("role: moto's item (path dropped from the arn, name as resourceId) gives the live resource", () => {
    const live = roleResource({
      Path: '/', RoleName: 'ap-role', Arn: `arn:aws:iam::${ACCOUNT}:role/ap-role`, CreateDate: new Date('2026-12-01T11:14:48.294Z'), AssumeRolePolicyDocument: enc(TRUST),
      RolePolicyList: [{ PolicyName: 'inl', PolicyDocument: enc(INLINE) }], AttachedManagedPolicies: [{ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/ap-policy` }],
    });
    expect(roleFromConfig(MOTO_ROLE)).toEqual({ resource: without(live, ['lastUsed']), missing: ['lastUsed'] });
    // moto drops the path from the arn; the id is rebuilt from it.
    const pathed = { ...(MOTO_ROLE.configuration as Record<string, unknown>), path: '/ops/' };
    expect(roleFromConfig({ ...MOTO_ROLE, configuration: pathed })?.resource.id).toBe(`arn:aws:iam::${ACCOUNT}:role/ops/ap-role`);
  });

  it('role: a garbled or over-deep document is missing, never "grants nothing"; decoded (RDK) documents are read', () => {
    const config = ROLE_ITEM.configuration as Record<string, unknown>;
    const out = roleFromConfig({ ...ROLE_ITEM, configuration: { ...config, assumeRolePolicyDocument: '%7Bnot-json', rolePolicyList: [{ policyName: 'x', policyDocument: '['.repeat(200) + ']'.repeat(200) }] } });
    expect(out?.missing).toEqual(['inlinePolicies', 'inlinePolicyNames', 'lastUsed', 'trustPolicy']);
    expect(roleFromConfig({ ...ROLE_ITEM, configuration: { ...config, assumeRolePolicyDocument: TRUST } })?.resource.trustPolicy).toEqual(TRUST);
    expect(documentFromConfig('x'.repeat(200_000))).toBeUndefined();
    expect(roleFromConfig({ ...ROLE_ITEM, accountId: '999999999999' })).toBeUndefined();
    expectHostileSafe(roleFromConfig, ROLE_ITEM);
  });

  it('policy: the default version document and counts, as live', () => {
    expect(policyFromConfig(POLICY_ITEM)).toEqual({ resource: POLICY_LIVE, missing: [] });
  });

  it("policy: moto's item (research §3: python timestamps, updateDate = createDate)", () => {
    const moto = configItem('AWS::IAM::Policy', 'APSLMGSYEM6JR6K8HIFJI', {
      policyName: 'ap-policy', policyId: 'APSLMGSYEM6JR6K8HIFJI', arn: `arn:aws:iam::${ACCOUNT}:policy/ap-policy`, path: '/', defaultVersionId: 'v1', attachmentCount: 1,
      permissionsBoundaryUsageCount: 0, isAttachable: true, description: '', createDate: '2026-12-01T11:14:48.300890', updateDate: '2026-12-01T11:14:48.300890', tags: [],
      policyVersionList: [{ document: enc(ADMIN), versionId: 'v1', isDefaultVersion: true, createDate: '2026-12-01 11:14:48.300890' }],
    }, global);
    expect(policyFromConfig(moto)?.resource).toMatchObject({ id: `arn:aws:iam::${ACCOUNT}:policy/ap-policy`, defaultVersionId: 'v1', document: ADMIN, createDate: '2026-12-01T11:14:48.301Z' });
  });

  it('policy: no single default version → document and defaultVersionId missing; hostile items never throw', () => {
    const config = POLICY_ITEM.configuration as Record<string, unknown>;
    const out = policyFromConfig({ ...POLICY_ITEM, configuration: { ...config, policyVersionList: [] } });
    expect(out).toEqual({ resource: without(POLICY_LIVE, ['document', 'defaultVersionId']), missing: ['defaultVersionId', 'document'] });
    expectHostileSafe(policyFromConfig, POLICY_ITEM);
  });

  it('user and group (moto gap: schema shape only)', () => {
    const user = configItem('AWS::IAM::User', 'AIDAEXAMPLE', {
      userName: 'bob', userId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, path: '/', createDate: '2024-01-01T00:00:00.000Z', groupList: ['devs'],
      userPolicyList: [{ policyName: 'inline-s3', policyDocument: enc(INLINE) }], attachedManagedPolicies: [{ policyName: 'admin', policyArn: `arn:aws:iam::${ACCOUNT}:policy/admin` }], permissionsBoundary: null,
    }, global);
    expect(userFromConfig(user)).toEqual({
      resource: userResource({ UserName: 'bob', Arn: `arn:aws:iam::${ACCOUNT}:user/bob`, Path: '/', CreateDate: new Date('2024-01-01T00:00:00Z'), GroupList: ['devs'], UserPolicyList: [{ PolicyName: 'inline-s3', PolicyDocument: enc(INLINE) }], AttachedManagedPolicies: [{ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/admin` }] }),
      missing: [],
    });
    const group = configItem('AWS::IAM::Group', 'AGPAEXAMPLE', {
      groupName: 'devs', groupId: 'AGPAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:group/devs`, path: '/', createDate: '2024-01-01T00:00:00.000Z', groupPolicyList: [], attachedManagedPolicies: [],
    }, global);
    expect(groupFromConfig(group)).toEqual({
      resource: groupResource({ GroupName: 'devs', Arn: `arn:aws:iam::${ACCOUNT}:group/devs`, Path: '/', CreateDate: new Date('2024-01-01T00:00:00Z'), GroupPolicyList: [], AttachedManagedPolicies: [] }),
      missing: [],
    });
    expectHostileSafe(userFromConfig, user);
    expectHostileSafe(groupFromConfig, group);
  });
});
