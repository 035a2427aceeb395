import type { Environment } from '@marcbachmann/cel-js';
import { EvaluationBudget } from './budget.js';

/**
 * Metering of cel-js evaluation, so an EvaluationBudget can stop it. cel-js evaluates a checked expression by
 * calling `evaluator.run(node, ctx)` for every node below the root (loops included: each comprehension step is
 * a `run`), on one Evaluator instance per Environment. We take that instance once and give it an own `run` that
 * charges the active budget before delegating to the node, and charges what the parent operation will walk.
 *
 * This relies on cel-js internals (8.x); `installMetering` proves on the spot that the hook sees every step
 * and refuses to continue otherwise, so a library upgrade that changes them fails loudly, never open.
 */

/** The parts of a cel-js AST node the meter reads. */
interface AstNode {
  op: string;
  args: unknown;
  evaluate(ev: Evaluator, ast: AstNode, ctx: unknown): unknown;
}

interface Evaluator {
  run(ast: AstNode, ctx: unknown): unknown;
}

/** Calls whose arguments cost only their top-level length (or nothing beyond the per-step unit). */
const SHALLOW_CALLS = new Set(['has', 'size', 'all', 'exists', 'exists_one', 'map', 'filter', 'startsWith', 'endsWith', 'contains', 'matches']);

/** Operations whose operands they walk in full: deep (in)equality, list membership and function calls. */
function walksOperands(parent: AstNode): boolean {
  if (parent.op === '==' || parent.op === '!=' || parent.op === 'in') return true;
  if (parent.op !== 'call' && parent.op !== 'rcall') return false;
  const name = Array.isArray(parent.args) ? (parent.args[0] as unknown) : undefined;
  return typeof name !== 'string' || !SHALLOW_CALLS.has(name);
}

function copiesOperands(parent: AstNode): boolean {
  return parent.op === '+' || (parent.op === 'call' || parent.op === 'rcall' ? SHALLOW_CALLS.has(String((parent.args as unknown[])[0])) : false);
}

/** The accumulator of the innermost comprehension: returning it is not producing a new value. */
function accumulatorOf(ctx: unknown): unknown {
  return ctx !== null && typeof ctx === 'object' ? (ctx as { accuValue?: unknown }).accuValue : undefined;
}

/**
 * What raising an error costs: cel-js builds an Error (with a stack trace) per failure, some hundred times the
 * work of a step, and `exists`/`||` absorb them and carry on, so a rule failing on each of 200k elements must pay.
 */
const ERROR_UNITS = 100;
/** Errors already charged: one error passes up through many `run` frames but was raised once. */
const chargedErrors = new WeakSet<object>();

function chargeError(budget: EvaluationBudget, err: unknown): void {
  if (err === null || typeof err !== 'object' || chargedErrors.has(err)) return;
  chargedErrors.add(err);
  budget.charge(ERROR_UNITS);
}

let active: EvaluationBudget | undefined;
/** Nodes being evaluated, innermost last: the parent decides what a child's value costs. */
const stack: AstNode[] = [];

function meteredRun(this: Evaluator, ast: AstNode, ctx: unknown): unknown {
  const budget = active;
  if (!budget) return ast.evaluate(this, ast, ctx);
  budget.charge(1);
  const parent = stack[stack.length - 1];
  stack.push(ast);
  let result: unknown;
  try {
    result = ast.evaluate(this, ast, ctx);
  } catch (err) {
    chargeError(budget, err);
    throw err;
  } finally {
    stack.pop();
  }
  if (parent && (result === undefined || result !== accumulatorOf(ctx))) {
    if (walksOperands(parent)) budget.chargeDeep(result);
    else if (copiesOperands(parent)) budget.chargeLength(result);
  }
  return result;
}

/** The Environment's Evaluator, taken from the one call cel-js makes on a root node. */
function evaluatorOf(env: Environment): Evaluator {
  const parsed = env.parse('true');
  let captured: Evaluator | undefined;
  (parsed.ast as unknown as AstNode).evaluate = (ev) => ((captured = ev), true);
  parsed({});
  if (!captured || typeof captured.run !== 'function') throw new Error('cel-js internals changed: cannot meter rule evaluation (pin @marcbachmann/cel-js 8.x)');
  return captured;
}

/** Meters every evaluation in `env`; throws when the hook would not see comprehension steps. */
export function installMetering(env: Environment): void {
  const evaluator = evaluatorOf(env);
  evaluator.run = meteredRun;
  const probe = env.parse('[1, 2, 3].map(x, x * 2).size() == 3');
  const budget = new EvaluationBudget(1_000);
  if (withBudget(budget, () => probe({})) !== true || budget.used < 10) {
    throw new Error('cel-js internals changed: rule evaluation is not metered (pin @marcbachmann/cel-js 8.x)');
  }
}

/**
 * Runs `evaluate` (one cel-js evaluation) charging `budget`. When the budget ran out anywhere inside, even where
 * CEL's `||`, `&&` or `exists` absorbed the error, the evaluation fails with BudgetExceededError: an expression
 * must not pass because part of it was cut short.
 */
export function withBudget<T>(budget: EvaluationBudget, evaluate: () => T): T {
  const outer = active;
  const depth = stack.length;
  active = budget;
  try {
    const result = evaluate();
    if (budget.exceeded) throw budget.exceeded;
    return result;
  } catch (err) {
    throw budget.exceeded ?? err;
  } finally {
    active = outer;
    stack.length = depth;
  }
}

/** Runs `evaluate` with `root` as the parent of the top-level nodes (cel-js calls the root itself, not `run`). */
export function underRoot<T>(root: unknown, evaluate: () => T): T {
  stack.push(root as AstNode);
  try {
    return evaluate();
  } finally {
    stack.pop();
  }
}
