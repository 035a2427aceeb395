import { EC2Client, paginateDescribeSubnets, type Subnet } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { nameTag } from './arn.js';

/** A subnet as DescribeSubnets returns it → the resource ec2.subnets emits. */
export function normaliseSubnet(subnet: Subnet, account: string, region: string): Resource {
  const id = subnet.SubnetId as string;
  return {
    id: subnet.SubnetArn ?? `arn:aws:ec2:${region}:${subnet.OwnerId ?? account}:subnet/${id}`,
    type: 'AWS::EC2::Subnet',
    name: nameTag(subnet.Tags) ?? id,
    region,
    subnetId: id,
    vpcId: subnet.VpcId ?? null,
    availabilityZone: subnet.AvailabilityZone ?? null,
    cidrBlock: subnet.CidrBlock ?? null,
    defaultForAz: subnet.DefaultForAz === true,
    // true = every network interface launched here gets a public IPv4 address unless the launch says otherwise.
    mapPublicIpOnLaunch: subnet.MapPublicIpOnLaunch === true,
  };
}

/** EC2 DescribeSubnets: every subnet with its Availability Zone and public IPv4 auto-assignment (EC2.15). */
export const subnets: Collector = {
  id: 'ec2.subnets',
  version: '1',
  title: 'VPC subnets',
  scope: 'region',
  permissions: ['ec2:DescribeSubnets'],
  resourceSchema: resourceShape(
    'AWS::EC2::Subnet',
    {
      subnetId: s.string,
      vpcId: s.nullable(s.string),
      availabilityZone: s.nullable(s.string),
      cidrBlock: s.nullable(s.string),
      defaultForAz: s.boolean,
      mapPublicIpOnLaunch: s.boolean,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EC2Client);
    const { items, pages } = await collectPages(paginateDescribeSubnets({ client, pageSize: 1000 }, {}), (p) => p.Subnets);
    const resources = items.filter((x) => x.SubnetId).map((x) => normaliseSubnet(x, ctx.account, ctx.region));
    return { raw: { DescribeSubnets: pages.map(stripMetadata) }, resources };
  },
};
