import { EC2Client, paginateDescribeInstances, type Instance } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { ec2Arn, nameTag } from './arn.js';
import { resourceShape, s } from '../resource-schema.js';

export function normaliseInstance(instance: Instance, account: string, region: string): Resource {
  // Groups are listed on the instance and on each network interface; either may be the complete list.
  const groups = new Set<string>();
  for (const g of instance.SecurityGroups ?? []) if (g.GroupId) groups.add(g.GroupId);
  for (const eni of instance.NetworkInterfaces ?? []) for (const g of eni.Groups ?? []) if (g.GroupId) groups.add(g.GroupId);
  const metadata = instance.MetadataOptions;
  return {
    id: ec2Arn(region, account, 'instance', instance.InstanceId as string),
    type: 'AWS::EC2::Instance',
    name: nameTag(instance.Tags) ?? instance.InstanceId,
    region,
    instanceId: instance.InstanceId,
    state: instance.State?.Name ?? null,
    instanceType: instance.InstanceType ?? null,
    imageId: instance.ImageId ?? null,
    vpcId: instance.VpcId ?? null,
    subnetId: instance.SubnetId ?? null,
    launchTime: instance.LaunchTime ? instance.LaunchTime.toISOString() : null,
    publicIp: instance.PublicIpAddress ?? null,
    metadataOptions: {
      // "required" = IMDSv2 only; "optional" also answers IMDSv1 requests.
      httpTokens: metadata?.HttpTokens ?? null,
      httpEndpoint: metadata?.HttpEndpoint ?? null,
      httpPutResponseHopLimit: metadata?.HttpPutResponseHopLimit ?? null,
    },
    securityGroups: [...groups].sort(),
  };
}

/** EC2 DescribeInstances: every instance with its state, instance metadata options and security groups. */
export const instances: Collector = {
  id: 'ec2.instances',
  version: '1',
  title: 'EC2 instances',
  scope: 'region',
  permissions: ['ec2:DescribeInstances'],
  resourceSchema: resourceShape(
    'AWS::EC2::Instance',
    {
      instanceId: s.string,
      state: s.nullable(s.string),
      instanceType: s.nullable(s.string),
      imageId: s.nullable(s.string),
      vpcId: s.nullable(s.string),
      subnetId: s.nullable(s.string),
      launchTime: s.nullable(s.string),
      publicIp: s.nullable(s.string),
      metadataOptions: s.object({ httpTokens: s.nullable(s.string), httpEndpoint: s.nullable(s.string), httpPutResponseHopLimit: s.nullable(s.integer) }),
      securityGroups: s.array(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EC2Client);
    const { items, pages } = await collectPages(paginateDescribeInstances({ client, pageSize: 1000 }, {}), (p) =>
      (p.Reservations ?? []).flatMap((r) => r.Instances ?? []),
    );
    return {
      raw: { DescribeInstances: pages.map((p) => stripMetadata(p)) },
      resources: items.filter((i) => i.InstanceId).map((i) => normaliseInstance(i, ctx.account, ctx.region)),
    };
  },
};
