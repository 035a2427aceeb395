/** A named, unit-tested function that CEL rules may call: semantics too rich for an expression live here. */
export interface CelFunction {
  /** CEL signature, e.g. `daysBetween(dyn, string): int`. */
  signature: string;
  description: string;
  handler: (...args: never[]) => unknown;
}
