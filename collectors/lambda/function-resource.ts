import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { Resource } from '../../src/core/types.js';
import { detectSecret } from './secret-detector.js';

/** A ListFunctions entry → the resource lambda.functions emits (shared with function-config-item.ts). */
export function normaliseFunction(fn: FunctionConfiguration, region: string): Resource {
  const variables = Object.entries(fn.Environment?.Variables ?? {})
    .map(([name, value]) => ({ name, ...detectSecret(name, value ?? '') }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    id: fn.FunctionArn ?? `function:${fn.FunctionName ?? 'unknown'}`,
    type: 'AWS::Lambda::Function',
    name: fn.FunctionName ?? '',
    region,
    runtime: fn.Runtime ?? null,
    packageType: fn.PackageType ?? null,
    role: fn.Role ?? null,
    kmsKeyArn: fn.KMSKeyArn ?? null,
    environmentEncryptedWithCmk: Boolean(fn.KMSKeyArn),
    environmentVariables: variables,
    environmentVariableNames: variables.map((v) => v.name),
    secretLookingVariables: variables.filter((v) => v.looksSecret).map((v) => v.name),
    // The resource-based policy (Lambda.1): lambda.functions fills it from GetPolicy per function; null = none.
    policy: null,
    // Lambda.3: the VPC the function connects to (AWS answers VpcId "" for none), or null.
    vpcId: fn.VpcConfig?.VpcId || null,
  };
}
