import type { IncomingHttpHeaders } from 'node:http';

/**
 * How a request is recognised by the replay endpoint: the signing service and region from the SigV4 credential
 * scope, the method, the path, the query and the body, with the request's own account id replaced by a placeholder
 * and volatile fields (idempotency tokens) removed. Two requests with the same key ask the same question of their
 * own account, so the answer recorded for one account answers the other once the account id is substituted.
 */

/** The placeholder for the request's own account id in a key. */
export const ACCOUNT_SLOT = '{account}';

/** Idempotency tokens: random per request, never part of the question. */
const VOLATILE = new Set(['ClientToken', 'ClientRequestToken', 'IdempotencyToken']);

/** Keys are built from bounded text: a body longer than this is refused before it is parsed. */
export const MAX_KEY_BODY_BYTES = 1024 * 1024;

export interface SigningScope {
  accessKeyId: string;
  region: string;
  service: string;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The SigV4 credential scope of a request (Authorization header), or undefined for an unsigned request. */
export function signingScope(headers: IncomingHttpHeaders): SigningScope | undefined {
  const auth = headerValue(headers, 'authorization') ?? '';
  if (auth.length > 4096) return undefined;
  const m = /Credential=([A-Za-z0-9]{1,128})\/\d{8}\/([a-z0-9-]{1,32})\/([a-z0-9-]{1,64})\/aws4_request/.exec(auth);
  return m ? { accessKeyId: m[1] as string, region: m[2] as string, service: m[3] as string } : undefined;
}

const replaceAll = (text: string, account: string): string => (account ? text.split(account).join(ACCOUNT_SLOT) : text);

function sortedParams(params: URLSearchParams): string {
  const pairs = [...params].filter(([k]) => !VOLATILE.has(k));
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function withoutVolatile(value: unknown, depth: number): unknown {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => withoutVolatile(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) if (!VOLATILE.has(k)) out[k] = withoutVolatile((value as Record<string, unknown>)[k], depth + 1);
  return out;
}

/** The body as part of a key: form bodies sorted, JSON bodies canonical, both without volatile fields. */
function normalisedBody(body: string, contentType: string): string {
  if (body === '') return '';
  if (contentType.includes('x-www-form-urlencoded')) return sortedParams(new URLSearchParams(body));
  if (contentType.includes('json')) {
    try {
      return JSON.stringify(withoutVolatile(JSON.parse(body), 0));
    } catch {
      return body;
    }
  }
  return body;
}

export interface KeyedRequest {
  method: string;
  /** Path and query as sent (origin form). */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * The key of a request sent by (or recorded for) `account`. Undefined for an unsigned request: every AWS API
 * call auditpack makes is signed, so an unsigned one is never a recorded question.
 */
export function requestKey(req: KeyedRequest, account: string): string | undefined {
  const scope = signingScope(req.headers);
  if (!scope) return undefined;
  const parsed = new URL(req.url, 'http://replay.invalid');
  const target = headerValue(req.headers, 'x-amz-target') ?? '';
  const body = normalisedBody(req.body, headerValue(req.headers, 'content-type') ?? '');
  const raw = [scope.service, scope.region, req.method, target, parsed.pathname, sortedParams(parsed.searchParams), body].join('\n');
  return replaceAll(raw, account);
}
