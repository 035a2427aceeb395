import { createHash } from 'node:crypto';

/** Canonical JSON: object keys sorted, two-space indent, trailing newline. Same input, same bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Characters of output gathered before a chunk is handed on (about 1 MiB of text). */
export const CANONICAL_CHUNK_CHARS = 1 << 20;

/** A value JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * The order canonicalJson writes an object's keys in: sorted by code unit, then, as the plain object it builds
 * enumerates them, array-index keys ("0", "10") first in numeric order, and a `__proto__` key dropped (assigning it
 * sets the prototype instead). Only objects with such keys pay for the second step.
 */
function canonicalKeys(value: object): string[] {
  const record = value as Record<string, unknown>;
  const sorted = Object.keys(value)
    .sort()
    .filter((k) => !omitted(record[k]));
  if (!sorted.some((k) => k === '__proto__' || (k.charCodeAt(0) >= 48 && k.charCodeAt(0) <= 57))) return sorted;
  const order: Record<string, true> = {};
  for (const k of sorted) order[k] = true;
  return Object.keys(order);
}

/** A scalar (or Date/bigint) as canonicalJson writes it; undefined for arrays and objects. */
function scalarText(value: unknown, inArray: boolean): string | undefined {
  if (value === null) return 'null';
  if (omitted(value)) return inArray ? 'null' : undefined;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'bigint') return JSON.stringify(Number(value));
  if (typeof value !== 'object') return JSON.stringify(value) as string;
  return undefined;
}

/** Nodes a subtree may have to be written in one native JSON.stringify: small enough to be one modest string. */
const SMALL_SUBTREE_NODES = 2000;

/** Does `value` have at most `budget.left` nodes? Stops counting (and says no) as soon as it has more. */
function fits(value: unknown, budget: { left: number }): boolean {
  if (--budget.left < 0) return false;
  if (value === null || typeof value !== 'object' || value instanceof Date) return true;
  if (Array.isArray(value)) {
    if (value.length > budget.left) return false;
    for (const item of value as unknown[]) if (!fits(item, budget)) return false;
    return true;
  }
  const keys = Object.keys(value);
  if (keys.length > budget.left) return false;
  for (const key of keys) if (!fits((value as Record<string, unknown>)[key], budget)) return false;
  return true;
}

type Frame = { items: readonly unknown[]; keys?: undefined; source?: undefined; i: number; indent: string } | { keys: string[]; source: Record<string, unknown>; items?: undefined; i: number; indent: string };

/**
 * canonicalJson as a sequence of text chunks of about `chunkChars` characters: the same bytes once joined (checked
 * by test/unit/core/json-stream.test.ts), but never the whole document in one string, so a document larger than V8's
 * longest string (~512 MiB) can be written. Large arrays and objects are walked with an explicit stack (no
 * recursion); subtrees of at most SMALL_SUBTREE_NODES nodes are written whole by JSON.stringify, which keeps the
 * writer about as fast as canonicalJson. The value is read as it is walked: it must not change meanwhile.
 */
export function* canonicalJsonChunks(value: unknown, chunkChars: number = CANONICAL_CHUNK_CHARS): Generator<string> {
  yield* valueChunks(value, '', chunkChars);
  yield '\n';
}

/**
 * canonicalJson of an array whose items come one by one (derived on the fly, never all in memory): the bytes of
 * canonicalJson([...items]).
 */
export function* canonicalJsonArrayChunks(items: Iterable<unknown>, chunkChars: number = CANONICAL_CHUNK_CHARS): Generator<string> {
  let first = true;
  for (const item of items) {
    yield first ? '[\n  ' : ',\n  ';
    first = false;
    yield* valueChunks(omitted(item) ? null : item, '  ', chunkChars);
  }
  yield first ? '[]\n' : '\n]\n';
}

/** One value written at `baseIndent`, without the document's trailing newline. */
function* valueChunks(value: unknown, baseIndent: string, chunkChars: number): Generator<string> {
  let out = '';
  const stack: Frame[] = [];
  /** Writes a value: a scalar at once, an array or object by opening it (its children follow from the stack). */
  const open = (v: unknown, indent: string, inArray: boolean): void => {
    const scalar = scalarText(v, inArray);
    if (scalar !== undefined) {
      out += scalar;
      return;
    }
    // A small subtree (one resource result, one finding) is written by canonicalJson's own path, JSON.stringify,
    // re-indented to where it sits: JSON text has no raw newline inside a string, so each newline is a line break.
    if (fits(v, { left: SMALL_SUBTREE_NODES })) {
      const text = JSON.stringify(sortKeys(v), null, 2);
      out += indent ? text.replaceAll('\n', `\n${indent}`) : text;
      return;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) out += '[]';
      else {
        out += '[';
        stack.push({ items: v, i: 0, indent });
      }
      return;
    }
    const keys = canonicalKeys(v as object);
    if (keys.length === 0) out += '{}';
    else {
      out += '{';
      stack.push({ keys, source: v as Record<string, unknown>, i: 0, indent });
    }
  };
  // canonicalJson would write the text "undefined": no JSON document, so nothing is written at all.
  if (omitted(value)) throw new TypeError(`canonical JSON: a ${typeof value} is not a JSON document`);
  open(value, baseIndent, true);
  while (stack.length) {
    const frame = stack[stack.length - 1] as Frame;
    const inner = `${frame.indent}  `;
    if (frame.items) {
      if (frame.i === frame.items.length) {
        out += `\n${frame.indent}]`;
        stack.pop();
      } else {
        out += `${frame.i === 0 ? '' : ','}\n${inner}`;
        open(frame.items[frame.i++], inner, true);
      }
    } else if (frame.i === frame.keys.length) {
      out += `\n${frame.indent}}`;
      stack.pop();
    } else {
      const key = frame.keys[frame.i++] as string;
      out += `${frame.i === 1 ? '' : ','}\n${inner}${JSON.stringify(key)}: `;
      open(frame.source[key], inner, false);
    }
    if (out.length >= chunkChars) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}

/** SHA-256 (hex) of canonicalJson(value), hashed chunk by chunk: the same digest, without the whole text in one string. */
export function canonicalJsonSha256(value: unknown): string {
  const hash = createHash('sha256');
  for (const chunk of canonicalJsonChunks(value)) hash.update(chunk, 'utf8');
  return hash.digest('hex');
}
