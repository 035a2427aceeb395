/**
 * AWS::Lambda::Function configuration item → the resource lambda.functions emits (issue 11).
 *
 * Item shape (awslabs/aws-config-resource-schema `AWS::Lambda::Function.properties.json`; rdk example_ci
 * AWS_Lambda_Function.json): `configuration` has functionName, functionArn, runtime, role, handler, packageType,
 * `kmskeyArn` (that casing in the schema; `kmsKeyArn` and `kMSKeyArn` are accepted too), vpcConfig, state.value …
 * Environment variables are never in an item (awslabs/aws-config-resource-schema#53), so the three variable fields
 * are always read live (ListFunctions, which the secret detector needs the values of).
 */
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { ConfigItem, Resource } from '../../src/core/types.js';
import { Missing, obj, placement, text, textOrNull } from '../config/fields-config-item.js';
import { normaliseFunction } from './function-resource.js';

const ENVIRONMENT = ['environmentVariables', 'environmentVariableNames', 'secretLookingVariables'];

/** The function an item describes and the fields it could not fill; undefined when it does not identify one. */
export function functionFromConfig(item: ConfigItem): { resource: Resource; missing: string[] } | undefined {
  const c = obj(item.configuration);
  const where = placement(item);
  const arn = text(c?.functionArn);
  const name = text(c?.functionName, 256);
  if (!c || !where || !arn?.startsWith('arn:') || !name || name !== item.resourceId) return undefined;
  const missing = new Missing();
  missing.add(...ENVIRONMENT);
  // The item's vpcConfig names subnets and security groups but no VPC id: vpcId is read live (issue 12).
  missing.add('vpcId');
  const kmsRaw = 'kmskeyArn' in c ? c.kmskeyArn : 'kmsKeyArn' in c ? c.kmsKeyArn : c.kMSKeyArn;
  const fn: FunctionConfiguration = {
    FunctionArn: arn,
    FunctionName: name,
    Runtime: (missing.need(textOrNull(c.runtime, 64), 'runtime') ?? undefined) as FunctionConfiguration['Runtime'],
    PackageType: (missing.need(textOrNull(c.packageType, 64), 'packageType') ?? undefined) as FunctionConfiguration['PackageType'],
    Role: missing.need(textOrNull(c.role), 'role') ?? undefined,
    KMSKeyArn: missing.need(textOrNull(kmsRaw), 'kmsKeyArn', 'environmentEncryptedWithCmk') ?? undefined,
  };
  return missing.apply(normaliseFunction(fn, where.region));
}
