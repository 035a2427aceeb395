import {
  IAMClient,
  paginateGetAccountAuthorizationDetails,
  type GetAccountAuthorizationDetailsCommandOutput,
} from '@aws-sdk/client-iam';
import type { Resource } from '../../src/core/types.js';
import { configItemsRaw } from '../../src/collect/config-source.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { byType, resourceShape, s } from '../resource-schema.js';
import { groupResource, policyResource, roleResource, userResource } from './entity-resource.js';
import { policyFromConfig, roleFromConfig } from './entity-config-item.js';
import { preferConfigItems } from '../config/prefer-items.js';
export { groupResource, policyResource, roleResource, userResource };

export function authorizationDetailsResources(pages: GetAccountAuthorizationDetailsCommandOutput[]): Resource[] {
  const resources: Resource[] = [];
  for (const page of pages) resources.push(...(page.UserDetailList ?? []).map(userResource));
  for (const page of pages) resources.push(...(page.GroupDetailList ?? []).map(groupResource));
  for (const page of pages) resources.push(...(page.RoleDetailList ?? []).map(roleResource));
  for (const page of pages) resources.push(...(page.Policies ?? []).map(policyResource));
  return resources;
}

/**
 * IAM GetAccountAuthorizationDetails: users, groups, roles and customer-managed policies (with their default
 * version documents) in up to 1,000 entities a page, instead of several calls per user.
 */
export const authorizationDetails: Collector = {
  id: 'iam.authorization-details',
  version: '1',
  title: 'IAM users, groups, roles and customer-managed policies',
  scope: 'account',
  permissions: ['iam:GetAccountAuthorizationDetails'],
  resourceSchema: byType({
      'AWS::IAM::User': resourceShape(
        'AWS::IAM::User',
        {
          path: s.string,
          createDate: s.nullable(s.string),
          groups: s.array(s.string),
          attachedManagedPolicies: s.array(s.string),
          inlinePolicyNames: s.array(s.string),
          inlinePolicies: s.array(s.object({ name: s.string, document: s.json })),
          permissionsBoundary: s.nullable(s.string),
        },
      ),
      'AWS::IAM::Group': resourceShape(
        'AWS::IAM::Group',
        {
          path: s.string,
          createDate: s.nullable(s.string),
          attachedManagedPolicies: s.array(s.string),
          inlinePolicyNames: s.array(s.string),
          inlinePolicies: s.array(s.object({ name: s.string, document: s.json })),
        },
      ),
      'AWS::IAM::Role': resourceShape(
        'AWS::IAM::Role',
        {
          path: s.string,
          createDate: s.nullable(s.string),
          trustPolicy: s.json,
          attachedManagedPolicies: s.array(s.string),
          inlinePolicyNames: s.array(s.string),
          inlinePolicies: s.array(s.object({ name: s.string, document: s.json })),
          permissionsBoundary: s.nullable(s.string),
          lastUsed: s.nullable(s.string),
        },
      ),
      'AWS::IAM::Policy': resourceShape(
        'AWS::IAM::Policy',
        {
          path: s.string,
          createDate: s.nullable(s.string),
          updateDate: s.nullable(s.string),
          defaultVersionId: s.nullable(s.string),
          attachmentCount: s.integer,
          permissionsBoundaryUsageCount: s.integer,
          isAttachable: s.boolean,
          document: s.json,
        },
      ),
  }),
  async collect(ctx) {
    const iam = ctx.clients.get(IAMClient);
    const { pages } = await collectPages(
      paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 1000 }, { Filter: ['User', 'Group', 'Role', 'LocalManagedPolicy'] }),
      () => [],
    );
    // The listing is authoritative. Under --source config, roles and customer-managed policies with items take
    // them (Config records no more than this one paged call gives, so --source auto stays live). Item resourceIds are
    // unique ids on AWS; moto gives a role's name, so both are tried.
    const roles = pages.flatMap((p) => p.RoleDetailList ?? []);
    const policies = pages.flatMap((p) => p.Policies ?? []);
    const role = await preferConfigItems(ctx, 'AWS::IAM::Role', roles.map(roleResource), (_r, i) => [roles[i]?.RoleId, roles[i]?.RoleName], roleFromConfig);
    const policy = await preferConfigItems(ctx, 'AWS::IAM::Policy', policies.map(policyResource), (_r, i) => [policies[i]?.PolicyId, policies[i]?.PolicyName], policyFromConfig);
    return {
      raw: { GetAccountAuthorizationDetails: pages.map((p) => stripMetadata(p)), ...configItemsRaw([...role.items, ...policy.items]) },
      resources: [
        ...pages.flatMap((p) => (p.UserDetailList ?? []).map(userResource)),
        ...pages.flatMap((p) => (p.GroupDetailList ?? []).map(groupResource)),
        ...role.resources,
        ...policy.resources,
      ],
    };
  },
};
