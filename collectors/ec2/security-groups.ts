import { EC2Client, paginateDescribeSecurityGroups } from '@aws-sdk/client-ec2';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { normaliseRule, normaliseSecurityGroup, type NormalisedRule } from './security-group-resource.js';
import { securityGroupFromConfig } from './security-group-config-item.js';
import { preferConfigItems } from '../config/prefer-items.js';
export { normaliseRule, normaliseSecurityGroup, type NormalisedRule };

const RULE_SCHEMA = s.object({ protocol: s.string, fromPort: s.nullable(s.integer), toPort: s.nullable(s.integer), ipv4Ranges: s.array(s.string), ipv6Ranges: s.array(s.string), referencedGroups: s.array(s.string), prefixLists: s.array(s.string) });

/** EC2 DescribeSecurityGroups: every security group with normalised ingress and egress rules. */
export const securityGroups: Collector = {
  id: 'ec2.security-groups',
  version: '1',
  title: 'EC2 security groups and their rules',
  scope: 'region',
  permissions: ['ec2:DescribeSecurityGroups'],
  resourceSchema: resourceShape(
    'AWS::EC2::SecurityGroup',
    {
      groupId: s.string,
      groupName: s.nullable(s.string),
      vpcId: s.nullable(s.string),
      isDefault: s.boolean,
      ingress: s.array(RULE_SCHEMA),
      egress: s.array(RULE_SCHEMA),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EC2Client);
    const { items, pages } = await collectPages(paginateDescribeSecurityGroups({ client, pageSize: 1000 }, {}), (p) => p.SecurityGroups);
    const live = items.filter((g) => g.GroupId).map((g) => normaliseSecurityGroup(g, ctx.account, ctx.region));
    // The live listing is authoritative; under --source config, items stand in for what they hold (see prefer-items.ts).
    const preferred = await preferConfigItems(ctx, 'AWS::EC2::SecurityGroup', live, (r) => [r.groupId as string], securityGroupFromConfig);
    return { raw: { DescribeSecurityGroups: pages.map((p) => stripMetadata(p)), ...preferred.raw }, resources: preferred.resources };
  },
};
