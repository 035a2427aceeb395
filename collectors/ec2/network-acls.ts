import { EC2Client, paginateDescribeNetworkAcls, type NetworkAcl, type NetworkAclEntry } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { nameTag } from './arn.js';

/** One NACL entry: protocol "-1" (all), "6" (TCP), "17" (UDP) or another number; ports only for TCP/UDP. */
export function normaliseNaclEntry(e: NetworkAclEntry) {
  return {
    ruleNumber: e.RuleNumber ?? 0,
    egress: e.Egress === true,
    protocol: e.Protocol ?? '-1',
    ruleAction: e.RuleAction ?? 'deny',
    cidrBlock: e.CidrBlock ?? null,
    ipv6CidrBlock: e.Ipv6CidrBlock ?? null,
    fromPort: e.PortRange?.From ?? null,
    toPort: e.PortRange?.To ?? null,
  };
}

/** A network ACL as DescribeNetworkAcls returns it → the resource ec2.network-acls emits. */
export function normaliseNetworkAcl(acl: NetworkAcl, account: string, region: string): Resource {
  const id = acl.NetworkAclId as string;
  return {
    id: `arn:aws:ec2:${region}:${acl.OwnerId ?? account}:network-acl/${id}`,
    type: 'AWS::EC2::NetworkAcl',
    name: nameTag(acl.Tags) ?? id,
    region,
    networkAclId: id,
    vpcId: acl.VpcId ?? null,
    isDefault: acl.IsDefault === true,
    subnetIds: (acl.Associations ?? []).map((a) => a.SubnetId).filter((x): x is string => Boolean(x)).sort(),
    entries: (acl.Entries ?? []).map(normaliseNaclEntry).sort((a, b) => Number(a.egress) - Number(b.egress) || a.ruleNumber - b.ruleNumber),
  };
}

/** EC2 DescribeNetworkAcls: every network ACL with its entries (EC2.21 / CIS 5.1). */
export const networkAcls: Collector = {
  id: 'ec2.network-acls',
  version: '1',
  title: 'VPC network ACLs and their entries',
  scope: 'region',
  permissions: ['ec2:DescribeNetworkAcls'],
  resourceSchema: resourceShape(
    'AWS::EC2::NetworkAcl',
    {
      networkAclId: s.string,
      vpcId: s.nullable(s.string),
      isDefault: s.boolean,
      subnetIds: s.array(s.string),
      entries: s.array(
        s.object({
          ruleNumber: s.integer,
          egress: s.boolean,
          protocol: s.string,
          ruleAction: s.string,
          cidrBlock: s.nullable(s.string),
          ipv6CidrBlock: s.nullable(s.string),
          fromPort: s.nullable(s.integer),
          toPort: s.nullable(s.integer),
        }),
      ),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EC2Client);
    const { items, pages } = await collectPages(paginateDescribeNetworkAcls({ client, pageSize: 1000 }, {}), (p) => p.NetworkAcls);
    const resources = items.filter((x) => x.NetworkAclId).map((x) => normaliseNetworkAcl(x, ctx.account, ctx.region));
    return { raw: { DescribeNetworkAcls: pages.map(stripMetadata) }, resources };
  },
};
