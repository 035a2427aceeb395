import type { KeyMetadata } from '@aws-sdk/client-kms';
import type { Resource } from '../../src/core/types.js';

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
