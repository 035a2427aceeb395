import type { ResourceSchema } from './types.js';

/**
 * Builders for the JSON Schema each collector publishes for its normalised resources (Collector.resourceSchema).
 * Objects are closed (additionalProperties: false) and every listed field is required unless named optional, so
 * the schema states exactly what a rule may read. The catalog load checks control test fixtures against it; a
 * unit test checks collector output against it.
 */
type Schema = Record<string, unknown>;

export const s = {
  string: { type: 'string' } as Schema,
  boolean: { type: 'boolean' } as Schema,
  integer: { type: 'integer' } as Schema,
  number: { type: 'number' } as Schema,
  /** Free-form JSON (a policy document). */
  json: {} as Schema,
  nullable(schema: Schema): Schema {
    return { ...schema, type: [schema.type, 'null'] };
  },
  oneOfTypes(...types: string[]): Schema {
    return { type: types };
  },
  /** An object or null. */
  orNull(schema: Schema): Schema {
    return { anyOf: [schema, { type: 'null' }] };
  },
  array(items: Schema): Schema {
    return { type: 'array', items };
  },
  enum(...values: (string | null)[]): Schema {
    return { enum: values };
  },
  object(properties: Record<string, Schema>, optional: readonly string[] = []): Schema {
    return { type: 'object', additionalProperties: false, required: Object.keys(properties).filter((k) => !optional.includes(k)), properties };
  },
};

interface ShapeOptions {
  /** Regional collectors stamp every resource with its region. */
  region?: boolean;
  /** Fields that may be missing (e.g. a password policy's settings when none is set). */
  optional?: readonly string[];
}

/** Per-resource calls that failed (FieldError in src/core/types.ts): present only on resources that have some. */
export const collectionErrorsSchema: Schema = {
  type: 'array',
  items: s.object({ fields: s.array(s.string), action: s.string, code: s.string, message: s.string }),
};

/** Where a resource built from an AWS Config item came from (Provenance in src/core/types.ts). */
export const provenanceSchema: Schema = s.object(
  { source: { const: 'config' }, capturedAt: s.string, configurationStateId: s.string, liveFields: s.array(s.string), aggregator: s.string },
  ['aggregator'],
);

/** One kind of resource: id, type, name (and region), then the collector's own fields. */
export function resourceShape(type: string | readonly string[], fields: Record<string, Schema>, options: ShapeOptions = {}): ResourceSchema {
  const base: Record<string, Schema> = {
    id: s.string,
    type: typeof type === 'string' ? { const: type } : { enum: [...type] },
    name: s.string,
    ...(options.region ? { region: s.string } : {}),
  };
  return s.object({ ...base, ...fields, collectionErrors: collectionErrorsSchema, provenance: provenanceSchema }, [...(options.optional ?? []), 'collectionErrors', 'provenance']);
}

/** A collector that emits several kinds of resource: the shape that applies is chosen by `type`. */
export function byType(shapes: Record<string, ResourceSchema>): ResourceSchema {
  return {
    type: 'object',
    required: ['id', 'type'],
    properties: { id: s.string, type: { enum: Object.keys(shapes) }, collectionErrors: collectionErrorsSchema, provenance: provenanceSchema },
    allOf: Object.entries(shapes).map(([type, shape]) => ({ if: { type: 'object', properties: { type: { const: type } } }, then: shape })),
  };
}
