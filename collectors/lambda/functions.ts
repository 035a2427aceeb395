import { LambdaClient, paginateListFunctions, type FunctionConfiguration, type ListFunctionsCommandOutput } from '@aws-sdk/client-lambda';
import { REDACTED } from '../../src/collect/redact.js';
import type { Resource } from '../../src/core/types.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { detectSecret } from './secret-detector.js';
import { resourceShape, s } from '../resource-schema.js';

/**
 * Lambda functions: runtime, role, and environment variable NAMES with a collection-time "looks secret" verdict.
 * Environment values never reach evidence: they are judged here and replaced by "<redacted>" in the raw pages.
 */
export const lambdaFunctions: Collector = {
  id: 'lambda.functions',
  version: '1',
  title: 'Lambda functions and environment variable hygiene',
  scope: 'region',
  permissions: ['lambda:ListFunctions'],
  resourceSchema: resourceShape(
    'AWS::Lambda::Function',
    {
      runtime: s.nullable(s.string),
      packageType: s.nullable(s.string),
      role: s.nullable(s.string),
      kmsKeyArn: s.nullable(s.string),
      environmentEncryptedWithCmk: s.boolean,
      environmentVariables: s.array(s.object({ name: s.string, looksSecret: s.boolean, reasons: s.array(s.string) })),
      environmentVariableNames: s.array(s.string),
      secretLookingVariables: s.array(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(LambdaClient);
    const listed = await collectPages(paginateListFunctions({ client, pageSize: 50 }, {}), (p) => p.Functions);
    return {
      raw: { ListFunctions: listed.pages.map((page) => redactEnvironment(stripMetadata(page))) },
      resources: listed.items.map((fn) => normaliseFunction(fn, ctx.region)),
    };
  },
};

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
  };
}

/** A copy of a ListFunctions page with every environment value replaced; names are kept. */
export function redactEnvironment(page: Omit<ListFunctionsCommandOutput, '$metadata'>): Omit<ListFunctionsCommandOutput, '$metadata'> {
  return {
    ...page,
    Functions: (page.Functions ?? []).map((fn) => {
      const vars = fn.Environment?.Variables;
      if (!fn.Environment || !vars) return fn;
      return { ...fn, Environment: { ...fn.Environment, Variables: Object.fromEntries(Object.keys(vars).map((k) => [k, REDACTED])) } };
    }),
  };
}
