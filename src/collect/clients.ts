import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { ClientConfig, ClientConstructor, ClientProvider } from '../core/collector.js';
import { CallBudget, type CallKey } from './call-budget.js';
import { iamAction, recordCall } from './call-log.js';
import { attemptCap, CallBudgetRetryStrategy, type RetryOptions } from './retry.js';

export interface AwsAccessOptions {
  /** Overrides the endpoint of every client (moto in tests and the demo); defaults to AWS_ENDPOINT_URL. */
  endpoint?: string;
  credentials?: AwsCredentialIdentityProvider;
  /** Attempts per call, including the first, for transient errors; throttling gets more (see retry.ts). */
  maxAttempts: number;
  /** Retry tuning beyond maxAttempts (tests and the benchmark use small delays). */
  retry?: Omit<RetryOptions, 'maxAttempts'>;
  /** Concurrent API calls per account, region and service (the ceiling when `budget` is given: its own). */
  callsPerService: number;
  /**
   * The collection's call budget (machine-wide attempts on the wire, per account × region × service limits),
   * shared by every account's clients; absent: a budget of these clients' own, with no machine-wide limit.
   */
  budget?: CallBudget;
}

interface MiddlewareStackLike {
  add(middleware: unknown, options: { step: string; name: string; priority?: string }): void;
}
interface ClientLike {
  middlewareStack: MiddlewareStackLike;
  config?: unknown;
  destroy?(): void;
}
interface HandlerContext {
  clientName?: string;
  commandName?: string;
}
type Next = (args: { request?: unknown; input?: unknown }) => Promise<{ output?: { $metadata?: { requestId?: string } }; response?: unknown }>;

/**
 * Builds SDK v3 clients for one account: per-call retry budgets, endpoint override, the call budget (per account ×
 * region × service concurrency, machine-wide attempts on the wire), and a middleware that records every call
 * (action, request id, time, outcome) into the running collector's log. `destroy` ends every client it built.
 */
export class AccountClients {
  private readonly cache = new Map<string, unknown>();
  private readonly budget: CallBudget;

  constructor(
    readonly account: string,
    private readonly options: AwsAccessOptions,
  ) {
    this.budget = options.budget ?? new CallBudget({ maxCalls: Infinity, perKey: options.callsPerService });
  }

  /** Ends every client built so far (their sockets) and forgets them; a later call builds new ones. */
  destroy(): void {
    for (const client of this.cache.values()) (client as ClientLike).destroy?.();
    this.cache.clear();
    this.budget.forgetAccount(this.account);
  }

  forRegion(region: string): ClientProvider {
    return {
      get: <C>(ctor: ClientConstructor<C>, opts?: { region?: string }): C => this.client(ctor, opts?.region ?? region),
    };
  }

  private client<C>(ctor: ClientConstructor<C>, region: string): C {
    const key = `${ctor.name}|${region}`;
    const cached = this.cache.get(key);
    if (cached) return cached as C;
    const endpoint = this.options.endpoint ?? process.env.AWS_ENDPOINT_URL;
    const retry: RetryOptions = { ...this.options.retry, maxAttempts: this.options.maxAttempts };
    const config: ClientConfig = {
      region,
      // Given a retryStrategy, the SDK reads maxAttempts only for its amz-sdk-request header.
      maxAttempts: attemptCap(retry),
      // One strategy per client: it holds no shared quota, only the optional rate limiter of this client.
      retryStrategy: new CallBudgetRetryStrategy(retry),
    };
    if (this.options.credentials) config.credentials = this.options.credentials;
    // A bucket call sent to the wrong region (its location was refused, so the home region was a guess) follows
    // S3's redirect to the bucket's region instead of failing every setting of that bucket.
    if (ctor.name === 'S3Client') config.followRegionRedirects = true;
    if (endpoint) {
      config.endpoint = endpoint;
      config.forcePathStyle = true;
      // S3 Control's endpoint rules put the account id in the host (<account>.s3-control...), which a local
      // endpoint such as http://127.0.0.1:port cannot take: resolve every S3 Control call to the endpoint as given.
      if (ctor.name === 'S3ControlClient') config.endpointProvider = () => ({ url: new URL(endpoint) });
      // Kinesis's default request handler speaks HTTP/2 only (for SubscribeToShard); a local endpoint such as moto
      // answers HTTP/1.1, so the override gets the ordinary handler (every other API of the client works over it).
      if (ctor.name === 'KinesisClient') config.requestHandler = new NodeHttpHandler();
    }
    const client = new ctor(config);
    this.instrument(client as unknown as ClientLike, { account: this.account, region, service: ctor.name });
    this.cache.set(key, client);
    return client;
  }

  private instrument(client: ClientLike, key: CallKey): void {
    const clientName = key.service;
    const budget = this.budget;
    client.middlewareStack.add(
      (next: Next, context: HandlerContext) => async (args: { input?: unknown }) => {
        const action = iamAction(context.clientName ?? clientName, context.commandName ?? 'Unknown');
        const [service, name] = action.split(':') as [string, string];
        const at = new Date().toISOString();
        try {
          const result = await budget.call(key, () => next(args));
          recordCall({ service, action: name, at, ok: true, requestId: result.output?.$metadata?.requestId });
          return result;
        } catch (err) {
          const e = err as { name?: string; $metadata?: { requestId?: string } };
          recordCall({ service, action: name, at, ok: false, errorCode: e.name, requestId: e.$metadata?.requestId });
          (err as { auditpackAction?: string }).auditpackAction = action;
          throw err;
        }
      },
      { step: 'initialize', name: 'auditpackCallLog', priority: 'high' },
    );
    // Below the retry middleware (finalizeRequest, high): each attempt takes a machine-wide slot only while it is on
    // the wire, never while the call sleeps in backoff, and its outcome (throttled or not) steers the key's limit.
    client.middlewareStack.add((next: Next) => (args: { request?: unknown }) => budget.attempt(key, () => next(args)), {
      step: 'finalizeRequest',
      name: 'auditpackCallBudget',
      priority: 'low',
    });
  }
}
