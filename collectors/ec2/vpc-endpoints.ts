import { EC2Client, paginateDescribeVpcEndpoints, type VpcEndpoint } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { nameTag } from './arn.js';

/** A VPC endpoint as DescribeVpcEndpoints returns it → the resource ec2.vpc-endpoints emits (its policy is not kept here). */
export function normaliseVpcEndpoint(endpoint: VpcEndpoint, account: string, region: string): Resource {
  const id = endpoint.VpcEndpointId as string;
  return {
    id: `arn:aws:ec2:${region}:${endpoint.OwnerId ?? account}:vpc-endpoint/${id}`,
    type: 'AWS::EC2::VPCEndpoint',
    name: nameTag(endpoint.Tags) ?? id,
    region,
    vpcEndpointId: id,
    vpcId: endpoint.VpcId ?? null,
    serviceName: endpoint.ServiceName ?? null,
    endpointType: endpoint.VpcEndpointType ?? null,
    // The API answers lowercase ("available"), the SDK's enum is capitalised: kept lowercase either way.
    state: endpoint.State ? endpoint.State.toLowerCase() : null,
  };
}

/** EC2 DescribeVpcEndpoints: which AWS services each VPC reaches privately (EC2.10). */
export const vpcEndpoints: Collector = {
  id: 'ec2.vpc-endpoints',
  version: '1',
  title: 'VPC endpoints',
  scope: 'region',
  permissions: ['ec2:DescribeVpcEndpoints'],
  resourceSchema: resourceShape(
    'AWS::EC2::VPCEndpoint',
    {
      vpcEndpointId: s.string,
      vpcId: s.nullable(s.string),
      serviceName: s.nullable(s.string),
      endpointType: s.nullable(s.string),
      state: s.nullable(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EC2Client);
    const { items, pages } = await collectPages(paginateDescribeVpcEndpoints({ client, pageSize: 1000 }, {}), (p) => p.VpcEndpoints);
    const resources = items.filter((e) => e.VpcEndpointId).map((e) => normaliseVpcEndpoint(e, ctx.account, ctx.region));
    return { raw: { DescribeVpcEndpoints: pages.map(stripMetadata) }, resources };
  },
};
