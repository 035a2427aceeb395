import { DefaultRateLimiter, type RateLimiter } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';

/**
 * The retry budget of every SDK call, per call and never per client.
 *
 * The SDK's standard strategy also spends from a client-wide quota (500 tokens, a few per retry, refunded on
 * success): under a throttling storm the quota runs dry and from then on every throttle fails at once, so one
 * busy service turns into ERROR results for controls that only needed patience. This strategy has no shared
 * quota. Each call gets its own budget instead:
 *
 * - `maxAttempts` (the CLI's --max-attempts, default 6) bounds attempts for transient failures: timeouts, lost
 *   connections, 500/502/503/504.
 * - throttling (the SDK's classification: ThrottlingException, Throttling, RequestLimitExceeded, SlowDown, 429,
 *   ...) gets `throttleAttempts`, by default three times that (18): throttling means "later", not "broken".
 *   A 503 counts as throttling too: AWS answers 503 (ServiceUnavailable, SlowDown) when it sheds load, and
 *   documents it as "reduce your request rate", so a storm of 503s must not spend the short transient budget.
 *   Throttles do not use up the transient budget. `maxAttempts: 1` means one attempt, whatever the error.
 * - Anything else (AccessDenied, validation, 501 not implemented, ...) is never retried: the caller turns it
 *   into ERROR for exactly what needed the call.
 *
 * Delays are exponential with full jitter (uniform in [0, min(cap, base * 2^n)]), n counting retries of the same
 * kind, at least any Retry-After the service sent. The concurrency limit in clients.ts is held while a call waits,
 * so a throttled service slows down by itself. Optionally (`adaptive`) the SDK's cubic client-side rate limiter
 * paces the client's sends as well; it is off by default because each throttle cuts the client's rate by 30 %,
 * down to 0.5 calls/s, and a storm that is not caused by our own rate (other callers, a shared account quota)
 * then only slows us: the throttling benchmark took 42 s with it against 11-16 s without (npm run bench).
 */
export interface RetryOptions {
  /** Attempts (including the first) for transient errors. */
  maxAttempts: number;
  /** Attempts (including the first) while the call keeps being throttled; default 3 * maxAttempts. */
  throttleAttempts?: number;
  /** Backoff base for transient errors (ms, default 100). */
  baseDelayMs?: number;
  /** Backoff base for throttling (ms, default 500). */
  throttleBaseDelayMs?: number;
  /** Cap of a single delay (ms, default 20 s, as the SDK's). */
  maxDelayMs?: number;
  /** Pace sends with the SDK's adaptive (cubic) rate limiter, one per client. Default off: see retry.ts. */
  adaptive?: boolean | RateLimiter;
  /** For tests: how to wait, and the jitter source in [0, 1). */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_BASE_DELAY_MS = 100;
export const DEFAULT_THROTTLE_BASE_DELAY_MS = 500;
export const DEFAULT_MAX_DELAY_MS = 20_000;

/** The throttling budget for a given --max-attempts (see the comment above RetryOptions). */
export function throttleAttemptsFor(maxAttempts: number): number {
  return maxAttempts <= 1 ? 1 : 3 * maxAttempts;
}

/** Most attempts a call can make under these options (the SDK's amz-sdk-request header states it). */
export function attemptCap(options: RetryOptions): number {
  return Math.max(options.maxAttempts, options.throttleAttempts ?? throttleAttemptsFor(options.maxAttempts));
}

/** One call's retry state. The delay is already waited for inside refreshRetryTokenForRetry, so it reads 0. */
class CallToken implements RetryToken {
  constructor(
    readonly retries: number,
    readonly transientFailures: number,
    readonly throttles: number,
    readonly waitedMs: number,
  ) {}
  getRetryCount(): number {
    return this.retries;
  }
  getRetryDelay(): number {
    return 0;
  }
  get $retryLog(): { acquisitionDelay: number } {
    return { acquisitionDelay: this.waitedMs };
  }
}

/** A 503 answer (any protocol): the service is shedding load. */
function sheddingLoad(info: RetryErrorInfo): boolean {
  const error = info.error as { $metadata?: { httpStatusCode?: number }; name?: string } | undefined;
  return error?.$metadata?.httpStatusCode === 503 || error?.name === 'ServiceUnavailable' || error?.name === 'ServiceUnavailableException';
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class CallBudgetRetryStrategy implements RetryStrategyV2 {
  private readonly maxAttempts: number;
  private readonly throttleAttempts: number;
  private readonly baseDelayMs: number;
  private readonly throttleBaseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly rateLimiter: RateLimiter | undefined;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: RetryOptions) {
    this.maxAttempts = Math.max(1, Math.floor(options.maxAttempts));
    this.throttleAttempts = Math.max(1, Math.floor(options.throttleAttempts ?? throttleAttemptsFor(this.maxAttempts)));
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.throttleBaseDelayMs = options.throttleBaseDelayMs ?? DEFAULT_THROTTLE_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.rateLimiter = options.adaptive === true ? new DefaultRateLimiter() : options.adaptive || undefined;
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
  }

  async acquireInitialRetryToken(_scope?: string): Promise<RetryToken> {
    await this.rateLimiter?.getSendToken();
    return new CallToken(0, 0, 0, 0);
  }

  async refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    this.rateLimiter?.updateClientSendingRate(info);
    const token = previous instanceof CallToken ? previous : new CallToken(previous.getRetryCount(), 0, 0, 0);
    const attempts = token.retries + 1;
    const throttled = info.errorType === 'THROTTLING' || sheddingLoad(info);
    const transient = !throttled && info.errorType === 'TRANSIENT';
    const transientFailures = token.transientFailures + (transient ? 1 : 0);
    const allowed = throttled
      ? attempts < this.throttleAttempts
      : transient && transientFailures < this.maxAttempts && attempts < Math.max(this.maxAttempts, this.throttleAttempts);
    // The retry middleware rethrows the call's own error when this throws: this message is never shown.
    if (!allowed) throw new Error('no retry: budget spent or error not retryable');

    const delay = this.delayFor(throttled ? token.throttles : transientFailures - 1, throttled, info.retryAfterHint);
    await this.sleep(delay);
    await this.rateLimiter?.getSendToken();
    return new CallToken(attempts, transientFailures, token.throttles + (throttled ? 1 : 0), delay);
  }

  recordSuccess(): void {
    this.rateLimiter?.updateClientSendingRate({});
  }

  /** Full jitter: uniform in [0, min(cap, base * 2^n)], raised to a Retry-After hint (within the cap). */
  private delayFor(n: number, throttled: boolean, retryAfter: Date | undefined): number {
    const base = throttled ? this.throttleBaseDelayMs : this.baseDelayMs;
    const ceiling = Math.min(this.maxDelayMs, base * 2 ** Math.min(n, 30));
    const jittered = Math.floor(this.random() * ceiling);
    const hinted = retryAfter ? Math.min(this.maxDelayMs, retryAfter.getTime() - Date.now()) : 0;
    return Math.max(jittered, hinted, 0);
  }
}
