/**
 * Decides, at collection time, whether a Lambda environment variable looks like it holds a secret. Only the verdict
 * and its reasons leave this module: the value itself is never stored in evidence.
 */

export type SecretReason = 'secret-name' | 'aws-access-key-id' | 'private-key' | 'url-credentials' | 'jwt' | 'high-entropy';

export interface SecretVerdict {
  looksSecret: boolean;
  reasons: SecretReason[];
}

/** Names that say "this is a credential": *SECRET*, *PASSWORD*, *TOKEN*, *API_KEY*, *PRIVATE_KEY*, ... */
const SECRET_NAME = /SECRET|PASSWORD|PASSWD|PASSPHRASE|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH_?KEY/i;
/** A name ending in ARN/NAME/ID/PATH/URL/... points at where a secret lives (the recommended pattern). */
const REFERENCE_NAME = /_(ARN|NAME|ID|PATH|URL|URI|REGION|TTL|LENGTH|EXPIRY|HEADER|PARAM(ETER)?)$/i;
const REFERENCE_VALUE = /^(arn:aws[a-z-]*:|\{\{resolve:|ssm:|secretsmanager:)/i;
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/;
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/;
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;
/** Base64/base64url/hex alphabet; dots are left out so host names and versions never count as tokens. */
const TOKEN_CHARS = /^[A-Za-z0-9+/=_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MIN_ENTROPY_LENGTH = 32;
const MIN_ENTROPY_BITS = 3.5;

export function detectSecret(name: string, value: string): SecretVerdict {
  const reasons: SecretReason[] = [];
  const trimmed = value.trim();
  const isReference = REFERENCE_VALUE.test(trimmed);
  if (SECRET_NAME.test(name) && !REFERENCE_NAME.test(name) && trimmed !== '' && !isReference) reasons.push('secret-name');
  if (ACCESS_KEY_ID.test(value)) reasons.push('aws-access-key-id');
  if (PRIVATE_KEY.test(value)) reasons.push('private-key');
  if (URL_CREDENTIALS.test(value)) reasons.push('url-credentials');
  if (JWT.test(value)) reasons.push('jwt');
  if (!isReference && looksHighEntropy(trimmed)) reasons.push('high-entropy');
  return { looksSecret: reasons.length > 0, reasons };
}

/** Random-looking tokens: long, one word of token characters, letters and digits mixed, not a UUID or a path. */
export function looksHighEntropy(value: string): boolean {
  if (value.length < MIN_ENTROPY_LENGTH || !TOKEN_CHARS.test(value) || UUID.test(value) || value.startsWith('/')) return false;
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  return shannonEntropy(value) >= MIN_ENTROPY_BITS;
}

/** Bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}
