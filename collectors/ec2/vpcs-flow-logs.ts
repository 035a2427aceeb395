import { EC2Client, paginateDescribeFlowLogs, paginateDescribeVpcs, type FlowLog, type Vpc } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { ec2Arn, nameTag } from './arn.js';
import { resourceShape, s } from '../resource-schema.js';

export function normaliseVpc(vpc: Vpc, flowLogs: FlowLog[], account: string, region: string): Resource {
  return {
    id: ec2Arn(region, account, 'vpc', vpc.VpcId as string),
    type: 'AWS::EC2::VPC',
    name: nameTag(vpc.Tags) ?? vpc.VpcId,
    region,
    vpcId: vpc.VpcId,
    isDefault: vpc.IsDefault === true,
    cidrBlock: vpc.CidrBlock ?? null,
    state: vpc.State ?? null,
    flowLogs: flowLogs
      .filter((f) => f.ResourceId === vpc.VpcId)
      .map((f) => ({
        id: f.FlowLogId ?? null,
        status: f.FlowLogStatus ?? null,
        trafficType: f.TrafficType ?? null,
        destinationType: f.LogDestinationType ?? null,
        destination: f.LogDestination ?? f.LogGroupName ?? null,
        deliverLogsStatus: f.DeliverLogsStatus ?? null,
      })),
  };
}

/** EC2 DescribeVpcs + DescribeFlowLogs: each VPC with the flow logs attached to it (EC2.6). */
export const vpcsFlowLogs: Collector = {
  id: 'ec2.vpcs-flow-logs',
  version: '1',
  title: 'VPCs and their flow logs',
  scope: 'region',
  permissions: ['ec2:DescribeVpcs', 'ec2:DescribeFlowLogs'],
  resourceSchema: resourceShape(
    'AWS::EC2::VPC',
    {
      vpcId: s.string,
      isDefault: s.boolean,
      cidrBlock: s.nullable(s.string),
      state: s.nullable(s.string),
      flowLogs: s.array(
        s.object({ id: s.nullable(s.string), status: s.nullable(s.string), trafficType: s.nullable(s.string), destinationType: s.nullable(s.string), destination: s.nullable(s.string), deliverLogsStatus: s.nullable(s.string) }),
      ),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EC2Client);
    const vpcs = await collectPages(paginateDescribeVpcs({ client, pageSize: 1000 }, {}), (p) => p.Vpcs);
    const flowLogs = await collectPages(paginateDescribeFlowLogs({ client, pageSize: 1000 }, {}), (p) => p.FlowLogs);
    return {
      raw: { DescribeVpcs: vpcs.pages.map((p) => stripMetadata(p)), DescribeFlowLogs: flowLogs.pages.map((p) => stripMetadata(p)) },
      resources: vpcs.items.filter((v) => v.VpcId).map((v) => normaliseVpc(v, flowLogs.items, ctx.account, ctx.region)),
    };
  },
};
