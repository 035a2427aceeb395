import { EC2Client, paginateDescribeSecurityGroups, type IpPermission, type SecurityGroup } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { ec2Arn } from './arn.js';
import { resourceShape, s } from '../resource-schema.js';

/** IANA numbers EC2 also accepts for the common protocols; rules read names. */
const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

export interface NormalisedRule {
  /** tcp, udp, icmp, icmpv6, another IANA number, or -1 for all traffic. */
  protocol: string;
  fromPort: number | null;
  toPort: number | null;
  ipv4Ranges: string[];
  ipv6Ranges: string[];
  referencedGroups: string[];
  prefixLists: string[];
}

export function normaliseRule(permission: IpPermission): NormalisedRule {
  const raw = (permission.IpProtocol ?? '-1').toLowerCase();
  const protocol = PROTOCOL_NAMES[raw] ?? raw;
  const allTraffic = protocol === '-1';
  return {
    protocol,
    fromPort: allTraffic ? null : (permission.FromPort ?? null),
    toPort: allTraffic ? null : (permission.ToPort ?? null),
    ipv4Ranges: (permission.IpRanges ?? []).map((r) => r.CidrIp).filter((c): c is string => Boolean(c)),
    ipv6Ranges: (permission.Ipv6Ranges ?? []).map((r) => r.CidrIpv6).filter((c): c is string => Boolean(c)),
    referencedGroups: (permission.UserIdGroupPairs ?? [])
      .map((p) => (p.UserId && p.GroupId ? `${p.UserId}/${p.GroupId}` : (p.GroupId ?? p.GroupName)))
      .filter((g): g is string => Boolean(g)),
    prefixLists: (permission.PrefixListIds ?? []).map((p) => p.PrefixListId).filter((p): p is string => Boolean(p)),
  };
}

const RULE_SCHEMA = s.object({ protocol: s.string, fromPort: s.nullable(s.integer), toPort: s.nullable(s.integer), ipv4Ranges: s.array(s.string), ipv6Ranges: s.array(s.string), referencedGroups: s.array(s.string), prefixLists: s.array(s.string) });

export function normaliseSecurityGroup(group: SecurityGroup, account: string, region: string): Resource {
  return {
    id: ec2Arn(region, account, 'security-group', group.GroupId as string),
    type: 'AWS::EC2::SecurityGroup',
    name: group.GroupName ?? group.GroupId,
    region,
    groupId: group.GroupId,
    groupName: group.GroupName ?? null,
    vpcId: group.VpcId ?? null,
    // Every VPC has exactly one security group named "default" that cannot be deleted (EC2.2).
    isDefault: group.GroupName === 'default',
    ingress: (group.IpPermissions ?? []).map(normaliseRule),
    egress: (group.IpPermissionsEgress ?? []).map(normaliseRule),
  };
}

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
    return {
      raw: { DescribeSecurityGroups: pages.map((p) => stripMetadata(p)) },
      resources: items.filter((g) => g.GroupId).map((g) => normaliseSecurityGroup(g, ctx.account, ctx.region)),
    };
  },
};
