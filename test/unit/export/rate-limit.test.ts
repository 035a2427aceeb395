import { describe, expect, it } from 'vitest';
import { SECURITY_HUB_RATES, SecurityHubRateLimits, TokenBucket } from '../../../src/export/securityhub/rate-limit.js';

/** A fake clock: sleeping advances time instantly, and every sleep is recorded. */
function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
    get time() {
      return t;
    },
  };
}

describe('token bucket', () => {
  it('lets a burst through at once, then paces at the sustained rate', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 30, now: clock.now, sleep: clock.sleep });
    const times: number[] = [];
    for (let i = 0; i < 50; i++) {
      await bucket.take();
      times.push(clock.time);
    }
    expect(times.slice(0, 30).every((t) => t === 0)).toBe(true);
    // 20 more at 10/s take ~2 s.
    expect(times[49]).toBeGreaterThanOrEqual(1900);
    expect(times[49]).toBeLessThanOrEqual(2100);
  });

  it('never exceeds the rate over any one-second window after the burst', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 9, burst: 30, now: clock.now, sleep: clock.sleep });
    const times: number[] = [];
    for (let i = 0; i < 120; i++) {
      await bucket.take();
      times.push(clock.time);
    }
    const steady = times.slice(30);
    for (const start of steady) {
      const inWindow = steady.filter((t) => t >= start && t < start + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(10);
    }
  });

  it('refills while idle, but never beyond the burst', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 5, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(clock.sleeps).toEqual([]);
    clock.advance(60_000);
    for (let i = 0; i < 5; i++) await bucket.take();
    expect(clock.sleeps).toEqual([]);
    await bucket.take();
    expect(clock.sleeps).toEqual([100]);
  });

  it('serves concurrent callers in order, one token each', async () => {
    const clock = fakeClock();
    const bucket = new TokenBucket({ ratePerSecond: 2, burst: 1, now: clock.now, sleep: clock.sleep });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => bucket.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(clock.time).toBe(1500);
  });

  it('rejects nonsense settings', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0, burst: 1 })).toThrow(/ratePerSecond/);
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 0 })).toThrow(/burst/);
  });
});

describe('Security Hub rate limits', () => {
  it('stay under the documented quotas', () => {
    expect(SECURITY_HUB_RATES.BatchImportFindings.ratePerSecond).toBeLessThan(10);
    expect(SECURITY_HUB_RATES.BatchImportFindings.burst).toBeLessThanOrEqual(30);
    expect(SECURITY_HUB_RATES.GetFindings.ratePerSecond).toBeLessThan(3);
    expect(SECURITY_HUB_RATES.GetFindings.burst).toBeLessThanOrEqual(6);
  });

  it('keep one bucket per account, region and operation', async () => {
    const clock = fakeClock();
    const limits = new SecurityHubRateLimits({ now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 6; i++) await limits.take('111122223333', 'us-east-1', 'GetFindings');
    expect(clock.sleeps).toEqual([]);
    await limits.take('111122223333', 'eu-west-1', 'GetFindings');
    await limits.take('444455556666', 'us-east-1', 'GetFindings');
    for (let i = 0; i < 30; i++) await limits.take('111122223333', 'us-east-1', 'BatchImportFindings');
    expect(clock.sleeps).toEqual([]);
    await limits.take('111122223333', 'us-east-1', 'GetFindings');
    expect(clock.sleeps).toHaveLength(1);
  });
});
