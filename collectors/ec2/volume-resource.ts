import type { Volume } from '@aws-sdk/client-ec2';
import type { Resource } from '../../src/core/types.js';
import { ec2Arn, nameTag } from './arn.js';

/** An EBS volume as DescribeVolumes returns it → the resource ec2.volumes emits (shared with volume-config-item.ts). */
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
