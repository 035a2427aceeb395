/** A named, unit-tested function that CEL rules may call: semantics too rich for an expression live here. */
export interface CelFunction {
  /** CEL signature, e.g. `daysBetween(dyn, string): int`. */
  signature: string;
  description: string;
  handler: (...args: never[]) => unknown;
  /**
   * For functions that take resources: per argument, the top-level fields the function reads of a resource
   * argument (or of each element of a list argument). A resource passed to a function without this declaration
   * counts as read whole, so a field it could not collect makes the rule ERROR. A unit test holds the declaration
   * to what the handler really reads.
   */
  reads?: readonly (readonly string[] | null)[];
}
