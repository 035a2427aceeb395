import { GetPolicyCommand, LambdaClient, paginateListFunctions, type ListFunctionsCommandOutput } from '@aws-sdk/client-lambda';
import { COLLECTION_ERRORS, type Resource } from '../../src/core/types.js';
import { ResourceCalls } from '../../src/collect/resource-calls.js';
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
  permissions: ['lambda:ListFunctions', 'lambda:GetPolicy'],
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
      policy: s.json,
      vpcId: s.nullable(s.string),
    }, { region: true },
  ),
  async collect(ctx) {
    const client = ctx.clients.get(LambdaClient);
    const listed = await collectPages(paginateListFunctions({ client, pageSize: 50 }, {}), (p) => p.Functions);
    const live = listed.items.map((fn) => normaliseFunction(fn, ctx.region));
    // The live listing is authoritative; under --source config, items stand in for what they hold (see prefer-items.ts).
    const preferred = await preferConfigItems(ctx, 'AWS::Lambda::Function', live, (_r, i) => [listed.items[i]?.FunctionName], functionFromConfig);
    // Lambda.1 (issue 12): each function's resource-based policy, per function (no policy = null).
    const withPolicies = await ctx.map(preferred.resources, (r) => withPolicy(client, r));
    const raw: Record<string, unknown> = { ListFunctions: listed.pages.map((page) => redactEnvironment(stripMetadata(page))), ...preferred.raw };
    for (const w of withPolicies) Object.assign(raw, w.raw);
    return { raw, resources: withPolicies.map((w) => w.resource) };
  },
};

/** The function with its resource-based policy (parsed; null when it has none); a refused GetPolicy leaves out only `policy`. */
async function withPolicy(client: LambdaClient, fn: Resource): Promise<{ resource: Resource; raw: Record<string, unknown> }> {
  const calls = new ResourceCalls();
  const answer = await calls.call(`GetPolicy:${fn.name}`, ['policy'], () => client.send(new GetPolicyCommand({ FunctionName: fn.name })), ['ResourceNotFoundException']);
  const { [COLLECTION_ERRORS]: earlier, ...rest } = fn;
  const built = calls.resource<Resource>({ ...rest, policy: parsePolicy(answer.ok ? answer.value?.Policy : undefined) } as Resource);
  const errors = [...(earlier ?? []), ...(built[COLLECTION_ERRORS] ?? [])];
  return { resource: errors.length > 0 ? { ...built, [COLLECTION_ERRORS]: errors } : built, raw: calls.raw };
}

/** A policy document string → its JSON, or null (no policy, or not a JSON object). */
export function parsePolicy(policy: string | undefined): unknown {
  if (!policy) return null;
  try {
    const parsed: unknown = JSON.parse(policy);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
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
