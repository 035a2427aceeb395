import { ruleEnvironment } from './cel.js';
import { celFunctions } from './functions/index.js';

/** Function name -> the fields it declares it reads of each argument (CelFunction.reads). */
const DECLARED = new Map(celFunctions.filter((f) => f.reads).map((f) => [f.signature.slice(0, f.signature.indexOf('(')), f.reads!] as const));

/**
 * Which top-level resource fields a rule expression reads, found from its CEL syntax tree (never by running it).
 *
 * The evaluator uses this to fail narrowly: a resource whose collection could not fill some fields (a denied
 * per-resource call, see FieldError) is ERROR for a control only when the control's rule reads one of them, and
 * judged normally by every other control. The catalog uses it to refuse a rule that reads a field its collector
 * never emits.
 *
 * Tracked values are the judged resource `r`, the element lists `evidence["<collector>"]`, list-preserving calls on
 * them (`filter`, indexing) and the variables a comprehension binds to their elements. A field read is `x.f`,
 * `x["f"]` or `has(x.f)` on a tracked element. Any other use of a tracked value (passed to a function, compared
 * whole, indexed by a computed key) reads every field: ALL. Fields are top-level only, like FieldError.fields.
 */
export const ALL = '*';

/** Fields read per origin: `r` for the judged resource, or a collector id for elements of evidence[id]. */
export type FieldReads = Map<string, Set<string>>;

/** The origin of the judged resource. */
export const R = 'r';

interface AstNode {
  op: string;
  args: unknown;
}

/** What a node evaluates to, as far as field reads are concerned. */
type Value = { kind: 'element'; origin: string } | { kind: 'list'; origin: string } | undefined;

/** Calls that bind a variable to each element of their target: `list.<name>(v, body)`. */
const COMPREHENSIONS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);

function isNode(value: unknown): value is AstNode {
  return value !== null && typeof value === 'object' && typeof (value as AstNode).op === 'string';
}

function constantString(node: unknown): string | undefined {
  return isNode(node) && node.op === 'value' && typeof node.args === 'string' ? node.args : undefined;
}

class ReadCollector {
  readonly reads: FieldReads = new Map();

  read(origin: string, field: string): void {
    let fields = this.reads.get(origin);
    if (!fields) this.reads.set(origin, (fields = new Set()));
    fields.add(field);
  }

  /** A tracked value used whole: every field of its elements counts as read. */
  escape(value: Value): void {
    if (value) this.read(value.origin, ALL);
  }

  visit(node: unknown, scope: ReadonlyMap<string, Value>): Value {
    if (Array.isArray(node)) {
      for (const child of node) this.escape(this.visit(child, scope));
      return undefined;
    }
    if (!isNode(node)) return undefined;
    switch (node.op) {
      case 'value':
        return undefined;
      case 'id': {
        const name = node.args as string;
        if (scope.has(name)) return scope.get(name);
        return name === 'r' ? { kind: 'element', origin: R } : undefined;
      }
      case '.':
      case '.?':
        return this.member(node, scope);
      case '[]':
      case '[?]':
        return this.index(node, scope);
      case 'call':
        return this.call(node, scope);
      case 'rcall':
        return this.receiverCall(node, scope);
      default:
        return this.generic(node, scope);
    }
  }

  private member(node: AstNode, scope: ReadonlyMap<string, Value>): Value {
    const [target, field] = node.args as [unknown, string];
    const value = this.visit(target, scope);
    if (value?.kind === 'element') this.read(value.origin, field);
    else this.escape(value);
    return undefined;
  }

  private index(node: AstNode, scope: ReadonlyMap<string, Value>): Value {
    const [target, key] = node.args as [unknown, unknown];
    if (isNode(target) && target.op === 'id' && target.args === 'evidence' && !scope.has('evidence')) {
      const id = constantString(key);
      if (id !== undefined) {
        // Referenced even if no field is read (size(evidence["x"])): the catalog checks the source is declared.
        if (!this.reads.has(id)) this.reads.set(id, new Set());
        return { kind: 'list', origin: id };
      }
      // evidence[<computed>]: any source may be read.
      this.visit(key, scope);
      this.read(ALL, ALL);
      return undefined;
    }
    const value = this.visit(target, scope);
    const field = constantString(key);
    if (value?.kind === 'element' && field !== undefined) {
      this.read(value.origin, field);
      return undefined;
    }
    this.escape(this.visit(key, scope));
    if (value?.kind === 'list') return { kind: 'element', origin: value.origin };
    this.escape(value);
    return undefined;
  }

  private call(node: AstNode, scope: ReadonlyMap<string, Value>): Value {
    const [name, args] = node.args as [string, unknown[]];
    if (name === 'has' && args.length === 1) {
      // has(x.f) reads whether f is there: it counts as reading f.
      this.visit(args[0], scope);
      return undefined;
    }
    if (name === 'size' && args.length === 1) {
      const value = this.visit(args[0], scope);
      if (value?.kind !== 'list') this.escape(value);
      return undefined;
    }
    const declared = DECLARED.get(name);
    args.forEach((arg, i) => {
      const value = this.visit(arg, scope);
      const fields = declared?.[i];
      if (value && fields) for (const field of fields) this.read(value.origin, field);
      else this.escape(value);
    });
    return undefined;
  }

  private receiverCall(node: AstNode, scope: ReadonlyMap<string, Value>): Value {
    const [name, target, args] = node.args as [string, unknown, unknown[]];
    const receiver = this.visit(target, scope);
    const variable = args[0];
    if (COMPREHENSIONS.has(name) && receiver?.kind === 'list' && isNode(variable) && variable.op === 'id' && args.length >= 2) {
      const inner = new Map(scope);
      inner.set(variable.args as string, { kind: 'element', origin: receiver.origin });
      // map(v, filter, transform) has three parts; every part after the variable sees it.
      for (const part of args.slice(1)) this.escape(this.visit(part, inner));
      return name === 'filter' ? receiver : undefined;
    }
    if (name === 'size' && args.length === 0 && receiver?.kind === 'list') return undefined;
    if (COMPREHENSIONS.has(name) && isNode(variable) && variable.op === 'id') {
      // A comprehension over an untracked list: its variable shadows any tracked name.
      const inner = new Map(scope);
      inner.set(variable.args as string, undefined);
      this.escape(receiver);
      for (const part of args.slice(1)) this.escape(this.visit(part, inner));
      return undefined;
    }
    this.escape(receiver);
    for (const arg of args) this.escape(this.visit(arg, scope));
    return undefined;
  }

  private generic(node: AstNode, scope: ReadonlyMap<string, Value>): Value {
    const args = Array.isArray(node.args) ? node.args : [node.args];
    for (const arg of args) this.escape(this.visit(arg, scope));
    return undefined;
  }
}

/** The fields one expression reads, by origin. */
export function expressionReads(source: string): FieldReads {
  const parsed = ruleEnvironment().parse(source);
  const collector = new ReadCollector();
  const top = collector.visit(parsed.ast, new Map());
  // The value of the expression itself (rule.resources returning evidence elements) is judged, not read here.
  if (top?.kind === 'element') collector.escape(top);
  return collector.reads;
}

/** The collector whose elements an expression returns (`evidence["id"]`, filtered or not), if that is what it returns. */
export function listOrigin(source: string): string | undefined {
  const top = new ReadCollector().visit(ruleEnvironment().parse(source).ast, new Map());
  return top?.kind === 'list' && top.origin !== R ? top.origin : undefined;
}

/** Union of several read maps. */
export function mergeReads(...all: FieldReads[]): FieldReads {
  const out: FieldReads = new Map();
  for (const reads of all) {
    for (const [origin, fields] of reads) {
      let target = out.get(origin);
      if (!target) out.set(origin, (target = new Set()));
      for (const f of fields) target.add(f);
    }
  }
  return out;
}

/** Whether `fields` (a FieldError's) meet the fields read from `origin` (or from every source, when any is). */
export function readsAny(reads: FieldReads, origin: string, fields: readonly string[]): boolean {
  const read = reads.get(origin);
  const anySource = reads.get(ALL);
  if (read?.has(ALL) || anySource?.has(ALL)) return fields.length > 0;
  return fields.some((f) => read?.has(f) === true);
}
