import { Environment } from '@marcbachmann/cel-js';
import { celFunctions } from './functions/index.js';

/** Variables every rule expression sees. */
export const RULE_VARIABLES = ['r', 'evidence', 'params', 'account', 'region', 'now'] as const;

export type CompiledExpression = (context: Record<string, unknown>) => unknown;

let shared: Environment | undefined;

/** The one CEL environment for rules: declared variables (all dyn) and the registered auditpack functions. */
export function ruleEnvironment(): Environment {
  if (shared) return shared;
  const env = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false });
  for (const name of RULE_VARIABLES) env.registerVariable(name, 'dyn');
  for (const fn of celFunctions) env.registerFunction(fn.signature, fn.handler as (...args: unknown[]) => unknown, { description: fn.description });
  shared = env;
  return env;
}

/** Parse and type-check; throws with CEL's message (which points at the column) on a syntax or type error. */
export function compileExpression(source: string): CompiledExpression {
  const env = ruleEnvironment();
  const parsed = env.parse(source);
  const check = env.check(source);
  if (!check.valid) throw check.error ?? new Error('expression does not type-check');
  return (context) => parsed(context);
}
