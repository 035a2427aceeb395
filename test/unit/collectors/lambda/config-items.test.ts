/** lambda Config item normaliser (issue 11). moto gap: moto serves no AWS::Lambda::Function items. */
import { describe, expect, it } from 'vitest';
import { functionFromConfig } from '../../../../collectors/lambda/function-config-item.js';
import { normaliseFunction } from '../../../../collectors/lambda/functions.js';
import { REGION, configItem, expectHostileSafe, without } from '../config/config-item-helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:api';
// The fields read live: the environment, which items never carry, and the VPC id (issue 12).
const ENVIRONMENT = ['environmentVariableNames', 'environmentVariables', 'secretLookingVariables', 'vpcId'];
// Shape: aws-config-resource-schema AWS::Lambda::Function (`kmskeyArn` casing); aws-config-rdk AWS_Lambda_Function.json.
const ITEM = configItem('AWS::Lambda::Function', 'api', {
  functionName: 'api',
  functionArn: ARN,
  runtime: 'nodejs20.x',
  role: 'arn:aws:iam::123456789012:role/api',
  handler: 'index.handler',
  packageType: 'Zip',
  kmskeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k1',
  state: { value: 'Active' },
});
const LIVE = normaliseFunction(
  { FunctionName: 'api', FunctionArn: ARN, Runtime: 'nodejs20.x', Role: 'arn:aws:iam::123456789012:role/api', PackageType: 'Zip', KMSKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k1', Environment: { Variables: { DB_PASSWORD: 'hunter2hunter2' } } },
  REGION,
);

describe('lambda Config item normaliser', () => {
  it('gives the live resource but for the environment variables, which items never carry', () => {
    expect(functionFromConfig(ITEM)).toEqual({ resource: without(LIVE, ENVIRONMENT), missing: ENVIRONMENT });
  });

  it('no key (null) is no CMK; an odd key is missing with its verdict; hostile items never throw', () => {
    const config = ITEM.configuration as Record<string, unknown>;
    expect(functionFromConfig({ ...ITEM, configuration: { ...config, kmskeyArn: null } })?.resource).toMatchObject({ kmsKeyArn: null, environmentEncryptedWithCmk: false });
    expect(functionFromConfig({ ...ITEM, configuration: { ...config, kmskeyArn: 5 } })?.missing).toEqual(['environmentEncryptedWithCmk', ...ENVIRONMENT, 'kmsKeyArn'].sort());
    expectHostileSafe(functionFromConfig, ITEM);
  });
});
