import { EC2Client, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { normaliseInstance } from './instance-resource.js';
import { instanceFromConfig } from './instance-config-item.js';
import { preferConfigItems } from '../config/prefer-items.js';
export { normaliseInstance };

/** EC2 DescribeInstances: every instance with its state, instance metadata options and security groups. */
export const instances: Collector = {
  id: 'ec2.instances',
  version: '2',
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
      iamInstanceProfile: s.nullable(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EC2Client);
    const { items, pages } = await collectPages(paginateDescribeInstances({ client, pageSize: 1000 }, {}), (p) =>
      (p.Reservations ?? []).flatMap((r) => r.Instances ?? []),
    );
    const live = items.filter((i) => i.InstanceId).map((i) => normaliseInstance(i, ctx.account, ctx.region));
    // The live listing is authoritative; under --source config, items stand in for what they hold (see prefer-items.ts).
    const preferred = await preferConfigItems(ctx, 'AWS::EC2::Instance', live, (r) => [r.instanceId as string], instanceFromConfig);
    return { raw: { DescribeInstances: pages.map((p) => stripMetadata(p)), ...preferred.raw }, resources: preferred.resources };
  },
};
