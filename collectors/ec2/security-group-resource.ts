/** A security group as DescribeSecurityGroups returns it → the resource ec2.security-groups emits (shared with security-group-config-item.ts). */
import type { IpPermission, SecurityGroup } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { ec2Arn } from './arn.js';

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
