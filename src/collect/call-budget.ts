import { isThrottlingError } from '@smithy/core/retry';
import type { SdkError } from '@smithy/types';

/** Where AWS throttles: per account, region and API (approximated by the SDK client, i.e. the service). */
export interface CallKey {
  account: string;
  /** The client's region (account-scope collectors call global APIs through their home region's clients). */
  region: string;
  /** The SDK client name, e.g. EC2Client. */
  service: string;
}

export interface CallBudgetOptions {
  /** Calls on the wire at once, machine-wide; Infinity for no machine-wide limit (a single command's clients). */
  maxCalls: number;
  /** Calls in flight (with their retries) per account × region × service: the ceiling of the adaptive limit. */
  perKey: number;
  /** Halve a key's limit when a call there is throttled and grow it back by one per `limit` successes (default on). */
  adaptive?: boolean;
}

export interface CallBudgetStats {
  /** Attempts on the wire now, and the most there ever were at once. */
  onWire: number;
  peakOnWire: number;
  /** The most calls (with retries) ever in flight at once for one account × region × service. */
  peakPerKey: number;
  /** The most distinct accounts with an attempt on the wire at the same moment. */
  peakAccountsOnWire: number;
  attempts: number;
  throttled: number;
  /** Times a key's limit was cut because of throttling. */
  backoffs: number;
}

/**
 * A semaphore whose waiters are served round-robin by account: when a slot frees, it goes to the account after the
 * one served last, so one account with a thousand waiting calls gets one slot in turn like an account with one.
 * The rotation is a Map in insertion order: an account served goes to the back.
 */
export class FairSemaphore {
  private active = 0;
  private readonly queues = new Map<string, (() => void)[]>();

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`semaphore capacity must be at least 1, got ${capacity}`);
  }

  get inUse(): number {
    return this.active;
  }

  acquire(owner: string): Promise<void> {
    if (this.active < this.capacity && this.queues.size === 0) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const queue = this.queues.get(owner);
      if (queue) queue.push(resolve);
      else this.queues.set(owner, [resolve]);
    });
  }

  release(): void {
    const next = this.queues.entries().next();
    if (next.done) {
      this.active--;
      return;
    }
    const [owner, queue] = next.value;
    const wake = queue.shift()!;
    this.queues.delete(owner);
    if (queue.length) this.queues.set(owner, queue);
    // The slot passes straight to the waiter: `active` is unchanged.
    wake();
  }
}

/** One account × region × service: its calls in flight, its waiters and its (adaptive) limit. */
interface KeyState {
  limit: number;
  active: number;
  waiters: (() => void)[];
  /** Successes since the limit last grew. */
  successes: number;
  /** Outcomes still to ignore after a cut: calls sent at the old rate must not cut it again. */
  cooldown: number;
}

function throttled(err: unknown): boolean {
  const e = err as SdkError & { name?: string };
  // AWS sheds load with 503 and documents it as "reduce your request rate": as retry.ts, it counts as throttling.
  return isThrottlingError(e) || e.$metadata?.httpStatusCode === 503 || e.name === 'ServiceUnavailable' || e.name === 'ServiceUnavailableException';
}

/**
 * The API-call budget of a collection: a machine-wide limit on attempts on the wire, shared fairly between
 * accounts, and a limit per account × region × service on calls in flight. Two levels because a call holds its
 * per-key slot through its retries (a throttled service slows itself down), but a machine-wide slot only while an
 * attempt is on the wire: a call sleeping in backoff must not hold the machine's budget.
 *
 * The per-key limit is AIMD: a throttled attempt halves it (at least 1), and it grows by one after as many
 * successes as the limit, back to `perKey`. Idle keys at their full limit are forgotten, and `forgetAccount`
 * drops an account's keys when it leaves the scheduler's window, so the state is bounded by the open accounts.
 */
export class CallBudget {
  private readonly wire: FairSemaphore;
  private readonly keys = new Map<string, Map<string, KeyState>>();
  private readonly wireByAccount = new Map<string, number>();
  private readonly adaptive: boolean;
  private readonly counters: CallBudgetStats = { onWire: 0, peakOnWire: 0, peakPerKey: 0, peakAccountsOnWire: 0, attempts: 0, throttled: 0, backoffs: 0 };

  constructor(readonly options: CallBudgetOptions) {
    if (!(options.perKey >= 1)) throw new RangeError(`per-key call limit must be at least 1, got ${options.perKey}`);
    this.wire = new FairSemaphore(options.maxCalls);
    this.adaptive = options.adaptive ?? true;
  }

  stats(): CallBudgetStats {
    return { ...this.counters };
  }

  /** The current limit of a key (the ceiling when it has no state). */
  limitOf(key: CallKey): number {
    return this.keys.get(key.account)?.get(`${key.region}|${key.service}`)?.limit ?? this.options.perKey;
  }

  /** Runs a whole call (every attempt and backoff) within its key's limit. */
  async call<T>(key: CallKey, fn: () => Promise<T>): Promise<T> {
    const state = await this.acquireKey(key);
    try {
      return await fn();
    } finally {
      this.releaseKey(key, state);
    }
  }

  /** Runs one attempt within the machine-wide budget, and feeds its outcome to the key's adaptive limit. */
  async attempt<T>(key: CallKey, fn: () => Promise<T>): Promise<T> {
    await this.wire.acquire(key.account);
    const c = this.counters;
    c.attempts++;
    c.onWire++;
    c.peakOnWire = Math.max(c.peakOnWire, c.onWire);
    this.wireByAccount.set(key.account, (this.wireByAccount.get(key.account) ?? 0) + 1);
    c.peakAccountsOnWire = Math.max(c.peakAccountsOnWire, this.wireByAccount.size);
    try {
      const result = await fn();
      this.feedback(key, false);
      return result;
    } catch (err) {
      this.feedback(key, throttled(err));
      throw err;
    } finally {
      c.onWire--;
      const n = this.wireByAccount.get(key.account)! - 1;
      if (n) this.wireByAccount.set(key.account, n);
      else this.wireByAccount.delete(key.account);
      this.wire.release();
    }
  }

  /** Drops an account's per-key state (its last task finished). */
  forgetAccount(account: string): void {
    this.keys.delete(account);
  }

  private stateOf(key: CallKey, create: true): KeyState;
  private stateOf(key: CallKey, create: false): KeyState | undefined;
  private stateOf(key: CallKey, create: boolean): KeyState | undefined {
    let account = this.keys.get(key.account);
    if (!account) {
      if (!create) return undefined;
      account = new Map();
      this.keys.set(key.account, account);
    }
    const id = `${key.region}|${key.service}`;
    let state = account.get(id);
    if (!state && create) {
      state = { limit: this.options.perKey, active: 0, waiters: [], successes: 0, cooldown: 0 };
      account.set(id, state);
    }
    return state;
  }

  private async acquireKey(key: CallKey): Promise<KeyState> {
    const state = this.stateOf(key, true);
    if (state.active >= Math.floor(state.limit) || state.waiters.length) await new Promise<void>((resolve) => state.waiters.push(resolve));
    else state.active++;
    this.counters.peakPerKey = Math.max(this.counters.peakPerKey, state.active);
    return state;
  }

  private releaseKey(key: CallKey, state: KeyState): void {
    state.active--;
    this.wake(state);
    if (state.active === 0 && state.waiters.length === 0 && state.limit >= this.options.perKey) {
      const account = this.keys.get(key.account);
      account?.delete(`${key.region}|${key.service}`);
      if (account?.size === 0) this.keys.delete(key.account);
    }
  }

  /** Hands free slots of a key to its waiters, in order (a waiter woken here is already counted as active). */
  private wake(state: KeyState): void {
    while (state.waiters.length && state.active < Math.floor(state.limit)) {
      state.active++;
      state.waiters.shift()!();
    }
  }

  private feedback(key: CallKey, wasThrottled: boolean): void {
    if (wasThrottled) this.counters.throttled++;
    if (!this.adaptive) return;
    const state = this.stateOf(key, false);
    if (!state) return;
    if (state.cooldown > 0) {
      state.cooldown--;
      return;
    }
    if (wasThrottled) {
      const cut = Math.max(1, Math.floor(state.limit / 2));
      if (cut < state.limit) this.counters.backoffs++;
      state.limit = cut;
      state.successes = 0;
      // The other calls of this key already on their way were sent at the old rate.
      state.cooldown = Math.max(0, state.active - 1);
    } else if (state.limit < this.options.perKey && ++state.successes >= state.limit) {
      state.limit++;
      state.successes = 0;
      this.wake(state);
    }
  }
}
