import { LineCounter, isCollection, isPair, isScalar, parseDocument, type Document } from 'yaml';
import { UserError, errorMessage } from './errors.js';
import { LIMITS, SafeFsError, readInputFile } from './safe-fs.js';

/**
 * Bounds on every YAML input (controls, frameworks, config, waivers, report definitions, attestations). These
 * files may come from someone else (a shared waivers file, a pack's copy of it), so parsing must stay bounded:
 * - aliases: a "billion laughs" document expands nine aliases of nine aliases... into gigabytes; yaml counts
 *   expanded alias nodes and stops at `maxAliasCount`;
 * - size: at most LIMITS.inputBytes, as readInputFile enforces for files on disk;
 * - flow nesting: yaml's composer recurses per `[`/`{` level; 10^5 levels take seconds and can exhaust memory
 *   before it reports "Maximum call stack size exceeded", so deeper documents are refused before parsing.
 */
export const YAML_LIMITS = {
  maxAliasCount: 100,
  maxBytes: LIMITS.inputBytes,
  maxFlowDepth: 256,
  /**
   * Nodes plus string characters of the value with every alias written out. yaml's alias count stops nested
   * bombs, but 100 aliases of one large node still multiply the document a hundredfold for everything that walks
   * the value (schema validation, digests), so the expanded size is bounded too.
   */
  maxExpandedSize: 2 * LIMITS.inputBytes,
} as const;

/**
 * Deepest nesting of flow brackets, counted without tokenising: brackets inside quoted strings count too, which
 * can only over-estimate; no real input nests hundreds of levels, so a false refusal needs a very odd file.
 */
function flowDepth(text: string, stopAt: number): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > max && (max = depth) > stopAt) return max;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return max;
}

/** Nodes plus string characters with shared (aliased) values counted at every use; stops once past `cap`. */
function expandedSize(value: unknown, cap: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && size <= cap) {
    const v = stack.pop();
    size += 1 + (typeof v === 'string' ? v.length : 0);
    if (Array.isArray(v)) for (const item of v) stack.push(item);
    else if (v instanceof Map) for (const [k, item] of v) stack.push(k, item);
    else if (v !== null && typeof v === 'object') for (const [k, item] of Object.entries(v)) stack.push(k, item);
  }
  return size;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** A SafeFsError's reason without the path it starts with (callers put the path first themselves). */
function readProblem(path: string, err: unknown): string {
  const message = errorMessage(err);
  return err instanceof SafeFsError && message.startsWith(`${path}: `) ? message.slice(path.length + 2) : firstLine(message);
}

/**
 * Reads a YAML input the user named: a regular file only (never a FIFO or device, which would block or never
 * end) and at most YAML_LIMITS.maxBytes. Throws a one-line UserError `<path>: cannot read <what>: <why> (fix: ...)`.
 */
export async function readYamlInput(path: string, what: string, fix: string): Promise<string> {
  try {
    return (await readInputFile(path, YAML_LIMITS.maxBytes)).toString('utf8');
  } catch (err) {
    throw new UserError(`${path}: cannot read ${what}: ${readProblem(path, err)} (fix: ${fix})`);
  }
}

export interface YamlSourceOptions {
  /** What a plain value starting with "!" is meant to be, for the error that says to quote it (default "a value"). */
  taggedValue?: string;
}

/**
 * The first value carrying a local tag (`!something`): in these inputs always a plain scalar that was meant to
 * start with "!" (`pass: !r.enabled`), which YAML reads as a tag. Returns its key path and the text as written.
 */
function firstLocalTag(doc: Document, text: string): { path: (string | number)[]; offset: number; written: string } | undefined {
  const walk = (node: unknown, path: (string | number)[]): ReturnType<typeof firstLocalTag> => {
    const tagged = node as { tag?: string; range?: [number, number, number] } | null;
    if (tagged?.tag?.startsWith('!') && !tagged.tag.startsWith('!!') && tagged.range) {
      const offset = text.lastIndexOf(tagged.tag, tagged.range[0]);
      const start = offset >= 0 ? offset : tagged.range[0];
      const end = text.indexOf('\n', start);
      return { path, offset: start, written: text.slice(start, end < 0 ? undefined : end).replace(/\s+#.*$/, '').trim() };
    }
    if (isCollection(node)) {
      for (const [i, item] of node.items.entries()) {
        const found = isPair(item)
          ? walk(item.value, [...path, isScalar(item.key) ? String(item.key.value) : String(item.key)])
          : walk(item, [...path, i]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(doc.contents, []);
}

/** A parsed YAML file that can say which line a field is on, so errors name file, line and field. */
export class YamlSource {
  private constructor(
    readonly file: string,
    readonly value: unknown,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Parses within YAML_LIMITS; every failure, including a resource-exhaustion attempt, is a one-line UserError. */
  static parse(file: string, text: string, options: YamlSourceOptions = {}): YamlSource {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > YAML_LIMITS.maxBytes) {
      throw new UserError(`${file}: YAML input is ${bytes} bytes, more than the limit of ${YAML_LIMITS.maxBytes} (fix: split the file or remove what it does not need)`);
    }
    if (flowDepth(text, YAML_LIMITS.maxFlowDepth) > YAML_LIMITS.maxFlowDepth) {
      throw new UserError(`${file}: YAML nests [ ] or { } more than ${YAML_LIMITS.maxFlowDepth} levels deep (fix: flatten the document)`);
    }
    const lines = new LineCounter();
    let doc: Document;
    try {
      doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    } catch (err) {
      throw new UserError(`${file}: YAML cannot be parsed: ${firstLine(errorMessage(err))} (fix the YAML syntax)`);
    }
    // Checked before syntax errors: the tag usually causes them, and "quote it" is the fix.
    if (doc.warnings.some((w) => w.code === 'TAG_RESOLVE_FAILED')) {
      const tagged = firstLocalTag(doc, text);
      if (tagged) {
        const field = tagged.path.length ? tagged.path.join('.') : '(document)';
        const quoted = `'${tagged.written.replace(/'/g, "''")}'`;
        throw new UserError(
          `${file}:${lines.linePos(tagged.offset).line}: field "${field}": ${options.taggedValue ?? 'a value'} starting with "!" must be quoted in YAML (fix: write ${quoted})`,
        );
      }
    }
    const first = doc.errors[0];
    if (first) {
      const line = first.linePos?.[0]?.line ?? 1;
      throw new UserError(`${file}:${line}: malformed YAML: ${firstLine(first.message)} (fix the YAML syntax)`);
    }
    return new YamlSource(file, YamlSource.toValue(file, doc), doc, lines);
  }

  /** Reads (readYamlInput) and parses a YAML input file; `label` is how errors name it. */
  static async load(path: string, what: string, fix: string, label: string = path, options: YamlSourceOptions = {}): Promise<YamlSource> {
    return YamlSource.parse(label, await readYamlInput(path, what, fix), options);
  }

  private static toValue(file: string, doc: Document): unknown {
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: YAML_LIMITS.maxAliasCount });
    } catch (err) {
      // yaml throws a ReferenceError ("Excessive alias count ...") when aliases expand past maxAliasCount.
      if (err instanceof ReferenceError && /alias/i.test(err.message)) {
        throw new UserError(
          `${file}: YAML aliases expand to more than ${YAML_LIMITS.maxAliasCount} nodes (an alias bomb?) (fix: write the values out instead of using &anchors and *aliases)`,
        );
      }
      throw new UserError(`${file}: YAML cannot be converted: ${firstLine(errorMessage(err))} (fix the YAML document)`);
    }
    if (expandedSize(value, YAML_LIMITS.maxExpandedSize) > YAML_LIMITS.maxExpandedSize) {
      throw new UserError(
        `${file}: YAML aliases expand the document past ${YAML_LIMITS.maxExpandedSize} nodes and characters (an alias bomb?) (fix: write the values out instead of using &anchors and *aliases)`,
      );
    }
    return value;
  }

  /** 1-based line of the node at `path` (falls back to the nearest existing parent). */
  lineOf(path: readonly (string | number)[]): number {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }

  /** A one-line user error pointing at a field. */
  error(path: readonly (string | number)[], problem: string, fix: string): UserError {
    const field = path.length ? path.join('.') : '(document)';
    return new UserError(`${this.file}:${this.lineOf(path)}: field "${field}": ${problem} (fix: ${fix})`);
  }
}
