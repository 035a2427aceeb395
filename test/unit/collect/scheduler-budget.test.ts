import { describe, expect, it } from 'vitest';
import { CallBudget, FairSemaphore, type CallKey } from '../../../src/collect/call-budget.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const key = (account: string, region = 'us-east-1', service = 'EC2Client'): CallKey => ({ account, region, service });

/** An SDK-shaped throttling error (awsJson ThrottlingException, HTTP 400). */
function throttle(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
}

/** One SDK call as clients.ts makes it: the whole call under the key's limit, each attempt under the machine's. */
function call(budget: CallBudget, k: CallKey, attempt: () => Promise<void>): Promise<void> {
  return budget.call(k, () => budget.attempt(k, attempt));
}

describe('call budget: machine-wide attempts on the wire', () => {
  it('never has more than maxCalls attempts on the wire (counted by the attempts themselves), and fills it', async () => {
    const budget = new CallBudget({ maxCalls: 7, perKey: 5 });
    let onWire = 0;
    let peak = 0;
    const calls = [];
    for (let a = 0; a < 6; a++)
      for (const service of ['EC2Client', 'KMSClient', 'IAMClient'])
        for (let i = 0; i < 8; i++)
          calls.push(
            call(budget, key(`acct${a}`, 'eu-west-1', service), async () => {
              onWire++;
              peak = Math.max(peak, onWire);
              await sleep(1 + ((a + i) % 3));
              onWire--;
            }),
          );
    await Promise.all(calls);
    expect(peak).toBe(7);
    expect(budget.stats()).toMatchObject({ peakOnWire: 7, onWire: 0, attempts: 144 });
    expect(budget.stats().peakAccountsOnWire).toBeGreaterThan(1);
  });

  it('serves accounts in turn: one account with 200 waiting calls does not hold up another with 10', async () => {
    const budget = new CallBudget({ maxCalls: 4, perKey: 1000 });
    const order: string[] = [];
    const big = Array.from({ length: 200 }, (_, i) => call(budget, key('big', 'us-east-1', `S${i % 20}`), async () => {
      await sleep(1);
      order.push('big');
    }));
    const small = Array.from({ length: 10 }, () => call(budget, key('small'), async () => {
      await sleep(1);
      order.push('small');
    }));
    await Promise.all([...big, ...small]);
    const lastSmall = order.lastIndexOf('small');
    // Alternating slots: the small account's 10 calls are done within about 2 × 10 + the first 4 completions.
    expect(lastSmall).toBeLessThan(30);
  });

  it('FairSemaphore hands a freed slot to the next account in the rotation', async () => {
    const sem = new FairSemaphore(1);
    await sem.acquire('x');
    const got: string[] = [];
    const waiters = [...['a', 'a', 'a', 'b', 'c', 'b'].map((owner) => sem.acquire(owner).then(() => got.push(owner)))];
    for (let i = 0; i < 6; i++) {
      sem.release();
      await sleep(0);
    }
    await Promise.all(waiters);
    expect(got).toEqual(['a', 'b', 'c', 'a', 'b', 'a']);
    sem.release();
    expect(sem.inUse).toBe(0);
  });
});

describe('call budget: per account × region × service limit', () => {
  it('never has more than perKey calls of one key in flight (with their retries), and keys are independent', async () => {
    const budget = new CallBudget({ maxCalls: 100, perKey: 3 });
    const active = new Map<string, number>();
    let peakKey = 0;
    const calls = [];
    for (const region of ['us-east-1', 'eu-west-1'])
      for (let i = 0; i < 20; i++) {
        const k = key('111111111111', region, 'KMSClient');
        const id = `${k.account}|${k.region}|${k.service}`;
        calls.push(
          budget.call(k, async () => {
            active.set(id, (active.get(id) ?? 0) + 1);
            peakKey = Math.max(peakKey, active.get(id)!);
            // A retried call: two attempts with a backoff between them, all under the key's slot.
            await budget.attempt(k, () => sleep(1));
            await sleep(2);
            await budget.attempt(k, () => sleep(1));
            active.set(id, active.get(id)! - 1);
          }),
        );
      }
    await Promise.all(calls);
    expect(peakKey).toBe(3);
    expect(budget.stats().peakPerKey).toBe(3);
    // Two regions of the same service: 6 calls on the wire at once were possible and happened.
    expect(budget.stats().peakOnWire).toBeGreaterThan(3);
  });

  it('does not hold a machine-wide slot while a call sleeps in backoff', async () => {
    const budget = new CallBudget({ maxCalls: 1, perKey: 5 });
    let backoffOver = false;
    let firstAttemptDone = false;
    const sleeping = budget.call(key('a'), async () => {
      await budget.attempt(key('a'), async () => {});
      firstAttemptDone = true;
      await sleep(50); // backoff
      backoffOver = true;
      await budget.attempt(key('a'), async () => {});
    });
    while (!firstAttemptDone) await sleep(0);
    // The only machine-wide slot is free while `a` sleeps: `b` goes through before the backoff ends.
    await call(budget, key('b'), async () => {});
    expect(backoffOver).toBe(false);
    await sleeping;
    expect(budget.stats().attempts).toBe(3);
  });

  it('halves a throttled key\'s limit (AIMD), keeps its calls within it, and grows it back on success', async () => {
    const budget = new CallBudget({ maxCalls: 100, perKey: 8 });
    const k = key('222222222222', 'eu-west-1', 'EC2Client');
    await expect(call(budget, k, async () => Promise.reject(throttle()))).rejects.toThrow('Rate exceeded');
    expect(budget.limitOf(k)).toBe(4);
    await expect(call(budget, k, async () => Promise.reject(Object.assign(new Error('slow down'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } })))).rejects.toThrow();
    expect(budget.limitOf(k)).toBe(2);
    expect(budget.stats()).toMatchObject({ throttled: 2, backoffs: 2 });

    let active = 0;
    let peak = 0;
    const observed = async () => {
      active++;
      peak = Math.max(peak, active);
      await sleep(1);
      active--;
    };
    await Promise.all(Array.from({ length: 6 }, () => call(budget, k, observed)));
    expect(peak).toBeLessThanOrEqual(3);
    expect(budget.limitOf(k)).toBeGreaterThan(2);
    await Promise.all(Array.from({ length: 60 }, () => call(budget, k, observed)));
    expect(budget.limitOf(k)).toBe(8);
    // Other keys of the account were never cut.
    expect(budget.limitOf(key('222222222222', 'us-east-1', 'EC2Client'))).toBe(8);
  });

  it('cuts once per burst: the calls already under way when a throttle comes do not cut again', async () => {
    const budget = new CallBudget({ maxCalls: 100, perKey: 8 });
    const k = key('333333333333');
    await Promise.allSettled(Array.from({ length: 8 }, () => call(budget, k, async () => {
      await sleep(2);
      throw throttle();
    })));
    expect(budget.limitOf(k)).toBe(4);
  });

  it('does not count other errors as throttling', async () => {
    const budget = new CallBudget({ maxCalls: 10, perKey: 4 });
    const k = key('444444444444');
    await expect(call(budget, k, async () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } })))).rejects.toThrow();
    expect(budget.limitOf(k)).toBe(4);
    expect(budget.stats().throttled).toBe(0);
  });

  it('forgets idle keys and a closed account\'s keys: state follows the open accounts', async () => {
    const budget = new CallBudget({ maxCalls: 10, perKey: 4 });
    await call(budget, key('a'), async () => {});
    await expect(call(budget, key('b'), async () => Promise.reject(throttle()))).rejects.toThrow();
    expect(budget.limitOf(key('b'))).toBe(2);
    budget.forgetAccount('b');
    expect(budget.limitOf(key('b'))).toBe(4);
  });
});
