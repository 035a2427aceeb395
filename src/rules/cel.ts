import { Environment } from '@marcbachmann/cel-js';
import { EvaluationBudget } from './budget.js';
import { celFunctions } from './functions/index.js';
import { installMetering, underRoot, withBudget } from './metering.js';

/** Variables every rule expression sees. */
export const RULE_VARIABLES = ['r', 'evidence', 'params', 'account', 'region', 'now'] as const;

/**
 * Evaluates a rule expression. Every evaluation is metered: `budget` is shared by the expressions judged for one
 * resource (applies, pass, message); without one, the evaluation gets a fresh default budget of its own. Running
 * out throws BudgetExceededError, which the judge reports as ERROR for that resource.
 */
export type CompiledExpression = (context: Record<string, unknown>, budget?: EvaluationBudget) => unknown;

let shared: Environment | undefined;

/** The one CEL environment for rules: declared variables (all dyn) and the registered auditpack functions. */
export function ruleEnvironment(): Environment {
  if (shared) return shared;
  const env = new Environment({ unlistedVariablesAreDyn: false, homogeneousAggregateLiterals: false });
  for (const name of RULE_VARIABLES) env.registerVariable(name, 'dyn');
  for (const fn of celFunctions) env.registerFunction(fn.signature, fn.handler as (...args: unknown[]) => unknown, { description: fn.description });
  installMetering(env);
  shared = env;
  return env;
}

/** Parse and type-check; throws with CEL's message (which points at the column) on a syntax or type error. */
export function compileExpression(source: string): CompiledExpression {
  const env = ruleEnvironment();
  const parsed = env.parse(source);
  const check = env.check(source);
  if (!check.valid) throw check.error ?? new Error('expression does not type-check');
  return (context, budget = new EvaluationBudget()) => withBudget(budget, () => underRoot(parsed.ast, () => parsed(context)));
}
