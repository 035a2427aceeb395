/**
 * iam.authorization-details with Config items (issue 11): GetAccountAuthorizationDetails stays authoritative.
 * Under --source config, roles and customer-managed policies with items take them (provenance; role last use is
 * read live); users and groups stay live. Items are found by unique id (AWS) or by role name (moto). Under auto
 * nothing changes.
 */
import { describe, expect, it } from 'vitest';
import { authorizationDetails } from '../../../../collectors/iam/authorization-details.js';
import type { ConfigSource } from '../../../../src/core/collector.js';
import type { ConfigItem, Resource } from '../../../../src/core/types.js';
import { fakeClients } from '../../../helpers/fake-clients.js';
import { ACCOUNT, configItem } from '../config/config-item-helpers.js';

const enc = (doc: unknown) => encodeURIComponent(JSON.stringify(doc));
const TRUST = enc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const DOC = enc({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
const CREATED = new Date('2026-01-01T00:00:00Z');
const role = (name: string) => ({ RoleName: name, RoleId: `AROA${name.toUpperCase()}`, Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, Path: '/', CreateDate: CREATED, AssumeRolePolicyDocument: TRUST, RolePolicyList: [], AttachedManagedPolicies: [], RoleLastUsed: { LastUsedDate: new Date('2026-11-20T00:00:00Z') } });
const roleItem = (name: string, resourceId: string) =>
  configItem('AWS::IAM::Role', resourceId, { path: '/', roleName: name, roleId: `AROA${name.toUpperCase()}`, arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, createDate: '2026-01-01T00:00:00.000Z', assumeRolePolicyDocument: TRUST, rolePolicyList: [], attachedManagedPolicies: [], permissionsBoundary: null, roleLastUsed: null }, { awsRegion: 'global' });
const POLICY = { PolicyName: 'admin', PolicyId: 'ANPAADMIN', Arn: `arn:aws:iam::${ACCOUNT}:policy/admin`, Path: '/', DefaultVersionId: 'v1', AttachmentCount: 1, PermissionsBoundaryUsageCount: 0, IsAttachable: true, CreateDate: CREATED, UpdateDate: CREATED, PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: DOC }] };
const POLICY_ITEM = configItem('AWS::IAM::Policy', 'ANPAADMIN', { policyName: 'admin', policyId: 'ANPAADMIN', arn: POLICY.Arn, path: '/', defaultVersionId: 'v1', attachmentCount: 1, permissionsBoundaryUsageCount: 0, isAttachable: true, createDate: '2026-01-01T00:00:00.000Z', updateDate: '2026-01-01T00:00:00.000Z', policyVersionList: [{ versionId: 'v1', isDefaultVersion: true, document: DOC }] }, { awsRegion: 'global' });

const ITEMS: Record<string, ConfigItem[]> = {
  // AWS: by unique id; moto: by name; an item for a role not listed; an unmappable item for role "c".
  'AWS::IAM::Role': [roleItem('a', 'AROAA'), roleItem('b', 'b'), roleItem('gone', 'AROAGONE'), configItem('AWS::IAM::Role', 'AROAC', { roleName: 7 }, { awsRegion: 'global' })],
  'AWS::IAM::Policy': [POLICY_ITEM],
};
function source(mode: 'auto' | 'config'): ConfigSource & { asked: string[] } {
  const asked: string[] = [];
  return { mode, asked, items: async (type) => (asked.push(type), new Map((ITEMS[type] ?? []).map((i) => [i.resourceId, i]))) };
}

async function run(config?: ConfigSource) {
  const { ctx } = fakeClients(
    { GetAccountAuthorizationDetails: { UserDetailList: [{ UserName: 'u', Arn: `arn:aws:iam::${ACCOUNT}:user/u`, Path: '/', CreateDate: CREATED }], GroupDetailList: [], RoleDetailList: ['a', 'b', 'c'].map(role), Policies: [POLICY] } },
    { account: ACCOUNT },
  );
  return authorizationDetails.collect({ ...ctx, ...(config ? { config } : {}) });
}
const strip = ({ provenance: _p, ...rest }: Resource): Resource => rest;

describe('iam.authorization-details with Config items', () => {
  it('config: roles and policies with items take them (last use live); unlisted and unmappable items are ignored', async () => {
    const live = await run();
    const config = source('config');
    const out = await run(config);
    expect(config.asked).toEqual(['AWS::IAM::Role', 'AWS::IAM::Policy']);
    expect(out.resources.map((r) => r.id)).toEqual(live.resources.map((r) => r.id));
    const marked = out.resources.filter((r) => r.provenance).map((r) => [r.name, r.provenance?.liveFields]);
    expect(marked).toEqual([['a', ['lastUsed']], ['b', ['lastUsed']], ['admin', []]]);
    expect(out.resources.map(strip)).toEqual(live.resources);
    expect((out.raw['BatchGetResourceConfig:0001'] as ConfigItem[]).map((i) => i.resourceId)).toEqual(['ANPAADMIN', 'AROAA', 'b']);
  });

  it('auto: stays live and does not ask Config', async () => {
    const config = source('auto');
    expect(await run(config)).toEqual(await run());
    expect(config.asked).toEqual([]);
  });
});
