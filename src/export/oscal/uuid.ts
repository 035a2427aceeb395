import { createHash } from 'node:crypto';

/** RFC 4122 name-based UUID, version 5 (SHA-1): the same namespace and name always give the same UUID. */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`uuidV5: namespace "${namespace}" is not a UUID`);
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** RFC 4122 appendix C namespace for URLs. */
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
/** Namespace for every UUID auditpack writes into OSCAL documents. */
export const AUDITPACK_OSCAL_NAMESPACE = uuidV5(URL_NAMESPACE, 'https://auditpack.dev/ns/oscal');

/**
 * A stable UUID for one OSCAL object, derived from what identifies it (kind, run id, control id, file path...),
 * so re-exporting the same pack gives byte-identical output and references between objects never drift.
 */
export function oscalUuid(...parts: string[]): string {
  // JSON encoding keeps ["a:b", "c"] and ["a", "b:c"] apart.
  return uuidV5(AUDITPACK_OSCAL_NAMESPACE, JSON.stringify(parts));
}
