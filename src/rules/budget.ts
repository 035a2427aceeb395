/**
 * The cost budget of evaluating one rule expression for one resource. Evidence comes from the audited account,
 * so a resource with 200k statements fed to a rule with nested comprehensions must not hang a run: CEL has no
 * cost limit of its own (cel-js's limits are structural, applied when parsing). The budget counts cost units,
 * never wall-clock time, so the same evidence always gives the same verdict:
 *
 * - every expression node evaluated costs one unit (this bounds the interpreter: loops, nested comprehensions);
 * - a value handed to an operation that walks it (==, !=, in, a function call) additionally costs its size:
 *   one unit per list element, map entry or scalar, plus one per STRING_CHARS_PER_UNIT characters of strings
 *   (this bounds the work done inside a single step, such as a deep comparison or a policy analysis);
 * - `+` costs the lengths of its operands (concatenation copies them).
 *
 * The defaults allow far more than any real resource needs (the built-in controls spend a few hundred units per
 * resource) and stop a pathological evaluation within about a second.
 */

export const BUDGET = {
  /** Cost units one rule expression may spend on one resource (or on building the resource list). */
  unitsPerEvaluation: 5_000_000,
  stringCharsPerUnit: 32,
} as const;

/** Thrown (and remembered) when an evaluation runs out of budget; its message is the ERROR reason. */
export class BudgetExceededError extends Error {
  constructor(readonly limit: number) {
    super(`rule evaluation exceeded its budget (more than ${limit} cost units for this resource: the evidence is too large or the rule iterates it too often)`);
    this.name = 'BudgetExceededError';
  }
}

export class EvaluationBudget {
  private spent = 0;
  private failure: BudgetExceededError | undefined;
  /** Sizes already measured in this evaluation: evidence objects are reached again and again through `r`. */
  private readonly sizes = new WeakMap<object, number>();

  constructor(readonly limit: number = BUDGET.unitsPerEvaluation) {}

  /** The error, when this evaluation ran out at any point (even where CEL's `||` or `exists` swallowed it). */
  get exceeded(): BudgetExceededError | undefined {
    return this.failure;
  }

  get used(): number {
    return this.spent;
  }

  /** Spends `units`; throws BudgetExceededError once the total passes the limit (and on every later call). */
  charge(units: number): void {
    this.spent += units;
    if (this.spent > this.limit) throw (this.failure ??= new BudgetExceededError(this.limit));
  }

  /** Charges the top-level length of a list, string or map (what copying or scanning it once costs). */
  chargeLength(value: unknown): void {
    if (typeof value === 'string') this.charge(Math.ceil(value.length / BUDGET.stringCharsPerUnit));
    else if (Array.isArray(value)) this.charge(value.length);
    else if (value instanceof Map) this.charge(value.size);
  }

  /** Charges the whole size of a value (every nested element and string), measuring it at most once. */
  chargeDeep(value: unknown): void {
    if (value === null || typeof value !== 'object') {
      this.charge(1 + (typeof value === 'string' ? Math.ceil(value.length / BUDGET.stringCharsPerUnit) : 0));
      return;
    }
    const known = this.sizes.get(value);
    if (known !== undefined) {
      this.charge(known);
      return;
    }
    const size = this.measure(value, this.limit - this.spent);
    this.charge(size);
    this.sizes.set(value, size);
  }

  /** Size of a value, walked iteratively (deep nesting cannot overflow the stack); stops once past `cap`. */
  private measure(value: object, cap: number): number {
    let size = 0;
    const stack: unknown[] = [value];
    while (stack.length > 0) {
      if (size > cap) return size;
      const v = stack.pop();
      if (v === null || typeof v !== 'object') {
        size += 1 + (typeof v === 'string' ? Math.ceil(v.length / BUDGET.stringCharsPerUnit) : 0);
        continue;
      }
      const known = this.sizes.get(v);
      if (known !== undefined) {
        size += known;
        continue;
      }
      size += 1;
      if (Array.isArray(v)) for (const item of v as unknown[]) stack.push(item);
      else if (v instanceof Map) for (const [k, item] of v) stack.push(k, item);
      else for (const key in v) stack.push(key, (v as Record<string, unknown>)[key]);
    }
    return size;
  }
}
