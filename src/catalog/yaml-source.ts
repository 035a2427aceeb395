import { LineCounter, parseDocument, type Document } from 'yaml';
import { UserError } from '../core/errors.js';

/** A parsed YAML file that can say which line a field is on, so errors name file, line and field. */
export class YamlSource {
  private constructor(
    readonly file: string,
    readonly value: unknown,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    const first = doc.errors[0];
    if (first) {
      const line = first.linePos?.[0]?.line ?? 1;
      throw new UserError(`${file}:${line}: malformed YAML: ${first.message.split('\n')[0]} (fix the YAML syntax)`);
    }
    return new YamlSource(file, doc.toJS(), doc, lines);
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
