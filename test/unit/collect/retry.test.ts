import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryErrorType, RetryStrategyV2 } from '@smithy/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountClients } from '../../../src/collect/clients.js';
import { CallBudgetRetryStrategy, throttleAttemptsFor, type RetryOptions } from '../../../src/collect/retry.js';

const info = (errorType: RetryErrorType, retryAfterHint?: Date): RetryErrorInfo => ({ errorType, ...(retryAfterHint ? { retryAfterHint } : {}) });

/** A strategy that records its delays instead of waiting them. */
function strategy(options: Partial<RetryOptions> = {}): { s: CallBudgetRetryStrategy; delays: number[] } {
  const delays: number[] = [];
  const s = new CallBudgetRetryStrategy({
    maxAttempts: 6,
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...options,
  });
  return { s, delays };
}

/** How many attempts a call gets when every attempt fails with these error types in turn (the last repeats). */
async function attemptsUntilGivenUp(s: RetryStrategyV2, errors: RetryErrorType[]): Promise<number> {
  let token = await s.acquireInitialRetryToken('');
  for (let attempt = 1; attempt < 1000; attempt++) {
    const type = errors[Math.min(attempt - 1, errors.length - 1)]!;
    try {
      token = await s.refreshRetryTokenForRetry(token, info(type));
    } catch {
      return attempt;
    }
  }
  throw new Error('never gave up');
}

describe('CallBudgetRetryStrategy: per-call budget', () => {
  it('gives throttling three times --max-attempts, transient errors --max-attempts', async () => {
    expect(throttleAttemptsFor(6)).toBe(18);
    expect(await attemptsUntilGivenUp(strategy().s, ['THROTTLING'])).toBe(18);
    expect(await attemptsUntilGivenUp(strategy().s, ['TRANSIENT'])).toBe(6);
    expect(await attemptsUntilGivenUp(strategy({ maxAttempts: 3 }).s, ['THROTTLING'])).toBe(9);
    expect(await attemptsUntilGivenUp(strategy({ maxAttempts: 3, throttleAttempts: 4 }).s, ['THROTTLING'])).toBe(4);
  });

  it('does not let throttles use up the transient budget', async () => {
    // 10 throttles, then transient errors: 5 transient retries are still allowed (attempts 11..16).
    const errors: RetryErrorType[] = [...Array<RetryErrorType>(10).fill('THROTTLING'), 'TRANSIENT'];
    expect(await attemptsUntilGivenUp(strategy().s, errors)).toBe(16);
  });

  it('never retries client errors (AccessDenied, validation) or non-transient server errors (501)', async () => {
    expect(await attemptsUntilGivenUp(strategy().s, ['CLIENT_ERROR'])).toBe(1);
    expect(await attemptsUntilGivenUp(strategy().s, ['SERVER_ERROR'])).toBe(1);
    expect(await attemptsUntilGivenUp(strategy().s, ['THROTTLING', 'THROTTLING', 'CLIENT_ERROR'])).toBe(3);
  });

  it('--max-attempts 1 means one attempt, whatever the error', async () => {
    expect(await attemptsUntilGivenUp(strategy({ maxAttempts: 1 }).s, ['THROTTLING'])).toBe(1);
    expect(await attemptsUntilGivenUp(strategy({ maxAttempts: 1 }).s, ['TRANSIENT'])).toBe(1);
  });
});

describe('CallBudgetRetryStrategy: backoff', () => {
  it('is exponential with full jitter, capped, with separate bases for throttling and transient errors', async () => {
    const { s, delays } = strategy({ random: () => 0.999999 });
    await attemptsUntilGivenUp(s, ['THROTTLING']);
    expect(delays.slice(0, 7)).toEqual([499, 999, 1999, 3999, 7999, 15_999, 19_999]);
    expect(Math.max(...delays)).toBe(19_999);

    const transient = strategy({ random: () => 0.999999 });
    await attemptsUntilGivenUp(transient.s, ['TRANSIENT']);
    expect(transient.delays).toEqual([99, 199, 399, 799, 1599]);
  });

  it('draws each delay uniformly below its ceiling (full jitter)', async () => {
    const draws = [0, 0.25, 0.5];
    const { s, delays } = strategy({ random: () => draws.shift() ?? 0.5 });
    await attemptsUntilGivenUp(s, ['THROTTLING', 'THROTTLING', 'THROTTLING', 'CLIENT_ERROR']);
    expect(delays).toEqual([0, 250, 1000]);
  });

  it('grows the throttling backoff with consecutive throttles, not with earlier transient errors', async () => {
    const { s, delays } = strategy({ random: () => 0.999999 });
    await attemptsUntilGivenUp(s, ['TRANSIENT', 'TRANSIENT', 'THROTTLING', 'CLIENT_ERROR']);
    expect(delays).toEqual([99, 199, 499]);
  });

  it('waits at least a Retry-After hint, within the cap', async () => {
    const { s, delays } = strategy({ random: () => 0 });
    const token = await s.acquireInitialRetryToken('');
    await s.refreshRetryTokenForRetry(token, info('THROTTLING', new Date(Date.now() + 3_000)));
    await s.refreshRetryTokenForRetry(token, info('THROTTLING', new Date(Date.now() + 3_600_000)));
    expect(delays[0]).toBeGreaterThan(2_500);
    expect(delays[0]).toBeLessThanOrEqual(3_000);
    expect(delays[1]).toBe(20_000);
  });
});

describe('no client-wide retry quota', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** 150 calls of one client throttled at the same moment: how many of them may retry. */
  async function retriesGranted(s: RetryStrategyV2): Promise<number> {
    const tokens = await Promise.all(Array.from({ length: 150 }, () => s.acquireInitialRetryToken('')));
    const refreshed = tokens.map((t) => s.refreshRetryTokenForRetry(t, info('THROTTLING')).then(() => true, () => false));
    await vi.runAllTimersAsync();
    return (await Promise.all(refreshed)).filter(Boolean).length;
  }

  it("the SDK's standard strategy runs dry and refuses later throttles at once; ours grants every call its retry", async () => {
    vi.useFakeTimers();
    // The stock strategy: 500 tokens, 5 per throttling retry, shared by every call of the client.
    expect(await retriesGranted(new StandardRetryStrategy(6))).toBe(100);
    expect(await retriesGranted(strategy().s)).toBe(150);
  });
});

describe('through a real SDK client', () => {
  type Fault = () => Error;
  const throttling: Fault = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400 } });
  const unavailable: Fault = () => Object.assign(new Error('unavailable'), { name: 'ServiceUnavailableException', $fault: 'server', $metadata: { httpStatusCode: 503 } });
  const denied: Fault = () => Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } });

  /** A KMS client of AccountClients whose transport answers `faults` in turn, then succeeds. */
  function kms(faults: Fault[], retry: RetryOptions['sleep']) {
    const clients = new AccountClients('123456789012', {
      endpoint: 'http://127.0.0.1:9',
      credentials: async () => ({ accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }),
      maxAttempts: 6,
      callsPerService: 2,
      retry: { sleep: retry!, random: () => 0.5 } });
    const client = clients.forRegion('us-east-1').get(KMSClient);
    let attempts = 0;
    const headers: string[] = [];
    client.middlewareStack.add(
      () => async (args: { request?: unknown }) => {
        headers.push((args.request as { headers: Record<string, string> }).headers['amz-sdk-request']!);
        const fault = faults[attempts++];
        if (fault) throw fault();
        return { response: { statusCode: 200, headers: {} }, output: { $metadata: {}, Keys: [] } };
      },
      { step: 'finalizeRequest', name: 'fakeTransport', priority: 'low' },
    );
    return { client, attempts: () => attempts, headers };
  }

  it('uses the per-call strategy: 10 throttles and a 503 later the call succeeds, with the waits it chose', async () => {
    const waits: number[] = [];
    const { client, attempts, headers } = kms([...Array<Fault>(10).fill(throttling), unavailable], async (ms) => void waits.push(ms));
    const out = await client.send(new ListKeysCommand({}));
    expect(out.Keys).toEqual([]);
    expect(attempts()).toBe(12);
    expect(out.$metadata.attempts).toBe(12);
    // A 503 is load shedding: it waits like a throttle, from the throttling budget.
    expect(waits).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000, 10_000]);
    // The header AWS sees states the call's real cap: the throttling budget.
    expect(headers.at(0)).toBe('attempt=1; max=18');
    expect(headers.at(-1)).toBe('attempt=12; max=18');
  });

  it('a storm of 503s alone spends the throttling budget, not the transient one', async () => {
    const { client, attempts } = kms([...Array<Fault>(17).fill(unavailable)], async () => undefined);
    const out = await client.send(new ListKeysCommand({}));
    expect(out.Keys).toEqual([]);
    expect(attempts()).toBe(18);
  });

  it('gives up after the throttling budget and surfaces the throttle itself', async () => {
    const { client, attempts } = kms(Array<Fault>(30).fill(throttling), async () => undefined);
    await expect(client.send(new ListKeysCommand({}))).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { attempts: 18 } });
    expect(attempts()).toBe(18);
  });

  it('never retries AccessDenied', async () => {
    const { client, attempts } = kms([denied, denied], async () => undefined);
    await expect(client.send(new ListKeysCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(attempts()).toBe(1);
  });
});
