/**
 * Fake AWS SDK v3 clients for collector unit tests (moto covers the rest in test/integration).
 *
 * `fakeClients(answers)` gives a `CollectContext` whose `clients.get(Ctor)` returns a real client of that class
 * (SDK paginators check `instanceof`) with a static credential and a `send` that never leaves the process: it
 * answers each command from the table, by command class or name, and records every call, with the client's
 * Region. `ctx.map` runs its items one after another, so recorded calls come in a stable order.
 *
 *   const { ctx, calls } = fakeClients({
 *     ListBuckets: { Buckets: [{ Name: 'a' }] },                                           // a response
 *     GetBucketPolicy: (input) => (input.Bucket === 'a' ? { Policy: '{}' } : awsError('NoSuchBucketPolicy')),
 *     GetBucketAcl: awsError('AccessDenied'),                                              // always thrown
 *   });
 *
 * A command the table does not answer throws (so a collector's new call shows up as a failing test).
 */
import type { ClientConstructor, ClientProvider, CollectContext } from '../../collectors/types.js';

/** The input of a sent command, as the collector built it. */
export type CommandInput = Record<string, unknown>;

/** One recorded `send`: the command's name without `Command`, its input, and the Region of the client. */
export interface SentCall {
  command: string;
  input: CommandInput;
  region: string;
}

/**
 * How to answer a command: a response object (`$metadata` is added), an `Error` to throw, or a function of the
 * input (and the call) returning either, possibly asynchronously.
 */
export type Answer = object | ((input: CommandInput, call: SentCall) => object | Promise<object>);

/** A command class (e.g. `ListBucketsCommand`) or its name, with or without the `Command` suffix. */
export type CommandKey = string | (abstract new (...args: never[]) => unknown);

/** Answers keyed by command name, or pairs of command class (or name) and answer. */
export type Answers = Readonly<Record<string, Answer>> | Iterable<readonly [CommandKey, Answer]>;

export interface FakeClientsOptions {
  /** Account id of the context (default 111111111111). */
  account?: string;
  /** Region of the context, and of every client not asked for another one (default us-east-1). */
  region?: string;
}

export interface FakeClients {
  ctx: CollectContext;
  /** `ctx.clients`, e.g. for `runCollector(collector, { account, region, clients })`. */
  clients: ClientProvider;
  /** Every command sent, in order. */
  calls: SentCall[];
  /** The calls of one command (class or name), in order. */
  callsOf(command: CommandKey): SentCall[];
}

export const FAKE_ACCOUNT = '111111111111';

/** An error as the SDK throws it for an AWS error code: `name` and `Code` set, `$fault` and `$metadata` present. */
export function awsError(name: string, options: { message?: string; httpStatusCode?: number } = {}): Error {
  const httpStatusCode = options.httpStatusCode ?? 400;
  return Object.assign(new Error(options.message ?? name), {
    name,
    Code: name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode, requestId: 'fake-request' },
  });
}

function commandName(key: CommandKey): string {
  return (typeof key === 'string' ? key : key.name).replace(/Command$/, '');
}

function answerTable(answers: Answers): Map<string, Answer> {
  const pairs: Iterable<readonly [CommandKey, Answer]> = Symbol.iterator in answers ? (answers as Iterable<readonly [CommandKey, Answer]>) : Object.entries(answers);
  const table = new Map<string, Answer>();
  for (const [key, answer] of pairs) table.set(commandName(key), answer);
  return table;
}

export function fakeClients(answers: Answers, options: FakeClientsOptions = {}): FakeClients {
  const table = answerTable(answers);
  const account = options.account ?? FAKE_ACCOUNT;
  const defaultRegion = options.region ?? 'us-east-1';
  const calls: SentCall[] = [];

  const clients: ClientProvider = {
    get<C>(ctor: ClientConstructor<C>, clientOptions?: { region?: string }): C {
      const region = clientOptions?.region ?? defaultRegion;
      const client = new ctor({ region, credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' } });
      (client as { send: unknown }).send = async (command: { constructor: { name: string }; input?: CommandInput }) => {
        const call: SentCall = { command: commandName(command.constructor.name), input: command.input ?? {}, region };
        calls.push(call);
        const answer = table.get(call.command);
        if (answer === undefined) throw new Error(`fake-clients: no answer for ${call.command} (in ${region})`);
        const response = typeof answer === 'function' ? await answer(call.input, call) : answer;
        if (response instanceof Error) throw response;
        return { $metadata: { httpStatusCode: 200, requestId: 'fake-request' }, ...response };
      };
      return client;
    },
  };

  const map = async <T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> => {
    const results: R[] = [];
    for (const item of items) results.push(await fn(item));
    return results;
  };

  return {
    ctx: { account, region: defaultRegion, clients, map },
    clients,
    calls,
    callsOf: (command) => calls.filter((c) => c.command === commandName(command)),
  };
}
