/**
 * AWS::EC2::SecurityGroup configuration item → the resource ec2.security-groups emits (issue 11).
 *
 * Item shape (awslabs/aws-config-resource-schema `AWS::EC2::SecurityGroup.properties.json`; rdk example_ci
 * AWS_EC2_SecurityGroup.json; AWS Config developer guide, Get-CFGAggregateResourceConfig example):
 * `configuration = {groupId, groupName, description, ownerId, vpcId, tags, ipPermissions[], ipPermissionsEgress[]}`,
 * a permission being `{ipProtocol, fromPort, toPort, ipv4Ranges:[{cidrIp}], ipRanges:["cidr"] (2017 items only
 * have this), ipv6Ranges:[{cidrIpv6}], prefixListIds:[{prefixListId}], userIdGroupPairs:[{userId, groupId, groupName}]}`.
 * The item is mapped onto the EC2 API shape and judged by the live normaliser, so both paths give the same resource.
 */
import type { IpPermission, SecurityGroup } from '@aws-sdk/client-ec2';
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { intOrNull, list, Missing, obj, placement, text, textOrNull } from '../config/fields-config-item.js';
import { normaliseSecurityGroup } from './security-group-resource.js';

/** Strings from a list of objects' `key`, or of bare strings; undefined when any element is odd. */
function strings(value: unknown, key?: string): string[] | undefined {
  const items = list(value);
  if (!items) return undefined;
  const out: string[] = [];
  for (const entry of items) {
    const v = key === undefined ? text(entry) : text(obj(entry)?.[key]);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}

/** One item permission as an EC2 IpPermission; undefined when any part cannot be mapped. */
export function permissionFromConfig(value: unknown): IpPermission | undefined {
  const p = obj(value);
  if (!p) return undefined;
  const protocol = text(p.ipProtocol, 16);
  const fromPort = intOrNull(p.fromPort ?? null);
  const toPort = intOrNull(p.toPort ?? null);
  // ipv4Ranges (objects) in current items; only the ipRanges string list in items before 2018.
  const ipv4 = p.ipv4Ranges !== undefined ? strings(p.ipv4Ranges, 'cidrIp') : strings(p.ipRanges);
  const ipv6 = p.ipv6Ranges === undefined || p.ipv6Ranges === null ? [] : strings(p.ipv6Ranges, 'cidrIpv6');
  const prefixes = p.prefixListIds === undefined || p.prefixListIds === null ? [] : strings(p.prefixListIds, 'prefixListId');
  const pairs = p.userIdGroupPairs === undefined || p.userIdGroupPairs === null ? [] : list(p.userIdGroupPairs);
  if (protocol === undefined || fromPort === undefined || toPort === undefined || !ipv4 || !ipv6 || !prefixes || !pairs) return undefined;
  const groups: { UserId?: string; GroupId?: string; GroupName?: string }[] = [];
  for (const pair of pairs) {
    const g = obj(pair);
    const userId = textOrNull(g?.userId ?? null);
    const groupId = textOrNull(g?.groupId ?? null);
    const groupName = textOrNull(g?.groupName ?? null);
    if (!g || userId === undefined || groupId === undefined || groupName === undefined) return undefined;
    groups.push({ UserId: userId ?? undefined, GroupId: groupId ?? undefined, GroupName: groupName ?? undefined });
  }
  return {
    IpProtocol: protocol,
    FromPort: fromPort ?? undefined,
    ToPort: toPort ?? undefined,
    IpRanges: ipv4.map((CidrIp) => ({ CidrIp })),
    Ipv6Ranges: ipv6.map((CidrIpv6) => ({ CidrIpv6 })),
    PrefixListIds: prefixes.map((PrefixListId) => ({ PrefixListId })),
    UserIdGroupPairs: groups,
  };
}

function permissions(value: unknown): IpPermission[] | undefined {
  const items = list(value);
  if (!items) return undefined;
  const out: IpPermission[] = [];
  for (const entry of items) {
    const p = permissionFromConfig(entry);
    if (!p) return undefined;
    out.push(p);
  }
  return out;
}

/**
 * The security group an item describes, and the top-level fields it could not fill (read them live). Undefined
 * when the item does not identify a group (no usable groupId, account or region): read that group live.
 */
export function securityGroupFromConfig(item: ConfigItem): { resource: Resource; missing: string[] } | undefined {
  const c = obj(item.configuration);
  const where = placement(item);
  const groupId = text(c?.groupId, 256);
  if (!c || !where || !groupId || groupId !== item.resourceId) return undefined;
  const missing = new Missing();
  // name and isDefault are derived from the group name too.
  const groupName = missing.need(textOrNull(c.groupName), 'groupName', 'name', 'isDefault');
  const vpcId = missing.need(textOrNull(c.vpcId), 'vpcId');
  const ingress = missing.need(permissions(c.ipPermissions), 'ingress');
  const egress = missing.need(permissions(c.ipPermissionsEgress), 'egress');
  const group: SecurityGroup = {
    GroupId: groupId,
    GroupName: groupName ?? undefined,
    VpcId: vpcId ?? undefined,
    IpPermissions: ingress ?? [],
    IpPermissionsEgress: egress ?? [],
  };
  return missing.apply(normaliseSecurityGroup(group, where.account, where.region));
}
