import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListAliases,
  paginateListKeys,
  type KeyListEntry,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import { configItemsRaw } from '../../src/collect/config-source.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { canRotateAutomatically, keyResource } from './key-resource.js';
import { keyFromItem, ROTATION } from './key-from-item.js';
export { canRotateAutomatically, keyResource };

/**
 * The fields DescribeKey fills. Rotation status is asked only when DescribeKey says the key can rotate, so the
 * rotation fields depend on it too: a key that cannot be described has no rotation verdict either.
 */
const DESCRIBED = ['description', 'keyManager', 'keyState', 'keySpec', 'keyUsage', 'origin', 'multiRegion', 'rotationApplicable', 'rotationEnabled', 'rotationPeriodInDays'];

/**
 * One key: DescribeKey, then GetKeyRotationStatus where rotation applies. A key policy may refuse the auditor
 * either call for one key (key policies are authoritative); the key is kept without the fields that call fills.
 */
async function describeKey(client: KMSClient, region: string, key: KeyListEntry, aliases: string[]): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const keyId = key.KeyId as string;
  const described = await calls.call(`DescribeKey:${keyId}`, DESCRIBED, () => client.send(new DescribeKeyCommand({ KeyId: keyId })));
  const meta: KeyMetadata = (described.ok ? described.value?.KeyMetadata : undefined) ?? { KeyId: keyId };
  const rotationApplicable = described.ok && canRotateAutomatically(meta);
  let rotationEnabled: boolean | null = null;
  let rotationPeriodInDays: number | null = null;
  if (rotationApplicable) {
    const rotation = await calls.call(`GetKeyRotationStatus:${keyId}`, ROTATION, () => client.send(new GetKeyRotationStatusCommand({ KeyId: keyId })));
    if (rotation.ok) {
      rotationEnabled = rotation.value?.KeyRotationEnabled === true;
      rotationPeriodInDays = rotation.value?.RotationPeriodInDays ?? null;
    }
  }
  const resource = calls.resource(keyResource(meta, { keyId, keyArn: key.KeyArn, aliases, region }, { rotationApplicable, rotationEnabled, rotationPeriodInDays }));
  return { resource, raw: calls.raw };
}

/**
 * KMS keys with their rotation status. Every key is described (so AWS-managed keys are visible and counted), but
 * rotation is only asked for keys that can rotate automatically: enabled, customer-managed, symmetric
 * ENCRYPT_DECRYPT keys with AWS-generated key material (KMS.4's scope). Others get rotationApplicable false.
 */
export const kmsKeys: Collector = {
  id: 'kms.keys',
  version: '1',
  title: 'KMS keys and automatic rotation',
  scope: 'region',
  permissions: ['kms:ListKeys', 'kms:ListAliases', 'kms:DescribeKey', 'kms:GetKeyRotationStatus'],
  resourceSchema: resourceShape(
    'AWS::KMS::Key',
    {
      keyId: s.string,
      aliases: s.array(s.string),
      description: s.string,
      keyManager: s.nullable(s.string),
      keyState: s.nullable(s.string),
      keySpec: s.nullable(s.string),
      keyUsage: s.nullable(s.string),
      origin: s.nullable(s.string),
      multiRegion: s.boolean,
      rotationApplicable: s.boolean,
      rotationEnabled: s.nullable(s.boolean),
      rotationPeriodInDays: s.nullable(s.integer),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(KMSClient);
    const keys = await collectPages(paginateListKeys({ client, pageSize: 1000 }, {}), (p) => p.Keys);
    const aliases = await collectPages(paginateListAliases({ client, pageSize: 100 }, {}), (p) => p.Aliases);

    const aliasesByKey = new Map<string, string[]>();
    for (const alias of aliases.items) {
      if (!alias.TargetKeyId || !alias.AliasName) continue;
      aliasesByKey.set(alias.TargetKeyId, [...(aliasesByKey.get(alias.TargetKeyId) ?? []), alias.AliasName]);
    }

    const listed = keys.items.filter((k) => k.KeyId).sort((a, b) => (a.KeyId as string).localeCompare(b.KeyId as string));
    // ListKeys stays authoritative. Under auto and config alike, a key's Config item stands in for DescribeKey
    // (one call saved per key); a key without a usable item is described live, as without Config.
    const items = ctx.config && listed.length ? await ctx.config.items('AWS::KMS::Key', listed.map((k) => k.KeyId as string)) : undefined;
    const used: ConfigItem[] = [];
    const described = await ctx.map(listed, async (key) => {
      const keyAliases = (aliasesByKey.get(key.KeyId as string) ?? []).sort();
      const item = items?.get(key.KeyId as string);
      const fromItem = item ? await keyFromItem(client, key, keyAliases, item) : undefined;
      if (fromItem && item) used.push(item);
      return fromItem ?? describeKey(client, ctx.region, key, keyAliases);
    });
    // Merged in key-id order so the evidence is byte-stable whatever order the calls finished in.
    const raw: Record<string, unknown> = { ListKeys: keys.pages.map(stripMetadata), ListAliases: aliases.pages.map(stripMetadata), ...configItemsRaw(used) };
    for (const d of described) Object.assign(raw, d.raw);
    const resources = described.map((d) => d.resource).sort((a, b) => a.id.localeCompare(b.id));
    return { raw, resources };
  },
};

