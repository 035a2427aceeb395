import { EC2Client, paginateDescribeTransitGateways, type TransitGateway } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { nameTag } from './arn.js';

/** A transit gateway as DescribeTransitGateways returns it → the resource ec2.transit-gateways emits. */
export function normaliseTransitGateway(tgw: TransitGateway, account: string, region: string): Resource {
  const id = tgw.TransitGatewayId as string;
  return {
    id: tgw.TransitGatewayArn ?? `arn:aws:ec2:${region}:${tgw.OwnerId ?? account}:transit-gateway/${id}`,
    type: 'AWS::EC2::TransitGateway',
    name: nameTag(tgw.Tags) ?? id,
    region,
    transitGatewayId: id,
    state: tgw.State ?? null,
    // "enable" = cross-account attachment requests are accepted without the owner's approval.
    autoAcceptSharedAttachments: tgw.Options?.AutoAcceptSharedAttachments ?? null,
  };
}

/** EC2 DescribeTransitGateways: each transit gateway's attachment acceptance option (EC2.23). */
export const transitGateways: Collector = {
  id: 'ec2.transit-gateways',
  version: '1',
  title: 'EC2 transit gateways',
  scope: 'region',
  permissions: ['ec2:DescribeTransitGateways'],
  resourceSchema: resourceShape(
    'AWS::EC2::TransitGateway',
    {
      transitGatewayId: s.string,
      state: s.nullable(s.string),
      autoAcceptSharedAttachments: s.nullable(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EC2Client);
    const { items, pages } = await collectPages(paginateDescribeTransitGateways({ client, pageSize: 1000 }, {}), (p) => p.TransitGateways);
    const resources = items.filter((x) => x.TransitGatewayId).map((x) => normaliseTransitGateway(x, ctx.account, ctx.region));
    return { raw: { DescribeTransitGateways: pages.map(stripMetadata) }, resources };
  },
};
