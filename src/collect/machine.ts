import { availableParallelism, freemem } from 'node:os';

/** What the defaults are sized from. */
export interface MachineFacts {
  /** os.availableParallelism(): CPUs this process may use (honours affinity and cgroup CPU limits on Linux). */
  parallelism: number;
  /** os.freemem() in bytes. */
  freeMemoryBytes: number;
}

export function machineFacts(): MachineFacts {
  return { parallelism: availableParallelism(), freeMemoryBytes: freemem() };
}

/**
 * API calls on the wire per CPU. A call in flight costs CPU only to sign, send and parse (about a millisecond or
 * two per call with SDK v3); the rest of its 30-200 ms round trip is waiting. At 1.5 ms CPU a call and 100 ms
 * latency one core saturates at about 65 calls in flight: more only queues in the event loop.
 */
export const CALLS_PER_CPU = 64;
/** Memory set aside per call on the wire: request, response body and its parsed form (a large listing page). */
export const BYTES_PER_CALL = 2 * 1024 * 1024;
/** Share of free memory the calls in flight may take (the rest: open accounts' clients, runs, evidence writes). */
export const MEMORY_SHARE = 0.25;
export const MIN_CALLS = 8;
/** Beyond this, sockets and AWS's per-account rate limits, not the machine, are the bound. */
export const MAX_CALLS = 1024;
/**
 * Accounts open at once: one per this many collector runs in flight, within [MIN_WINDOW, MAX_WINDOW] (the scheduler
 * opens up to twice as many while the window's accounts finish their last runs). Up to 8 runs, one account at a
 * time: the plan's order, as before the scheduler.
 */
export const RUNS_PER_ACCOUNT = 8;
export const MIN_WINDOW = 1;
/** An open account holds its SDK clients (about 25 KB each, up to regions × services of them). */
export const MAX_WINDOW = 32;

/** The scheduler's three limits. */
export interface SchedulerLimits {
  /** API call attempts on the wire at once, machine-wide (--max-calls). */
  maxCalls: number;
  /** Collector runs in flight at once (--concurrency). */
  runs: number;
  /** Accounts open at once (clients and credentials alive). */
  window: number;
}

const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n));

/** The default machine-wide call budget: min(64 × CPUs, a quarter of free memory / 2 MiB), within [8, 1024]. */
export function defaultMaxCalls(facts: MachineFacts): number {
  const byCpu = CALLS_PER_CPU * Math.max(1, facts.parallelism);
  const byMemory = Math.floor((facts.freeMemoryBytes * MEMORY_SHARE) / BYTES_PER_CALL);
  return clamp(Math.min(byCpu, byMemory), MIN_CALLS, MAX_CALLS);
}

/**
 * The limits of a collection. Explicit values win (--max-calls, --concurrency). Runs default to the call budget:
 * most of a collector run is one call after another, with short fan-outs (per-resource calls), so about one run
 * per call slot keeps the budget full (at 8 runs, 11 calls were the most in flight); a run waiting for a slot costs
 * only its partial record. The window holds enough accounts to spread the runs, about 8 an account (AWS throttles
 * per account), and no more: the window, not the organisation's size, bounds the clients in memory.
 */
export function schedulerLimits(given: { maxCalls?: number; concurrency?: number; window?: number }, facts: MachineFacts = machineFacts()): SchedulerLimits {
  const maxCalls = given.maxCalls ?? defaultMaxCalls(facts);
  const runs = given.concurrency ?? maxCalls;
  const window = given.window ?? clamp(Math.ceil(runs / RUNS_PER_ACCOUNT), MIN_WINDOW, MAX_WINDOW);
  return { maxCalls, runs, window };
}
