import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { Collector, ResourceSchema } from '../core/collector.js';
import { COLLECTION_ERRORS } from '../core/types.js';

interface SchemaNode {
  properties?: Record<string, unknown>;
  additionalProperties?: unknown;
  allOf?: { then?: SchemaNode }[];
}

/** A resource that does not match its collector's schema: where (path inside the resource), what, and the fix. */
export interface ResourceProblem {
  path: (string | number)[];
  problem: string;
  fix: string;
}

/**
 * Test fixtures list only the fields a case needs, so for them every `required` is dropped except the resource's
 * id and type; unknown fields (additionalProperties: false) and wrong types still fail.
 */
function forFixtures(schema: unknown, top = true): unknown {
  if (Array.isArray(schema)) return schema.map((s) => forFixtures(s, false));
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'required') continue;
    // Property names are data, not schemas: keep them, but relax the schemas they map to.
    out[key] = key === 'properties' || key === '$defs' ? Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, forFixtures(v, false)])) : forFixtures(value, false);
  }
  if (top) out.required = ['id', 'type'];
  return out;
}

/** Closest known name to a misspelt one (case-insensitive edit distance, or containment), if any is close. */
function closest(name: string, known: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const next = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = row[j]!;
        row[j] = next;
      }
    }
    return row[b.length]!;
  };
  let best: { name: string; d: number } | undefined;
  for (const candidate of known) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d <= Math.max(2, Math.floor(name.length / 3)) && (!best || d < best.d)) best = { name: candidate, d };
  }
  if (best) return best.name;
  // A longer or shorter spelling of a known field (versioningStatus for versioning).
  const lower = name.toLowerCase();
  return known.filter((k) => k.length >= 4 && (lower.includes(k.toLowerCase()) || k.toLowerCase().includes(lower))).sort((a, b) => b.length - a.length)[0];
}

function describe(collector: string, error: ErrorObject): ResourceProblem {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = (error.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const guess = closest(field, known);
      return {
        path: [...path, field],
        problem: `unknown field "${field}" in a resource of ${collector}`,
        fix: guess ? `did you mean "${guess}"?` : `remove it, or use one of: ${known.join(', ')}`,
      };
    }
    case 'required':
      return { path: [...path, (error.params as { missingProperty: string }).missingProperty], problem: `is required in a resource of ${collector}`, fix: 'add it' };
    default:
      return { path, problem: `${error.message ?? 'is invalid'} (${collector} resource schema)`, fix: `match the shape ${collector} emits` };
  }
}

/** Every collector's published resource schema, compiled once: for test fixtures (partial) and real output (strict). */
export class ResourceSchemas {
  private readonly byId = new Map<string, Collector>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true, verbose: true });

  constructor(collectors: readonly Collector[]) {
    for (const c of collectors) this.byId.set(c.id, c);
  }

  has(collector: string): boolean {
    return this.byId.has(collector);
  }

  private validator(collector: string, mode: 'fixture' | 'strict'): ValidateFunction | undefined {
    const key = `${mode}:${collector}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const schema: ResourceSchema | undefined = this.byId.get(collector)?.resourceSchema;
      if (!schema) return undefined;
      validate = this.ajv.compile(mode === 'fixture' ? (forFixtures(schema) as object) : schema);
      this.compiled.set(key, validate);
    }
    return validate;
  }

  private problem(collector: string, resource: unknown, mode: 'fixture' | 'strict'): ResourceProblem | undefined {
    const validate = this.validator(collector, mode);
    if (!validate || validate(resource)) return undefined;
    const error = validate.errors?.[0];
    return error ? describe(collector, error) : { path: [], problem: `does not match the ${collector} resource schema`, fix: `match the shape ${collector} emits` };
  }

  /**
   * Top-level fields a collector's resources may have (every kind's, for collectors that emit several), or
   * undefined when its schema is open (then any field may be read).
   */
  fieldsOf(collector: string): string[] | undefined {
    const schema = this.byId.get(collector)?.resourceSchema as SchemaNode | undefined;
    if (!schema) return undefined;
    const shapes = [schema, ...(schema.allOf ?? []).map((branch) => branch.then ?? {})];
    if (!shapes.some((shape) => shape.additionalProperties === false)) return undefined;
    return [...new Set(shapes.flatMap((shape) => Object.keys(shape.properties ?? {})))].sort();
  }

  /** The known field closest to a misspelt one, for the error message. */
  closestField(collector: string, field: string): string | undefined {
    const known = this.fieldsOf(collector);
    return known ? closest(field, known) : undefined;
  }

  /** A test fixture's resource: fields it lists must exist in the collector's schema and have its types. */
  fixtureProblem(collector: string, resource: unknown): ResourceProblem | undefined {
    return this.problem(collector, resource, 'fixture');
  }

  /** A collected resource: the full schema, required fields included (keeps schema and collector in step). */
  outputProblem(collector: string, resource: unknown): ResourceProblem | undefined {
    // A resource with field errors lacks the fields its failed calls would have filled: only what it has is checked.
    const partial = resource !== null && typeof resource === 'object' && COLLECTION_ERRORS in resource;
    return this.problem(collector, resource, partial ? 'fixture' : 'strict');
  }
}
