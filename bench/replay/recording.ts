import { open } from 'node:fs/promises';
import { writeFileAtomic } from '../../src/core/fs.js';

/**
 * A recording: NDJSON, one header line, then one line per request→response exchange in the order the answers
 * arrived. Bodies are kept as sent by the server; the recorded account id is substituted at replay time.
 */

export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  kind: 'auditpack-replay-recording';
  version: typeof RECORDING_VERSION;
  /** The account whose answers were recorded: its id is replaced by the asking account's in every answer. */
  account: string;
  /** The organisation's management account in the recording (the caller of the recorded run). */
  management: string;
  regions: string[];
  /** The role the recorded run assumed into `account`. */
  roleName: string;
}

export interface Exchange {
  /** requestKey() of the request, for the recorded account. */
  key: string;
  /** Signing service and operation, for statistics (e.g. ec2 DescribeSecurityGroups). */
  service: string;
  operation: string;
  region: string;
  method: string;
  status: number;
  /** Response headers a client reads (content type, request id, S3 region and error headers), lower-case names. */
  headers: Record<string, string>;
  /** The answer's bytes: text when they are UTF-8, base64 otherwise (e.g. a CBOR body). */
  body: string;
  encoding: 'utf8' | 'base64';
}

/** The body of an exchange as stored: UTF-8 text when it round-trips, base64 otherwise. */
export function encodeBody(bytes: Buffer): { body: string; encoding: 'utf8' | 'base64' } {
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? { body: text, encoding: 'utf8' } : { body: bytes.toString('base64'), encoding: 'base64' };
}

export const decodeBody = (e: Pick<Exchange, 'body' | 'encoding'>): Buffer => Buffer.from(e.body, e.encoding);

export interface Recording {
  header: RecordingHeader;
  exchanges: Exchange[];
}

/** Bounds for reading a recording: it is a file on disk like any other input. */
const MAX_RECORDING_BYTES = 256 * 1024 * 1024;
const MAX_LINE_BYTES = 16 * 1024 * 1024;

export async function writeRecording(path: string, recording: Recording): Promise<void> {
  const lines = [JSON.stringify(recording.header), ...recording.exchanges.map((e) => JSON.stringify(e))];
  await writeFileAtomic(path, `${lines.join('\n')}\n`);
}

const isString = (v: unknown): v is string => typeof v === 'string';

function checkHeader(value: unknown, path: string): RecordingHeader {
  const h = value as Partial<RecordingHeader> | null;
  if (!h || h.kind !== 'auditpack-replay-recording' || h.version !== RECORDING_VERSION) throw new Error(`${path}: line 1 is not an auditpack replay recording header of version ${RECORDING_VERSION} (fix: record again with bench/replay/record.ts)`);
  if (!isString(h.account) || !/^\d{12}$/.test(h.account) || !isString(h.management) || !/^\d{12}$/.test(h.management)) throw new Error(`${path}: header account/management must be 12-digit account ids`);
  if (!Array.isArray(h.regions) || !h.regions.every(isString) || !isString(h.roleName)) throw new Error(`${path}: header regions/roleName are missing`);
  return h as RecordingHeader;
}

function checkExchange(value: unknown, path: string, line: number): Exchange {
  const e = value as Partial<Exchange> | null;
  const ok =
    e &&
    isString(e.key) &&
    isString(e.service) &&
    isString(e.operation) &&
    isString(e.region) &&
    isString(e.method) &&
    isString(e.body) &&
    (e.encoding === 'utf8' || e.encoding === 'base64') &&
    Number.isInteger(e.status) &&
    typeof e.headers === 'object' &&
    e.headers !== null &&
    Object.values(e.headers).every(isString);
  if (!ok) throw new Error(`${path}:${line}: not a recorded exchange (key, service, operation, region, method, status, headers, body, encoding)`);
  return e as Exchange;
}

/** Reads and checks a recording, bounded in total size and per line. */
export async function readRecording(path: string): Promise<Recording> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > MAX_RECORDING_BYTES) throw new Error(`${path}: recording is ${size} bytes, over the ${MAX_RECORDING_BYTES}-byte limit`);
    const text = (await handle.readFile()).toString('utf8');
    const lines = text.split('\n').filter((l) => l !== '');
    if (lines.some((l) => l.length > MAX_LINE_BYTES)) throw new Error(`${path}: a line is over ${MAX_LINE_BYTES} bytes`);
    const [first, ...rest] = lines;
    if (first === undefined) throw new Error(`${path}: empty recording`);
    const header = checkHeader(JSON.parse(first), path);
    return { header, exchanges: rest.map((l, i) => checkExchange(JSON.parse(l), path, i + 2)) };
  } finally {
    await handle.close();
  }
}
