import { Readable } from 'node:stream';

/**
 * moto compatibility shim, and nothing else. moto 5.2.1 sends BatchGet(Aggregate)ResourceConfig timestamps as
 * Python datetime strings ("2026-12-01 11:14:48.071271+00:00") where AWS sends epoch seconds, and the SDK refuses
 * the whole response. This rewrites exactly `"<timestamp key>": "<python datetime>"` pairs into epoch numbers: AWS
 * never sends that shape, so the rewrite cannot change an AWS answer. Installed only on Config clients, only when
 * the run uses an endpoint override (moto), and only for the two BatchGet commands.
 */
const KEYS = 'configurationItemCaptureTime|resourceCreationTime|configurationItemDeliveryTime';
const PYTHON_TIME = new RegExp(`"(${KEYS})": ?"(\\d{4}-\\d\\d-\\d\\d)[ T](\\d\\d:\\d\\d:\\d\\d)(\\.\\d{1,6})?([+-]\\d\\d:\\d\\d|Z)?"`, 'g');
/** Bodies larger than this are passed through unchanged (the SDK then reports its own parse error). */
const MAX_BODY = 64 * 1024 * 1024;
const COMMANDS = new Set(['BatchGetResourceConfigCommand', 'BatchGetAggregateResourceConfigCommand']);

export function rewritePythonTimestamps(text: string): string {
  return text.replace(PYTHON_TIME, (_m, key: string, day: string, time: string, fraction: string | undefined, zone: string | undefined) => {
    const ms = Date.parse(`${day}T${time}${(fraction ?? '').slice(0, 4)}${zone ?? 'Z'}`);
    return Number.isFinite(ms) ? `"${key}": ${ms / 1000}` : _m;
  });
}

interface StackLike {
  add(middleware: unknown, options: { step: string; name: string; priority?: string }): void;
  identify?(): string[];
}
type Handler = (args: unknown) => Promise<{ response?: { body?: unknown } }>;

const NAME = 'auditpackMotoConfigTimestamps';
const installed = new WeakSet<object>();

export function installMotoTimestampShim(client: { middlewareStack: StackLike }): void {
  if (installed.has(client)) return;
  installed.add(client);
  client.middlewareStack.add(
    (next: Handler, context: { commandName?: string }) => async (args: unknown) => {
      const out = await next(args);
      const body = out.response?.body;
      if (!COMMANDS.has(context.commandName ?? '') || !out.response || !body || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') return out;
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
        const b = Buffer.from(chunk);
        size += b.length;
        chunks.push(b);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      out.response.body = Readable.from([Buffer.from(size > MAX_BODY ? text : rewritePythonTimestamps(text))]);
      return out;
    },
    { step: 'deserialize', priority: 'low', name: NAME },
  );
}
