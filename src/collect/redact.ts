/**
 * Last line of defence against writing a credential into evidence: values under keys that name secrets are
 * replaced. Collectors still must not fetch secret values in the first place (no GetSecretValue, no Lambda
 * environment values).
 */
const SECRET_KEY = /^(secretaccesskey|sessiontoken|password|secretstring|secretbinary|privatekey|plaintext|masteruserpassword|accesskeysecret)$/i;

export const REDACTED = '<redacted>';

export function redactSecrets<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(walk);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return REDACTED;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? REDACTED : walk(v);
    return out;
  }
  return value;
}
