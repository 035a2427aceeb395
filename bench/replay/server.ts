import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeRequest, renderError, type RequestInfo } from '../../test/support/fault-proxy.js';
import { listenLoopback, readBody } from './http.js';
import { fillMotoGaps } from './moto-gaps.js';
import { accountOfKey, assumeRole, getCallerIdentity, listAccounts, organisation, type Answer, type Organisation } from './organisation.js';
import { decodeBody, type Exchange, type Recording } from './recording.js';
import { MAX_KEY_BODY_BYTES, requestKey, signingScope } from './request-key.js';

export interface ReplayOptions {
  /** Accounts in the synthetic organisation (the recording's management account is one of them). */
  accounts: number;
  /** Added to every answer, with a timer (default 50 ms). */
  latencyMs?: number;
  /** The audit role AssumeRole accepts (default: the recording's). */
  roleName?: string;
  /** Replay moto's answers for APIs it lacks as recorded instead of as AWS answers (moto-gaps.ts); default false. */
  keepMotoGaps?: boolean;
}

export interface ReplayStats {
  requests: number;
  /** Requests with no recorded or synthesised answer; a benchmark with any is not measuring real work. */
  unknown: number;
  /** The first few unknown requests (service, region, operation, path), for the failure message. */
  unknownSamples: string[];
  /** Requests by signing service and operation, e.g. `ec2 DescribeSecurityGroups`. */
  byOperation: Record<string, number>;
  /** Requests by account. */
  accountsSeen: number;
  /** Most requests in flight at once (latency included). */
  peakInFlight: number;
  /** Sum of every request's time in the server, ms: over the first-to-last window it is the mean number in flight. */
  busyMs: number;
  /** When the first and the last request arrived (performance.now() ms; undefined before any). */
  firstRequestAt?: number;
  lastRequestAt?: number;
}

export interface ReplayServer {
  endpoint: string;
  org: Organisation;
  stats(): ReplayStats;
  /** Recorded answers replaced by AWS's answer where moto lacks the API, per gap. */
  motoGapsFilled: Record<string, number>;
  close(): Promise<void>;
}

/** One recorded answer, split at the recorded account id so the asking account's can be put in its place. */
interface Template {
  status: number;
  headers: Record<string, string[]>;
  body: Buffer[];
}

function splitBuffer(bytes: Buffer, marker: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(marker, from); at !== -1; at = bytes.indexOf(marker, from)) {
    parts.push(bytes.subarray(from, at));
    from = at + marker.length;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

function template(e: Exchange, account: string): Template {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(e.headers)) headers[name] = value.split(account);
  return { status: e.status, headers, body: splitBuffer(decodeBody(e), Buffer.from(account, 'latin1')) };
}

function fill(t: Template, account: string): { status: number; headers: Record<string, string>; body: Buffer } {
  const marker = Buffer.from(account, 'latin1');
  const parts: Buffer[] = [];
  t.body.forEach((p, i) => {
    if (i > 0) parts.push(marker);
    parts.push(p);
  });
  const headers: Record<string, string> = {};
  for (const [name, pieces] of Object.entries(t.headers)) headers[name] = pieces.join(account);
  return { status: t.status, headers, body: Buffer.concat(parts) };
}

/** Distinct operations counted one by one; the rest are counted together. */
const MAX_OPERATION_KEYS = 2_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Error for a request the recording cannot answer: the protocol's own "unknown operation" shape. */
function unknownError(info: RequestInfo): { status: number; code: string; message: string } {
  const message = `replay: no recorded answer for ${info.service} ${info.operation}`;
  if (info.protocol === 's3') return { status: 501, code: 'NotImplemented', message };
  if (info.protocol === 'awsJson' || info.protocol === 'restJson') return { status: 400, code: 'UnknownOperationException', message };
  return { status: 400, code: 'InvalidAction', message };
}

/**
 * Starts the replay endpoint on 127.0.0.1: answers each request of any account of a synthetic organisation from
 * the recording (by requestKey, with the recorded account id replaced by the asking account's), and identity and
 * organisation calls itself. A key recorded with several answers (a credential report that is generated, then
 * ready) gets them in order per account, then the last one again. Unknown requests get an AWS error in their
 * protocol's shape and are counted.
 */
export async function startReplay(recording: Recording, options: ReplayOptions): Promise<ReplayServer> {
  const recorded = recording.header.account;
  const org = organisation(recording.header.management, options.accounts, options.roleName ?? recording.header.roleName, [recorded]);
  const members = new Set(org.accounts);
  const latency = options.latencyMs ?? 50;
  const answers = new Map<string, Template[]>();
  const { exchanges, filled } = options.keepMotoGaps ? { exchanges: recording.exchanges, filled: {} } : fillMotoGaps(recording.exchanges);
  for (const e of exchanges) {
    const list = answers.get(e.key) ?? [];
    list.push(template(e, recorded));
    answers.set(e.key, list);
  }
  /** Per account and key with several answers: how many were given. */
  const served = new Map<string, number>();
  const seen = new Set<string>();
  let stats: Omit<ReplayStats, 'accountsSeen' | 'byOperation'> = { requests: 0, unknown: 0, unknownSamples: [], peakInFlight: 0, busyMs: 0 };
  const operations = new Map<string, number>();
  let inFlight = 0;
  let counter = 0;

  const send = (res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string) => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(status, { ...headers, 'content-length': String(bytes.length) });
    res.end(bytes);
  };

  const answer = (req: IncomingMessage, body: Buffer, url: string, info: RequestInfo, requestId: string): Answer | { status: number; headers: Record<string, string>; body: Buffer } | undefined => {
    const scope = signingScope(req.headers);
    if (!scope) return undefined;
    const account = accountOfKey(scope.accessKeyId, org);
    if (!members.has(account)) return undefined;
    seen.add(account);
    const text = body.toString('latin1');
    if (info.service === 'sts' && info.operation === 'GetCallerIdentity') return getCallerIdentity(account, org, requestId);
    if (info.service === 'sts' && info.operation === 'AssumeRole') {
      const result = assumeRole(new URLSearchParams(text), account, org, members, requestId, Date.now());
      if ('denied' in result) return { status: 403, ...renderError({ status: 403, code: 'AccessDenied', message: result.denied }, info, requestId, req.method ?? 'POST') };
      return result;
    }
    if (info.service === 'organizations' && info.operation === 'ListAccounts') {
      if (account !== org.management) return { status: 400, ...renderError({ status: 400, code: 'AccessDeniedException', message: 'You don\'t have permissions to access this resource.' }, info, requestId, 'POST') };
      const result = listAccounts(text, org, requestId);
      if ('error' in result) return { status: 400, ...renderError({ status: 400, code: result.code, message: result.error }, info, requestId, 'POST') };
      return result;
    }
    const key = requestKey({ method: req.method ?? 'GET', url, headers: req.headers, body: text }, account);
    const list = key === undefined ? undefined : answers.get(key);
    if (!list || list.length === 0) return undefined;
    let pick = list[0] as Template;
    if (list.length > 1) {
      const slot = `${account}\n${key}`;
      const n = served.get(slot) ?? 0;
      served.set(slot, n + 1);
      pick = list[Math.min(n, list.length - 1)] as Template;
    }
    return fill(pick, account);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    inFlight++;
    stats.peakInFlight = Math.max(stats.peakInFlight, inFlight);
    const arrived = performance.now();
    try {
      const body = await readBody(req, MAX_KEY_BODY_BYTES);
      if (!body) {
        send(res, 413, { 'content-type': 'text/plain', connection: 'close' }, 'replay: request body too large');
        return;
      }
      const parsed = new URL(req.url ?? '/', 'http://replay.invalid');
      const url = parsed.pathname + parsed.search;
      const method = req.method ?? 'GET';
      const info = describeRequest(method, url, req.headers, body.toString('latin1'));
      stats.requests++;
      stats.firstRequestAt ??= performance.now();
      stats.lastRequestAt = performance.now();
      // Per operation, with account ids folded (S3 paths name buckets after accounts) and a bounded number of keys.
      const named = `${info.service || '(unsigned)'} ${info.operation}`.slice(0, 200).replace(/\d{12}/g, '{account}');
      const op = operations.has(named) || operations.size < MAX_OPERATION_KEYS ? named : '(other operations)';
      operations.set(op, (operations.get(op) ?? 0) + 1);
      const requestId = `replay-${(++counter).toString().padStart(10, '0')}`;
      if (latency > 0) await sleep(latency);
      const found = answer(req, body, url, info, requestId);
      if (found) {
        send(res, found.status, found.headers, found.body);
        return;
      }
      stats.unknown++;
      if (stats.unknownSamples.length < 20) stats.unknownSamples.push(`${info.service || '(unsigned)'} ${info.region} ${info.operation} ${url.slice(0, 200)}`);
      const error = unknownError(info);
      const rendered = renderError(error, info, requestId, method);
      send(res, error.status, rendered.headers, rendered.body);
    } finally {
      inFlight--;
      stats.busyMs += performance.now() - arrived;
    }
  };

  const listening = await listenLoopback(handle);
  return {
    endpoint: listening.endpoint,
    org,
    motoGapsFilled: filled,
    stats: () => ({ ...stats, unknownSamples: [...stats.unknownSamples], byOperation: Object.fromEntries(operations), accountsSeen: seen.size }),
    close: async () => {
      await listening.close();
      stats = { requests: 0, unknown: 0, unknownSamples: [], peakInFlight: 0, busyMs: 0 };
      operations.clear();
    },
  };
}
