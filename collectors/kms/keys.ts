import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListAliases,
  paginateListKeys,
  type KeyListEntry,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import type { Resource } from '../../src/core/types.js';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

/**
 * The fields DescribeKey fills. Rotation status is asked only when DescribeKey says the key can rotate, so the
 * rotation fields depend on it too: a key that cannot be described has no rotation verdict either.
 */
const DESCRIBED = ['description', 'keyManager', 'keyState', 'keySpec', 'keyUsage', 'origin', 'multiRegion', 'rotationApplicable', 'rotationEnabled', 'rotationPeriodInDays'];
const ROTATION = ['rotationEnabled', 'rotationPeriodInDays'];

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

/** One key's resource from DescribeKey's metadata and the rotation answer; shared with key-config-item.ts. */
export function keyResource(
  meta: KeyMetadata,
  key: { keyId: string; keyArn?: string; aliases: string[]; region: string },
  rotation: { rotationApplicable: boolean; rotationEnabled: boolean | null; rotationPeriodInDays: number | null },
): Resource {
  return {
    id: meta.Arn ?? key.keyArn ?? key.keyId,
    type: 'AWS::KMS::Key',
    name: key.aliases[0] ?? key.keyId,
    region: key.region,
    keyId: key.keyId,
    aliases: key.aliases,
    description: meta.Description ?? '',
    keyManager: meta.KeyManager ?? null,
    keyState: meta.KeyState ?? null,
    keySpec: meta.KeySpec ?? null,
    keyUsage: meta.KeyUsage ?? null,
    origin: meta.Origin ?? null,
    multiRegion: meta.MultiRegion === true,
    rotationApplicable: rotation.rotationApplicable,
    rotationEnabled: rotation.rotationEnabled,
    rotationPeriodInDays: rotation.rotationPeriodInDays,
  };
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
    const described = await ctx.map(listed, (key) => describeKey(client, ctx.region, key, (aliasesByKey.get(key.KeyId as string) ?? []).sort()));
    // Merged in key-id order so the evidence is byte-stable whatever order the calls finished in.
    const raw: Record<string, unknown> = { ListKeys: keys.pages.map(stripMetadata), ListAliases: aliases.pages.map(stripMetadata) };
    for (const d of described) Object.assign(raw, d.raw);
    const resources = described.map((d) => d.resource).sort((a, b) => a.id.localeCompare(b.id));
    return { raw, resources };
  },
};

/** Automatic rotation exists only for these keys; asymmetric, HMAC, imported and custom-store keys cannot rotate. */
export function canRotateAutomatically(meta: KeyMetadata): boolean {
  return (
    meta.KeyManager === 'CUSTOMER' &&
    meta.KeyState === 'Enabled' &&
    (meta.KeySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT' &&
    (meta.KeyUsage ?? 'ENCRYPT_DECRYPT') === 'ENCRYPT_DECRYPT' &&
    (meta.Origin ?? 'AWS_KMS') === 'AWS_KMS'
  );
}
