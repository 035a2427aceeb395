import { EC2Client, paginateDescribeVolumes } from '@aws-sdk/client-ec2';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { normaliseVolume } from './volume-resource.js';
import { volumeFromConfig } from './volume-config-item.js';
import { preferConfigItems } from '../config/prefer-items.js';
export { normaliseVolume };

/** EC2 DescribeVolumes: every EBS volume in the region with its encryption and attachments. */
export const volumes: Collector = {
  id: 'ec2.volumes',
  version: '1',
  title: 'EBS volumes',
  scope: 'region',
  permissions: ['ec2:DescribeVolumes'],
  resourceSchema: resourceShape(
    'AWS::EC2::Volume',
    {
      volumeId: s.string,
      state: s.nullable(s.string),
      volumeType: s.nullable(s.string),
      size: s.nullable(s.integer),
      encrypted: s.boolean,
      kmsKeyId: s.nullable(s.string),
      attachments: s.array(s.object({ instanceId: s.nullable(s.string), device: s.nullable(s.string), state: s.nullable(s.string) })),
      attached: s.boolean,
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(EC2Client);
    const { items, pages } = await collectPages(paginateDescribeVolumes({ client, pageSize: 500 }, {}), (p) => p.Volumes);
    const live = items.filter((v) => v.VolumeId).map((v) => normaliseVolume(v, ctx.account, ctx.region));
    // The live listing is authoritative; under --source config, items stand in for what they hold (see prefer-items.ts).
    const preferred = await preferConfigItems(ctx, 'AWS::EC2::Volume', live, (r) => [r.volumeId as string], volumeFromConfig);
    return { raw: { DescribeVolumes: pages.map((p) => stripMetadata(p)), ...preferred.raw }, resources: preferred.resources };
  },
};
