import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  paginateListAliases,
  paginateListKeys,
  type KeyMetadata,
} from '@aws-sdk/client-kms';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';

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
    const raw: Record<string, unknown> = { ListKeys: keys.pages.map(stripMetadata), ListAliases: aliases.pages.map(stripMetadata) };

    const aliasesByKey = new Map<string, string[]>();
    for (const alias of aliases.items) {
      if (!alias.TargetKeyId || !alias.AliasName) continue;
      aliasesByKey.set(alias.TargetKeyId, [...(aliasesByKey.get(alias.TargetKeyId) ?? []), alias.AliasName]);
    }

    const resources = await ctx.map(keys.items, async (key): Promise<Resource> => {
      const keyId = key.KeyId as string;
      const described = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
      raw[`DescribeKey:${keyId}`] = stripMetadata(described);
      const meta: KeyMetadata = described.KeyMetadata ?? { KeyId: keyId };
      const rotationApplicable = canRotateAutomatically(meta);
      let rotationEnabled: boolean | null = null;
      let rotationPeriodInDays: number | null = null;
      if (rotationApplicable) {
        const rotation = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
        raw[`GetKeyRotationStatus:${keyId}`] = stripMetadata(rotation);
        rotationEnabled = rotation.KeyRotationEnabled === true;
        rotationPeriodInDays = rotation.RotationPeriodInDays ?? null;
      }
      const keyAliases = (aliasesByKey.get(keyId) ?? []).sort();
      return {
        id: meta.Arn ?? key.KeyArn ?? keyId,
        type: 'AWS::KMS::Key',
        name: keyAliases[0] ?? keyId,
        region: ctx.region,
        keyId,
        aliases: keyAliases,
        description: meta.Description ?? '',
        keyManager: meta.KeyManager ?? null,
        keyState: meta.KeyState ?? null,
        keySpec: meta.KeySpec ?? null,
        keyUsage: meta.KeyUsage ?? null,
        origin: meta.Origin ?? null,
        multiRegion: meta.MultiRegion === true,
        rotationApplicable,
        rotationEnabled,
        rotationPeriodInDays,
      };
    });
    resources.sort((a, b) => a.id.localeCompare(b.id));
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
