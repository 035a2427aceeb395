import { COLLECTION_ERRORS, type FieldError, type Resource } from '../core/types.js';
import { ALL, R, readsAny, type FieldReads } from '../rules/reads.js';

/** Rules built without read analysis (tests, hand-made rules) read everything: any field error then counts. */
const EVERYTHING: FieldReads = new Map([[ALL, new Set([ALL])], [R, new Set([ALL])]]);

/** A resource's field errors, when it carries a well-formed list of them (evidence is untrusted, so check). */
function fieldErrorsOf(resource: unknown): FieldError[] {
  if (resource === null || typeof resource !== 'object') return [];
  const errors = (resource as Record<string, unknown>)[COLLECTION_ERRORS];
  if (errors === undefined) return [];
  // A malformed list cannot say which fields are missing: treat it as every field missing, never as none.
  if (!Array.isArray(errors)) return [{ fields: [ALL], action: 'unknown', code: 'MalformedEvidence', message: `${COLLECTION_ERRORS} is not a list` }];
  return errors.map((e: unknown) => {
    const fe = (e ?? {}) as Partial<FieldError>;
    const fields = Array.isArray(fe.fields) && fe.fields.every((f) => typeof f === 'string') && fe.fields.length > 0 ? fe.fields : [ALL];
    return { fields, action: String(fe.action ?? 'unknown'), code: String(fe.code ?? 'unknown'), message: String(fe.message ?? 'collection failed') };
  });
}

function describe(errors: FieldError[]): string {
  return errors.map((e) => `${e.fields.includes(ALL) ? 'fields' : e.fields.join(', ')} not collected: ${e.message}`).join('; ');
}

/** Why `resource` cannot be judged by a rule reading `reads` of it (fields it reads that could not be collected), if so. */
export function unreadableFields(resource: unknown, reads: FieldReads | undefined): string | undefined {
  const all = reads ?? EVERYTHING;
  const hit = fieldErrorsOf(resource).filter((e) => e.fields.includes(ALL) || readsAny(all, R, e.fields));
  return hit.length ? describe(hit) : undefined;
}

/**
 * Why a whole scope cannot be judged: an element of an evidence source that the rule reads outside `r`
 * (evidence["id"] in any expression) lacks a field the rule reads of it. Names the first such resource.
 */
export function unreadableEvidence(evidence: Record<string, Resource[]>, reads: FieldReads | undefined): string | undefined {
  const all = reads ?? EVERYTHING;
  for (const [source, resources] of Object.entries(evidence).sort(([a], [b]) => a.localeCompare(b))) {
    if (!all.has(source) && !all.has(ALL)) continue;
    for (const resource of resources) {
      const hit = fieldErrorsOf(resource).filter((e) => e.fields.includes(ALL) || readsAny(all, source, e.fields));
      if (hit.length) return `evidence ${source} ${typeof resource?.id === 'string' ? resource.id : '(resource without id)'}: ${describe(hit)}`;
    }
  }
  return undefined;
}
