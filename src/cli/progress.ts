import { clearScreenDown, moveCursor } from 'node:readline';
import type { CollectionEvent } from '../collect/collect.js';
import { oneLine, printable } from '../core/text.js';

export interface ProgressDisplay {
  onEvent(event: CollectionEvent): void;
  /** Declares how many collector runs to expect per account, once the scope is known. */
  begin(totals: Map<string, number>): void;
  /** Stops the display (idempotent). */
  end(): Promise<void>;
}

export interface ProgressOptions {
  /** The clock in ms (tests). */
  now?: () => number;
  /** Plain output: a summary line at most this often (ms, default 30 s). */
  summaryEveryMs?: number;
  /** TTY: redraw this often (ms, default 500). */
  redrawMs?: number;
}

/**
 * Completions per second over the last `windowSeconds`, in one-second buckets (bounded whatever the rate), and the
 * ETA they give: remaining runs over the recent rate, so a run that speeds up or slows down (a huge account, a
 * throttled service) is reflected within a minute instead of being averaged over the whole run.
 */
export class RateMeter {
  private readonly runs: number[];
  private readonly calls: number[];
  private readonly startSecond: number;
  private lastSecond: number;

  constructor(
    private readonly now: () => number = Date.now,
    readonly windowSeconds = 60,
  ) {
    this.runs = new Array<number>(windowSeconds).fill(0);
    this.calls = new Array<number>(windowSeconds).fill(0);
    this.startSecond = Math.floor(now() / 1000);
    this.lastSecond = this.startSecond;
  }

  record(calls: number): void {
    const i = this.advance();
    this.runs[i]! += 1;
    this.calls[i]! += calls;
  }

  /** [runs/s, calls/s] over the window (or since the start, when that is shorter; at least one second). */
  rates(): { runsPerSecond: number; callsPerSecond: number } {
    this.advance();
    const span = Math.max(1, Math.min(this.windowSeconds, Math.floor(this.now() / 1000) - this.startSecond + 1));
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    return { runsPerSecond: sum(this.runs) / span, callsPerSecond: sum(this.calls) / span };
  }

  /** Seconds until `remaining` more runs finish at the recent rate; undefined before anything finished recently. */
  eta(remaining: number): number | undefined {
    if (remaining <= 0) return 0;
    const { runsPerSecond } = this.rates();
    return runsPerSecond > 0 ? Math.ceil(remaining / runsPerSecond) : undefined;
  }

  /** Clears the buckets of the seconds that passed since the last call; returns the current bucket. */
  private advance(): number {
    const second = Math.floor(this.now() / 1000);
    for (let s = Math.max(this.lastSecond + 1, second - this.windowSeconds + 1); s <= second; s++) {
      const i = s % this.windowSeconds;
      this.runs[i] = 0;
      this.calls[i] = 0;
    }
    this.lastSecond = Math.max(this.lastSecond, second);
    return second % this.windowSeconds;
  }
}

/** 45s, 12m 30s, 3h 05m. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** What both displays count: runs, accounts, calls, errors, refused scopes, and the accounts under way. */
export class ProgressState {
  runsDone = 0;
  runsTotal = 0;
  errors = 0;
  calls = 0;
  accountsTotal = 0;
  accountsDone = 0;
  /** account|region|refusal: a refused region or service is one scope however many runs it fails. */
  readonly refused = new Set<string>();
  /** Accounts with some runs done and some to go, in the order they started. */
  readonly underWay = new Map<string, { done: number; total: number }>();
  private readonly perAccount = new Map<string, { done: number; total: number }>();
  readonly meter: RateMeter;

  constructor(now: () => number = Date.now) {
    this.meter = new RateMeter(now);
  }

  begin(totals: Map<string, number>): void {
    for (const [account, total] of totals) {
      this.perAccount.set(account, { done: 0, total });
      this.runsTotal += total;
      this.accountsTotal++;
      // A resume that keeps every run of an account has nothing to do there.
      if (total === 0) this.accountsDone++;
    }
  }

  /** Records a finished run; true when it is the first of its refused scope (its reason is worth printing). */
  record(e: CollectionEvent): boolean {
    this.runsDone++;
    this.calls += e.calls;
    if (e.status === 'error') this.errors++;
    this.meter.record(e.calls);
    const account = this.perAccount.get(e.account);
    if (account) {
      account.done++;
      if (account.done >= account.total) {
        this.underWay.delete(e.account);
        if (account.done === account.total) this.accountsDone++;
      } else this.underWay.set(e.account, account);
    }
    if (!e.refusal) return false;
    const scope = `${e.account}|${e.region}|${e.refusal}`;
    const first = !this.refused.has(scope);
    this.refused.add(scope);
    return first;
  }

  /** One line: runs, accounts, calls/s, errors, refused scopes, ETA. */
  summary(): string {
    const { callsPerSecond } = this.meter.rates();
    const pct = this.runsTotal ? ` (${Math.floor((100 * this.runsDone) / this.runsTotal)}%)` : '';
    const eta = this.meter.eta(this.runsTotal - this.runsDone);
    const parts = [
      `${this.runsDone}/${this.runsTotal || '?'} collector runs${pct}`,
      `${this.accountsDone}/${this.accountsTotal} accounts`,
      `${callsPerSecond.toFixed(callsPerSecond < 10 ? 1 : 0)} calls/s`,
      `${this.errors} ${this.errors === 1 ? 'error' : 'errors'}`,
      `${this.refused.size} refused ${this.refused.size === 1 ? 'scope' : 'scopes'}`,
      `ETA ${eta === undefined ? '?' : formatDuration(eta)}`,
    ];
    return parts.join(' · ');
  }

  /** The first few accounts under way, with their progress. */
  inFlight(max = 3): string {
    const shown = [...this.underWay].slice(0, max).map(([account, s]) => `${printable(account.slice(0, 64))} ${s.done}/${s.total}`);
    const more = this.underWay.size - shown.length;
    return shown.length ? `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}` : '-';
  }
}

/**
 * On a TTY, a status block redrawn in place (overall runs, accounts, calls/s, errors, refused scopes, ETA, and the
 * accounts under way): one line whatever the number of accounts. Elsewhere (CI logs) one plain line per collector
 * run, and a summary line at most every 30 seconds.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, options: ProgressOptions = {}): ProgressDisplay {
  return stream.isTTY ? ttyProgress(stream, options) : plainProgress(stream, options);
}

function plainProgress(stream: NodeJS.WritableStream, options: ProgressOptions): ProgressDisplay {
  const now = options.now ?? Date.now;
  const every = options.summaryEveryMs ?? 30_000;
  const state = new ProgressState(now);
  let lastSummary = now();
  return {
    begin(totals) {
      state.begin(totals);
      lastSummary = now();
    },
    onEvent(e) {
      // A refused region or service fails every run there the same way: its reason is printed once per scope.
      const first = state.record(e);
      // The error text comes from AWS (and a hostile account): one line, no terminal escapes, bounded.
      const tail = e.status === 'ok' ? `ok (${e.calls} calls)` : e.refusal && !first ? `ERROR refused (${e.refusal}, as above)` : `ERROR ${oneLine(e.error ?? '', 1000)}`;
      stream.write(`[${state.runsDone}/${state.runsTotal || '?'}] ${printable(`${e.account} ${e.region} ${e.collector}`)} ${tail}\n`);
      if (now() - lastSummary >= every && state.runsDone < state.runsTotal) {
        lastSummary = now();
        stream.write(`progress: ${state.summary()}\n`);
      }
    },
    async end() {},
  };
}

function ttyProgress(stream: NodeJS.WriteStream, options: ProgressOptions): ProgressDisplay {
  const state = new ProgressState(options.now);
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const draw = (): void => {
    const width = Math.max(20, (stream.columns || 120) - 1);
    const lines = [state.summary(), `in flight: ${state.inFlight()}`].map((l) => (l.length > width ? `${l.slice(0, width - 1)}…` : l));
    if (drawn) {
      moveCursor(stream, 0, -drawn);
      clearScreenDown(stream);
    }
    stream.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  return {
    begin(totals) {
      state.begin(totals);
      draw();
      // Redrawn on a clock, not per run: a thousand runs a second must not mean a thousand redraws, and the rate
      // and ETA move on while nothing finishes.
      timer = setInterval(draw, options.redrawMs ?? 500);
      timer.unref();
    },
    onEvent(e) {
      state.record(e);
    },
    async end() {
      if (ended) return;
      ended = true;
      if (timer) clearInterval(timer);
      if (drawn) draw();
    },
  };
}
