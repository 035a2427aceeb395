/**
 * Client-side token bucket. Security Hub throttles per account and region (BatchImportFindings and
 * BatchUpdateFindings: 10 requests/s, burst 30; GetFindings: 3/s, burst 6); pacing ourselves below those quotas
 * keeps a large push from spending its SDK retries on throttling that we could have avoided.
 */
export interface TokenBucketOptions {
  /** Tokens added per second (the sustained request rate). */
  ratePerSecond: number;
  /** Bucket size: requests allowed back to back after a quiet period. */
  burst: number;
  /** Milliseconds clock; injectable for tests. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class TokenBucket {
  private tokens: number;
  private last: number;
  /** Callers queue here so tokens are handed out in arrival order. */
  private queue: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) throw new Error(`token bucket needs ratePerSecond > 0 and burst >= 1 (got ${options.ratePerSecond}, ${options.burst})`);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.tokens = options.burst;
    this.last = this.now();
  }

  /** Resolves when the caller may send one request. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.takeNow());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private refill(): void {
    const at = this.now();
    const elapsed = Math.max(0, at - this.last) / 1000;
    this.tokens = Math.min(this.options.burst, this.tokens + elapsed * this.options.ratePerSecond);
    this.last = at;
  }

  private async takeNow(): Promise<void> {
    this.refill();
    while (this.tokens < 1) {
      await this.sleep(Math.ceil(((1 - this.tokens) / this.options.ratePerSecond) * 1000));
      this.refill();
    }
    this.tokens -= 1;
  }
}

/** Security Hub API quotas per account and region, with a margin so we stay under them. */
export const SECURITY_HUB_RATES = {
  BatchImportFindings: { ratePerSecond: 9, burst: 30 },
  BatchUpdateFindings: { ratePerSecond: 9, burst: 30 },
  GetFindings: { ratePerSecond: 2.5, burst: 6 },
} as const;

export type RatedOperation = keyof typeof SECURITY_HUB_RATES;

/** One bucket per account, region and operation (the scope of Security Hub's quotas). */
export class SecurityHubRateLimits {
  private readonly buckets = new Map<string, TokenBucket>();
  constructor(private readonly overrides: Partial<Pick<TokenBucketOptions, 'now' | 'sleep'>> = {}) {}

  take(account: string, region: string, operation: RatedOperation): Promise<void> {
    const key = `${account}|${region}|${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket({ ...SECURITY_HUB_RATES[operation], ...this.overrides });
      this.buckets.set(key, bucket);
    }
    return bucket.take();
  }
}
