import { LambdaClient, paginateListFunctions, type ListFunctionsCommandOutput } from '@aws-sdk/client-lambda';
import { REDACTED } from '../../src/collect/redact.js';
import { collectPages, stripMetadata, type Collector } from '../types.js';
import { resourceShape, s } from '../resource-schema.js';
import { normaliseFunction } from './function-resource.js';
import { functionFromConfig } from './function-config-item.js';
import { preferConfigItems } from '../config/prefer-items.js';
export { normaliseFunction };

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
    const live = listed.items.map((fn) => normaliseFunction(fn, ctx.region));
    // The live listing is authoritative; under --source config, items stand in for what they hold (see prefer-items.ts).
    const preferred = await preferConfigItems(ctx, 'AWS::Lambda::Function', live, (_r, i) => [listed.items[i]?.FunctionName], functionFromConfig);
    return { raw: { ListFunctions: listed.pages.map((page) => redactEnvironment(stripMetadata(page))), ...preferred.raw }, resources: preferred.resources };
  },
};

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
