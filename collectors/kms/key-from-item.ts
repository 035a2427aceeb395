/**
 * One KMS key from its Config item (issue 11), in both `--source auto` and `config`: the item stands in for
 * DescribeKey, so that call is not made. What the item lacks is read live for that key only: aliases and the name
 * from the ListAliases answer the collector already has, the rotation period (and the rotation status if the item
 * has none) through GetKeyRotationStatus, with the same per-field error behaviour as the live path.
 */
import { GetKeyRotationStatusCommand, type KeyListEntry, type KMSClient } from '@aws-sdk/client-kms';
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
import { mergeLive } from '../config/prefer-items.js';
import { keyFromConfig } from './key-config-item.js';
import { keyResource } from './key-resource.js';

/** The fields GetKeyRotationStatus fills. */
export const ROTATION = ['rotationEnabled', 'rotationPeriodInDays'];
/** Fields read live from the collector's ListAliases answer (no per-key call). */
const FROM_ALIASES = new Set(['aliases', 'name']);
/** The resource's fields in keyResource's order, so a key from an item reads like a key described live. */
const KEY_ORDER = Object.keys(keyResource({ KeyId: '' }, { keyId: '', aliases: [], region: '' }, { rotationApplicable: false, rotationEnabled: null, rotationPeriodInDays: null }));

/**
 * The key from `item`, or undefined when the item does not map onto this key or lacks a field only DescribeKey
 * gives (then the key is described live, as without Config).
 */
export async function keyFromItem(client: KMSClient, key: KeyListEntry, aliases: string[], item: ConfigItem): Promise<{ resource: Resource; raw: Record<string, unknown> } | undefined> {
  const keyId = key.KeyId as string;
  let mapped: ReturnType<typeof keyFromConfig>;
  try {
    mapped = keyFromConfig(item);
  } catch {
    return undefined;
  }
  if (!mapped || mapped.resource.keyId !== keyId || (key.KeyArn !== undefined && mapped.resource.id !== key.KeyArn)) return undefined;
  const { resource, missing } = mapped;
  if (missing.some((f) => !FROM_ALIASES.has(f) && !ROTATION.includes(f))) return undefined;
  const calls = new ResourceCalls();
  const live: Record<string, unknown> = { id: resource.id, type: resource.type, aliases, name: aliases[0] ?? keyId };
  const rotationFields = ROTATION.filter((f) => missing.includes(f));
  if (rotationFields.length > 0 && resource.rotationApplicable === true) {
    const rotation = await calls.call(`GetKeyRotationStatus:${keyId}`, rotationFields, () => client.send(new GetKeyRotationStatusCommand({ KeyId: keyId })));
    if (rotation.ok) {
      live.rotationEnabled = rotation.value?.KeyRotationEnabled === true;
      live.rotationPeriodInDays = rotation.value?.RotationPeriodInDays ?? null;
    }
  }
  const merged = mergeLive(resource, missing, calls.resource(live as Resource), item);
  return { resource: ordered(merged), raw: calls.raw };
}

function ordered(resource: Resource): Resource {
  const out: Record<string, unknown> = {};
  for (const key of [...KEY_ORDER, ...Object.keys(resource)]) if (key in resource && !(key in out)) out[key] = resource[key];
  return out as Resource;
}
