/**
 * AWS::KMS::Key configuration item → the resource kms.keys emits (issue 11).
 *
 * Item shape (awslabs/aws-config-resource-schema `AWS::KMS::Key.properties.json`; rdk example_ci AWS_KMS_Key.json):
 * `configuration = {keyId, arn, awsaccountId, creationDate (epoch ms), enabled, description, keyUsage, keyState,
 * origin, keyManager, customerMasterKeySpec, keySpec, encryptionAlgorithms, multiRegion, …}`;
 * `supplementaryConfiguration = {KeyRotationStatus: "true"|"false" (decoded to a boolean), Policy}`. There are no
 * aliases and no RotationPeriodInDays: aliases (and the name taken from them) and the rotation period are read live.
 */
import type { KeyMetadata } from '@aws-sdk/client-kms';
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { bool, Missing, obj, placement, text, textOrNull } from '../config/fields-config-item.js';
import { canRotateAutomatically, keyResource } from './key-resource.js';

/** KeyRotationStatus: the API's string map holds "true"/"false", which decodes to a boolean; either form is read. */
function rotationStatus(value: unknown): boolean | undefined {
  return value === 'true' ? true : value === 'false' ? false : bool(value);
}

/** The key an item describes and the fields it could not fill; undefined when it does not identify one. */
export function keyFromConfig(item: ConfigItem): { resource: Resource; missing: string[] } | undefined {
  const c = obj(item.configuration);
  const where = placement(item);
  const keyId = text(c?.keyId, 256);
  const arn = text(c?.arn);
  if (!c || !where || !keyId || keyId !== item.resourceId || !arn?.startsWith('arn:')) return undefined;
  const missing = new Missing();
  missing.add('aliases', 'name');
  const enumField = (value: unknown, field: string): string | undefined => missing.need(textOrNull(value, 64), field) ?? undefined;
  const description = missing.need(textOrNull(c.description, 8192), 'description');
  const keyManager = enumField(c.keyManager, 'keyManager');
  const keyState = enumField(c.keyState, 'keyState');
  // keySpec replaced customerMasterKeySpec (same values); older items have only the latter.
  const keySpec = enumField(c.keySpec !== undefined ? c.keySpec : c.customerMasterKeySpec, 'keySpec');
  const keyUsage = enumField(c.keyUsage, 'keyUsage');
  const origin = enumField(c.origin, 'origin');
  const multiRegion = missing.need(bool(c.multiRegion), 'multiRegion');
  const meta: KeyMetadata = {
    KeyId: keyId,
    Arn: arn,
    Description: description ?? undefined,
    KeyManager: keyManager as KeyMetadata['KeyManager'],
    KeyState: keyState as KeyMetadata['KeyState'],
    KeySpec: keySpec as KeyMetadata['KeySpec'],
    KeyUsage: keyUsage as KeyMetadata['KeyUsage'],
    Origin: origin as KeyMetadata['Origin'],
    MultiRegion: multiRegion,
  };
  // Applicability needs every field canRotateAutomatically reads; the verdict needs KeyRotationStatus.
  const known = ['keyManager', 'keyState', 'keySpec', 'keyUsage', 'origin'].every((f) => !missing.has(f));
  const rotationApplicable = known && canRotateAutomatically(meta);
  let rotationEnabled: boolean | null = null;
  if (!known) missing.add('rotationApplicable', 'rotationEnabled', 'rotationPeriodInDays');
  else if (rotationApplicable) {
    rotationEnabled = missing.need(rotationStatus(obj(item.supplementaryConfiguration)?.KeyRotationStatus), 'rotationEnabled') ?? null;
    missing.add('rotationPeriodInDays');
  }
  return missing.apply(keyResource(meta, { keyId, keyArn: arn, aliases: [], region: where.region }, { rotationApplicable, rotationEnabled, rotationPeriodInDays: null }));
}
