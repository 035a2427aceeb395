import { EC2Client, paginateDescribeRouteTables, type Route, type RouteTable } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { nameTag } from './arn.js';

function normaliseRoute(r: Route) {
  return {
    destinationCidrBlock: r.DestinationCidrBlock ?? null,
    destinationIpv6CidrBlock: r.DestinationIpv6CidrBlock ?? null,
    destinationPrefixListId: r.DestinationPrefixListId ?? null,
    vpcPeeringConnectionId: r.VpcPeeringConnectionId ?? null,
    gatewayId: r.GatewayId ?? null,
    state: r.State ?? null,
  };
}

/** A route table as DescribeRouteTables returns it → the resource ec2.route-tables emits. */
export function normaliseRouteTable(table: RouteTable, account: string, region: string): Resource {
  const id = table.RouteTableId as string;
  return {
    id: `arn:aws:ec2:${region}:${table.OwnerId ?? account}:route-table/${id}`,
    type: 'AWS::EC2::RouteTable',
    name: nameTag(table.Tags) ?? id,
    region,
    routeTableId: id,
    vpcId: table.VpcId ?? null,
    routes: (table.Routes ?? []).map(normaliseRoute),
  };
}

/** EC2 DescribeRouteTables: every route table with its routes, including VPC peering routes (CIS 5.5). */
export const routeTables: Collector = {
  id: 'ec2.route-tables',
  version: '1',
  title: 'VPC route tables and their routes',
  scope: 'region',
  permissions: ['ec2:DescribeRouteTables'],
  resourceSchema: resourceShape(
    'AWS::EC2::RouteTable',
    {
      routeTableId: s.string,
      vpcId: s.nullable(s.string),
      routes: s.array(
        s.object({
          destinationCidrBlock: s.nullable(s.string),
          destinationIpv6CidrBlock: s.nullable(s.string),
          destinationPrefixListId: s.nullable(s.string),
          vpcPeeringConnectionId: s.nullable(s.string),
          gatewayId: s.nullable(s.string),
          state: s.nullable(s.string),
        }),
      ),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EC2Client);
    const { items, pages } = await collectPages(paginateDescribeRouteTables({ client, pageSize: 100 }, {}), (p) => p.RouteTables);
    const resources = items.filter((x) => x.RouteTableId).map((x) => normaliseRouteTable(x, ctx.account, ctx.region));
    return { raw: { DescribeRouteTables: pages.map(stripMetadata) }, resources };
  },
};
