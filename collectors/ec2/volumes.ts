import { EC2Client, paginateDescribeVolumes, type Volume } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { ec2Arn, nameTag } from './arn.js';
import { resourceShape, s } from '../resource-schema.js';

export function normaliseVolume(volume: Volume, account: string, region: string): Resource {
  const attachments = (volume.Attachments ?? []).map((a) => ({ instanceId: a.InstanceId ?? null, device: a.Device ?? null, state: a.State ?? null }));
  return {
    id: ec2Arn(region, account, 'volume', volume.VolumeId as string),
    type: 'AWS::EC2::Volume',
    name: nameTag(volume.Tags) ?? volume.VolumeId,
    region,
    volumeId: volume.VolumeId,
    state: volume.State ?? null,
    volumeType: volume.VolumeType ?? null,
    size: volume.Size ?? null,
    encrypted: volume.Encrypted === true,
    kmsKeyId: volume.KmsKeyId ?? null,
    attachments,
    // EC2.3 judges attached volumes only; "attached" is the settled state of an attachment.
    attached: attachments.some((a) => a.state === 'attached'),
  };
}

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
    return {
      raw: { DescribeVolumes: pages.map((p) => stripMetadata(p)) },
      resources: items.filter((v) => v.VolumeId).map((v) => normaliseVolume(v, ctx.account, ctx.region)),
    };
  },
};
