import type { OscalOrigin, OscalProperty } from './types.js';
import { oscalUuid } from './uuid.js';

/** Namespace of auditpack's own OSCAL properties (OSCAL reserves props without `ns` for NIST-defined names). */
export const AUDITPACK_NS = 'https://auditpack.dev/ns/oscal';

/** The tool as an OSCAL component, and the platform that uses it: the origin of every observation and finding. */
export const TOOL_COMPONENT_UUID = oscalUuid('component', 'auditpack');
export const TOOL_PLATFORM_UUID = oscalUuid('assessment-platform', 'auditpack');
export const TOOL_ORIGIN: OscalOrigin = { actors: [{ type: 'tool', 'actor-uuid': TOOL_COMPONENT_UUID }] };

/**
 * One auditpack property. OSCAL prop values must be a single line without leading/trailing blanks
 * (pattern ^\S(.*\S)?$), so whitespace is collapsed; an empty value yields no property.
 */
export function prop(name: string, value: string | number, extra: Pick<OscalProperty, 'class' | 'remarks'> = {}): OscalProperty[] {
  const text = String(value).replace(/\s+/g, ' ').trim();
  return text ? [{ name, ns: AUDITPACK_NS, value: text, ...extra }] : [];
}

/** One property per value (OSCAL has no list-valued props). */
export function props(name: string, values: readonly string[] | undefined): OscalProperty[] {
  return (values ?? []).flatMap((v) => prop(name, v));
}

/** OSCAL token (control ids, target ids, prop names): a letter or _ then letters, digits, `.`, `-`, `_`. */
export const TOKEN = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;
