import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { prng } from '../helpers/prng.js';

/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of moto, shared by tests and the benchmark. It forwards every
 * request to the one target it was given and relays the answer, except the requests a rule picks: those it answers
 * itself, in the error shape of the request's own AWS protocol, so the real SDK clients parse and classify them as
 * they would a real AWS answer.
 */

export type FaultKind =
  | 'throttle' // awsJson 400 ThrottlingException; query 400 Throttling; EC2 503 Throttling; restJson 429 TooManyRequestsException; S3 503 SlowDown
  | 'unavailable' // 503: ServiceUnavailableException (json) / ServiceUnavailable (query, EC2, S3)
  | 'access-denied' // AccessDeniedException (json) / AccessDenied (query, S3 403) / UnauthorizedOperation (EC2 403)
  | 'scp-deny' // the same codes, "... with an explicit deny in a service control policy"
  | 'region-not-enabled' // json UnrecognizedClientException; query 403 InvalidClientTokenId; EC2 401 AuthFailure; S3 403 InvalidAccessKeyId
  | 'not-subscribed' // json SubscriptionRequiredException; query and EC2 OptInRequired; S3 403 NotSignedUp
  | 'reset'; // destroy the socket (lost network)

export interface FaultRule {
  /** Every given field must match; a list matches any of its entries. `contains`: substring of path+query+body. */
  match?: { service?: string | string[]; region?: string | string[]; operation?: string | string[]; contains?: string };
  /**
   * Share of matching requests to fault, 0..1 (default 1), drawn from the proxy's seeded PRNG. The first rule that
   * matches and is drawn wins; a matching rule that is not drawn passes the request on to the next rules.
   */
  rate?: number;
  /** A kind, or a custom error rendered in the request's protocol shape (e.g. EC2 503 RequestLimitExceeded). */
  fault: FaultKind | { status: number; code: string; message: string };
  /** Fault at most this many requests; then the rule no longer applies (e.g. 1: exactly one fault per service). */
  limit?: number;
  /** Added latency for every request the rule matches, before answering or passing it on (drawn or not). */
  delayMs?: number;
}

/** Counts AWS requests only: `/moto-api/` requests are forwarded untouched and not counted. */
export interface ProxyStats {
  requests: number;
  faulted: number;
  /** Faults by kind (custom faults by their code). */
  byKind: Record<string, number>;
}

export interface FaultProxy {
  endpoint: string;
  setRules(rules: FaultRule[]): void;
  stats(): ProxyStats;
  /** Faults by signing service (e.g. kms, elasticfilesystem), since the last resetStats. */
  faultsByService(): Record<string, number>;
  resetStats(): void;
  close(): Promise<void>;
}

export type Protocol = 'awsJson' | 'restJson' | 'query' | 'ec2' | 's3';

/** What the proxy knows about one request. */
export interface RequestInfo {
  service: string;
  region: string;
  protocol: Protocol;
  operation: string;
}

interface ErrorSpec {
  status: number;
  code: string;
  message: string;
}

/** A test proxy still must not buffer without limit. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Service, region, protocol and operation, from the SigV4 scope, the X-Amz-Target header, the body and the path. */
export function describeRequest(method: string, url: string, headers: IncomingHttpHeaders, body: string): RequestInfo {
  const scope = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/.exec(headerValue(headers, 'authorization') ?? '');
  const region = scope?.[1] ?? '';
  const service = scope?.[2] ?? '';
  const parsed = new URL(url, 'http://proxy.invalid');
  const target = headerValue(headers, 'x-amz-target');
  const contentType = headerValue(headers, 'content-type') ?? '';
  const form = contentType.includes('x-www-form-urlencoded') ? new URLSearchParams(body) : undefined;
  const action = form?.get('Action') ?? parsed.searchParams.get('Action') ?? undefined;
  const rest = `${method} ${parsed.pathname}`;
  if (service === 's3') return { service, region, protocol: 's3', operation: rest };
  if (target) return { service, region, protocol: 'awsJson', operation: target.slice(target.lastIndexOf('.') + 1) };
  if (service === 'ec2') return { service, region, protocol: 'ec2', operation: action ?? rest };
  if (action) return { service, region, protocol: 'query', operation: action };
  return { service, region, protocol: 'restJson', operation: rest };
}

function denial(info: RequestInfo, scp: boolean): string {
  const who = 'User: arn:aws:sts::000000000000:assumed-role/auditpack-audit/auditpack';
  const action = `${info.service}:${info.operation}`;
  return scp
    ? `${who} is not authorized to perform: ${action} with an explicit deny in a service control policy`
    : `${who} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`;
}

/** The status, code and message a real endpoint of this protocol answers for the fault. */
export function faultError(kind: Exclude<FaultKind, 'reset'>, info: RequestInfo): ErrorSpec {
  const p = info.protocol;
  const json = p === 'awsJson' || p === 'restJson';
  switch (kind) {
    case 'throttle':
      if (p === 's3') return { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' };
      if (p === 'restJson') return { status: 429, code: 'TooManyRequestsException', message: 'Rate exceeded' };
      if (p === 'awsJson') return { status: 400, code: 'ThrottlingException', message: 'Rate exceeded' };
      if (p === 'ec2') return { status: 503, code: 'Throttling', message: 'Request limit exceeded.' };
      return { status: 400, code: 'Throttling', message: 'Rate exceeded' };
    case 'unavailable':
      return { status: 503, code: json ? 'ServiceUnavailableException' : 'ServiceUnavailable', message: 'Service is unavailable. Please try again later.' };
    case 'access-denied':
    case 'scp-deny': {
      const message = denial(info, kind === 'scp-deny');
      if (p === 'awsJson') return { status: 400, code: 'AccessDeniedException', message };
      if (p === 'restJson') return { status: 403, code: 'AccessDeniedException', message };
      if (p === 'ec2') return { status: 403, code: 'UnauthorizedOperation', message: `You are not authorized to perform this operation. ${message}` };
      return { status: 403, code: 'AccessDenied', message };
    }
    case 'region-not-enabled': {
      const invalid = 'The security token included in the request is invalid.';
      if (p === 'awsJson') return { status: 400, code: 'UnrecognizedClientException', message: invalid };
      if (p === 'restJson') return { status: 403, code: 'UnrecognizedClientException', message: invalid };
      if (p === 'ec2') return { status: 401, code: 'AuthFailure', message: 'AWS was not able to validate the provided access credentials' };
      if (p === 's3') return { status: 403, code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.' };
      return { status: 403, code: 'InvalidClientTokenId', message: invalid };
    }
    case 'not-subscribed': {
      if (p === 'awsJson') return { status: 400, code: 'SubscriptionRequiredException', message: 'The AWS Access Key Id needs a subscription for the service' };
      if (p === 'restJson') return { status: 403, code: 'SubscriptionRequiredException', message: 'The AWS Access Key Id needs a subscription for the service' };
      if (p === 's3') return { status: 403, code: 'NotSignedUp', message: 'Your account is not signed up for the Amazon S3 service.' };
      return { status: 403, code: 'OptInRequired', message: 'You are not subscribed to this service. Please go to http://aws.amazon.com to subscribe.' };
    }
  }
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Headers and body of the error in the protocol's wire shape (what the SDK's deserializers parse). */
export function renderError(error: ErrorSpec, info: RequestInfo, requestId: string, method: string): { headers: Record<string, string>; body: string } {
  const { code, message } = error;
  switch (info.protocol) {
    case 'awsJson':
      return {
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'restJson':
      return {
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': code },
        body: JSON.stringify({ message }),
      };
    case 'query':
      return {
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: `<ErrorResponse><Error><Type>${error.status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      };
    case 'ec2':
      return {
        headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
      };
    case 's3':
      return {
        headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'x-amz-id-2': `proxy/${requestId}` },
        // A HEAD answer has no body; the SDK names the error from the status alone, as with real S3.
        body:
          method === 'HEAD'
            ? ''
            : `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message><RequestId>${requestId}</RequestId><HostId>proxy</HostId></Error>`,
      };
  }
}

function matchesOne(value: string, wanted: string | string[] | undefined): boolean {
  if (wanted === undefined) return true;
  return Array.isArray(wanted) ? wanted.includes(value) : value === wanted;
}

function matches(rule: FaultRule, info: RequestInfo, haystack: string): boolean {
  const m = rule.match;
  if (!m) return true;
  return (
    matchesOne(info.service, m.service) &&
    matchesOne(info.region, m.region) &&
    matchesOne(info.operation, m.operation) &&
    (m.contains === undefined || haystack.includes(m.contains))
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Starts the proxy on 127.0.0.1 (a free port) in front of `target` (http://host:port). */
export async function startFaultProxy(target: string, options: { rules?: FaultRule[]; seed?: number } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  if (upstream.protocol !== 'http:') throw new Error(`fault proxy: target must be http://host:port, got ${target}`);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const random = prng(options.seed ?? 1);
  let rules = options.rules ?? [];
  /** Faults each rule gave, for `limit`. */
  const spent = new WeakMap<FaultRule, number>();
  let stats: ProxyStats = { requests: 0, faulted: 0, byKind: {} };
  let byService: Record<string, number> = {};
  let requestCounter = 0;

  /**
   * The first rule that matches and whose rate draw selects the request. A matching rule that is not drawn passes
   * the request on, so rules with rates stack into mixtures; its delay applies all the same.
   */
  const pick = async (info: RequestInfo, haystack: string): Promise<FaultRule | undefined> => {
    for (const rule of rules) {
      const used = spent.get(rule) ?? 0;
      if ((rule.limit !== undefined && used >= rule.limit) || !matches(rule, info, haystack)) continue;
      if (rule.delayMs) await sleep(rule.delayMs);
      if (rule.rate === undefined || rule.rate >= 1 || random() < rule.rate) {
        spent.set(rule, used + 1);
        return rule;
      }
    }
    return undefined;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, path: string) => {
    const out = httpRequest(
      { agent, host: upstream.hostname, port: upstream.port || 80, method: req.method, path, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', (err) => {
      if (res.headersSent) res.destroy();
      else res.writeHead(502, { 'content-type': 'text/plain' }).end(`fault proxy: upstream failed: ${err.message}`);
    });
    out.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (!body) {
      res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('fault proxy: request body too large');
      return;
    }
    const parsed = new URL(req.url ?? '/', 'http://proxy.invalid');
    // Only ever the path: an absolute-form request line must not steer the proxy to another host.
    const path = parsed.pathname + parsed.search;
    if (parsed.pathname.startsWith('/moto-api/')) return forward(req, res, body, path);

    const method = req.method ?? 'GET';
    const text = body.toString('utf8');
    const info = describeRequest(method, path, req.headers, text);
    stats.requests++;
    const rule = await pick(info, path + text);
    if (!rule) return forward(req, res, body, path);

    const kind = typeof rule.fault === 'string' ? rule.fault : rule.fault.code;
    stats.faulted++;
    stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
    byService[info.service] = (byService[info.service] ?? 0) + 1;
    if (rule.fault === 'reset') {
      req.socket.destroy();
      return;
    }
    const error = typeof rule.fault === 'string' ? faultError(rule.fault, info) : rule.fault;
    const requestId = `fault-proxy-${(++requestCounter).toString().padStart(8, '0')}`;
    const rendered = renderError(error, info, requestId, method);
    res.writeHead(error.status, { ...rendered.headers, 'content-length': String(Buffer.byteLength(rendered.body)) });
    res.end(rendered.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(`fault proxy: ${String(err)}`);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    setRules(next) {
      rules = next;
    },
    stats: () => ({ ...stats, byKind: { ...stats.byKind } }),
    faultsByService: () => ({ ...byService }),
    resetStats() {
      stats = { requests: 0, faulted: 0, byKind: {} };
      byService = {};
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
