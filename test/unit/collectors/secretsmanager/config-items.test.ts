/** secretsmanager Config item normaliser (issue 11). moto gap: moto serves no AWS::SecretsManager::Secret items. */
import { describe, expect, it } from 'vitest';
import { secretFromConfig } from '../../../../collectors/secretsmanager/secret-config-item.js';
import { normaliseSecret } from '../../../../collectors/secretsmanager/secrets.js';
import { REGION, configItem, expectHostileSafe, without } from '../config/config-item-helpers.js';

const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-pass-AbCdEf';
const NOT_IN_ITEM = ['createdDate', 'lastAccessedDate', 'lastChangedDate', 'lastRotatedDate', 'nextRotationDate', 'owningService', 'primaryRegion'];
// Shape: aws-config-resource-schema AWS::SecretsManager::Secret (PascalCase; RotationRules names per the schema, unverified).
const ITEM = configItem('AWS::SecretsManager::Secret', ARN, {
  ARN,
  Name: 'db-pass',
  Description: 'orders db',
  KMSKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1',
  RotationEnabled: true,
  RotationLambdaARN: 'arn:aws:lambda:us-east-1:123456789012:function:rotate',
  RotationOccurringAsScheduled: true,
  Deleted: false,
  RotationRules: { AutomaticallyAfterDays: 30, RotationDuration: '2h' },
});
const LIVE = normaliseSecret(
  {
    ARN,
    Name: 'db-pass',
    KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1',
    RotationEnabled: true,
    RotationLambdaARN: 'arn:aws:lambda:us-east-1:123456789012:function:rotate',
    RotationRules: { AutomaticallyAfterDays: 30, Duration: '2h' },
    CreatedDate: new Date('2026-01-01T00:00:00Z'),
    LastChangedDate: new Date('2026-02-01T00:00:00Z'),
  },
  REGION,
);

describe('secretsmanager Config item normaliser', () => {
  it('gives the live resource but for the dates and ownership fields, which are read live', () => {
    expect(secretFromConfig(ITEM)).toEqual({ resource: without(LIVE, NOT_IN_ITEM), missing: NOT_IN_ITEM });
  });

  it('API-style rule names are read too; odd rules are missing', () => {
    const config = ITEM.configuration as Record<string, unknown>;
    expect(secretFromConfig({ ...ITEM, configuration: { ...config, RotationRules: { AutomaticallyAfterDays: 30, Duration: '2h' } } })?.resource).toEqual(without(LIVE, NOT_IN_ITEM));
    expect(secretFromConfig({ ...ITEM, configuration: { ...config, RotationRules: { AutomaticallyAfterDays: 'thirty' } } })?.missing).toContain('rotationRules');
    expectHostileSafe(secretFromConfig, ITEM);
  });
});
