/** kms Config item normaliser (issue 11). moto gap: moto serves no AWS::KMS::Key items. */
import { describe, expect, it } from 'vitest';
import { keyFromConfig } from '../../../../collectors/kms/key-config-item.js';
import { keyResource } from '../../../../collectors/kms/keys.js';
import { REGION, configItem, expectHostileSafe, without } from '../config/config-item-helpers.js';

const ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
// Shape: aws-config-rdk AWS_KMS_Key.json (customer key here); KeyRotationStatus per aws-config-resource-schema.
const ITEM = configItem(
  'AWS::KMS::Key',
  KEY_ID,
  { keyId: KEY_ID, arn: ARN, creationDate: 1621024924302, enabled: true, description: 'app', keyUsage: 'ENCRYPT_DECRYPT', keyState: 'Enabled', origin: 'AWS_KMS', keyManager: 'CUSTOMER', customerMasterKeySpec: 'SYMMETRIC_DEFAULT', keySpec: 'SYMMETRIC_DEFAULT', encryptionAlgorithms: ['SYMMETRIC_DEFAULT'], multiRegion: false, awsaccountId: '123456789012' },
  { supplementaryConfiguration: { KeyRotationStatus: true, Policy: '{}' } },
);
const META = { KeyId: KEY_ID, Arn: ARN, Description: 'app', KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled', Origin: 'AWS_KMS', KeyManager: 'CUSTOMER', KeySpec: 'SYMMETRIC_DEFAULT', MultiRegion: false } as const;
const LIVE = keyResource(META, { keyId: KEY_ID, keyArn: ARN, aliases: ['alias/app'], region: REGION }, { rotationApplicable: true, rotationEnabled: true, rotationPeriodInDays: 365 });

describe('kms Config item normaliser', () => {
  it('gives the live resource; aliases, name and rotation period are read live', () => {
    expect(keyFromConfig(ITEM)).toEqual({ resource: without(LIVE, ['aliases', 'name', 'rotationPeriodInDays']), missing: ['aliases', 'name', 'rotationPeriodInDays'] });
  });

  it('an AWS-managed key (rdk example): rotation not applicable, nothing to read live but aliases', () => {
    const config = { ...(ITEM.configuration as Record<string, unknown>), keyManager: 'AWS' };
    const live = keyResource({ ...META, KeyManager: 'AWS' }, { keyId: KEY_ID, aliases: [], region: REGION }, { rotationApplicable: false, rotationEnabled: null, rotationPeriodInDays: null });
    expect(keyFromConfig({ ...ITEM, configuration: config, supplementaryConfiguration: {} })).toEqual({ resource: without(live, ['aliases', 'name']), missing: ['aliases', 'name'] });
  });

  it('rotation status as the API string; absent status or an unknown key state leaves the rotation fields missing', () => {
    expect(keyFromConfig({ ...ITEM, supplementaryConfiguration: { KeyRotationStatus: 'false' } })?.resource.rotationEnabled).toBe(false);
    expect(keyFromConfig({ ...ITEM, supplementaryConfiguration: {} })?.missing).toEqual(['aliases', 'name', 'rotationEnabled', 'rotationPeriodInDays']);
    const config = { ...(ITEM.configuration as Record<string, unknown>), keyState: 3 };
    expect(keyFromConfig({ ...ITEM, configuration: config })?.missing).toEqual(['aliases', 'keyState', 'name', 'rotationApplicable', 'rotationEnabled', 'rotationPeriodInDays']);
    expectHostileSafe(keyFromConfig, ITEM);
  });
});
