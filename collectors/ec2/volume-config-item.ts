/**
 * AWS::EC2::Volume configuration item → the resource ec2.volumes emits (issue 11).
 *
 * Item shape (awslabs/aws-config-resource-schema `AWS::EC2::Volume.properties.json`; rdk example_ci
 * AWS_EC2_Volume.json): `configuration = {volumeId, size, snapshotId, availabilityZone, state, createTime,
 * attachments:[{volumeId, instanceId, device, state, attachTime, deleteOnTermination}], tags:[{key, value}],
 * volumeType, iops, encrypted, kmsKeyId}`. `state` is a string in the 2017 example and `{value}` in the current
 * schema: both are accepted. Item-level tags are stripped by BatchGetResourceConfig, so the Name tag comes from
 * `configuration.tags`; without that list the name is read live.
 */
import type { Tag, Volume, VolumeAttachment } from '@aws-sdk/client-ec2';
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { bool, intOrNull, list, Missing, obj, placement, text, textOrNull } from '../config/fields-config-item.js';
import { normaliseVolume } from './volume-resource.js';

/** `tags:[{key, value}]` as EC2 Tags; undefined when odd. */
export function tagsFromConfig(value: unknown): Tag[] | undefined {
  const items = list(value);
  if (!items) return undefined;
  const tags: Tag[] = [];
  for (const entry of items) {
    const t = obj(entry);
    const key = text(t?.key, 256);
    const v = textOrNull(t?.value ?? null, 512);
    if (key === undefined || v === undefined) return undefined;
    tags.push({ Key: key, Value: v ?? undefined });
  }
  return tags;
}

/** A state written as a string or as `{value}` (or `{name}`), else undefined. */
export function stateFromConfig(value: unknown, key: 'value' | 'name' = 'value'): string | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return text(value, 64);
  const o = obj(value);
  return o ? textOrNull(o[key] ?? o.value ?? null, 64) : undefined;
}

function attachments(value: unknown): VolumeAttachment[] | undefined {
  const items = list(value);
  if (!items) return undefined;
  const out: VolumeAttachment[] = [];
  for (const entry of items) {
    const a = obj(entry);
    const instanceId = textOrNull(a?.instanceId ?? null);
    const device = textOrNull(a?.device ?? null);
    const state = stateFromConfig(a?.state ?? null);
    if (!a || instanceId === undefined || device === undefined || state === undefined) return undefined;
    out.push({ InstanceId: instanceId ?? undefined, Device: device ?? undefined, State: (state ?? undefined) as VolumeAttachment['State'] });
  }
  return out;
}

/** The volume an item describes and the fields it could not fill; undefined when it does not identify a volume. */
export function volumeFromConfig(item: ConfigItem): { resource: Resource; missing: string[] } | undefined {
  const c = obj(item.configuration);
  const where = placement(item);
  const volumeId = text(c?.volumeId, 256);
  if (!c || !where || !volumeId || volumeId !== item.resourceId) return undefined;
  const missing = new Missing();
  const tags = missing.need(tagsFromConfig(c.tags), 'name');
  const state = missing.need(stateFromConfig(c.state), 'state');
  const volumeType = missing.need(textOrNull(c.volumeType, 64), 'volumeType');
  const size = missing.need(intOrNull(c.size), 'size');
  const encrypted = missing.need(bool(c.encrypted), 'encrypted');
  const kmsKeyId = missing.need(textOrNull(c.kmsKeyId), 'kmsKeyId');
  const attached = missing.need(attachments(c.attachments), 'attachments', 'attached');
  const volume: Volume = {
    VolumeId: volumeId,
    Tags: tags,
    State: (state ?? undefined) as Volume['State'],
    VolumeType: (volumeType ?? undefined) as Volume['VolumeType'],
    Size: size ?? undefined,
    Encrypted: encrypted,
    KmsKeyId: kmsKeyId ?? undefined,
    Attachments: attached,
  };
  return missing.apply(normaliseVolume(volume, where.account, where.region));
}
