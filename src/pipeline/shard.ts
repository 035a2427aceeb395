import { createHash } from 'node:crypto';
import { UserError } from '../core/errors.js';
import type { ShardRecord } from '../locker/run-info.js';

/**
 * Shards: one organisation audit split into N packs collected by N processes on an existing engine (an AWS Batch
 * array job, a Kubernetes Indexed Job), merged afterwards by `auditpack merge`. Pure functions, no AWS.
 *
 * The partition is stable: an account's shard is SHA-256(account id) mod N, a function of the id and N only.
 * A retried Batch child (or a rescheduled pod) therefore audits exactly the accounts it had the first time, and
 * an account that joins the organisation lands in one shard without moving any other account (a sorted-list
 * split such as "every N-th account" or "contiguous ranges" would move most of them). Shards are as even as a
 * hash makes them, which is what matters at hundreds of accounts; a uniform split of a handful of accounts is not
 * the goal.
 */

/** The partition scheme recorded in run.json and the marker; merge refuses shards with any other. */
export const SHARD_SCHEME = 'sha256-mod-v1';
/** The largest N: AWS Batch array jobs have at most 10,000 children, and so does this. */
export const MAX_SHARDS = 10_000;
export const BATCH_INDEX_VARIABLE = 'AWS_BATCH_JOB_ARRAY_INDEX';
export const KUBERNETES_INDEX_VARIABLE = 'JOB_COMPLETION_INDEX';

/** `--shard I/N` as given: a 1-based index, or `auto` (from the engine's environment), of N shards. */
export interface ShardSpec {
  index: number | 'auto';
  count: number;
}

/** One shard of N: index is 1-based. */
export interface Shard {
  index: number;
  count: number;
}

const DECIMAL = /^(0|[1-9][0-9]{0,5})$/;

/** Parses `--shard I/N` or `--shard auto/N`; anything else is a one-line usage error. */
export function parseShardSpec(value: string): ShardSpec {
  const fix = `(fix: pass --shard I/N with 1 <= I <= N <= ${MAX_SHARDS}, e.g. 2/8, or auto/N on AWS Batch or a Kubernetes Indexed Job)`;
  const match = /^(auto|[0-9]+)\/([0-9]+)$/.exec(value);
  if (!match || !DECIMAL.test(match[2] ?? '') || (match[1] !== 'auto' && !DECIMAL.test(match[1] ?? ''))) throw new UserError(`--shard: ${JSON.stringify(value.slice(0, 40))} is not I/N or auto/N ${fix}`, 2);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS) throw new UserError(`--shard: N must be from 1 to ${MAX_SHARDS}, got ${count} ${fix}`, 2);
  if (match[1] === 'auto') return { index: 'auto', count };
  const index = Number(match[1]);
  if (index < 1 || index > count) throw new UserError(`--shard: index ${index} is not within 1..${count} (shards are numbered from 1) ${fix}`, 2);
  return { index, count };
}

/**
 * The shard this process is: the index given, or for `auto` the engine's 0-based array index
 * (AWS_BATCH_JOB_ARRAY_INDEX first, else Kubernetes' JOB_COMPLETION_INDEX) plus one.
 */
export function resolveShard(spec: ShardSpec, env: NodeJS.ProcessEnv = process.env): Shard {
  if (spec.index !== 'auto') return { index: spec.index, count: spec.count };
  const name = env[BATCH_INDEX_VARIABLE] !== undefined ? BATCH_INDEX_VARIABLE : env[KUBERNETES_INDEX_VARIABLE] !== undefined ? KUBERNETES_INDEX_VARIABLE : undefined;
  const both = `${BATCH_INDEX_VARIABLE} (AWS Batch array job) or ${KUBERNETES_INDEX_VARIABLE} (Kubernetes Indexed Job)`;
  if (!name) throw new UserError(`--shard auto/${spec.count}: neither ${both} is set (fix: run as an array/indexed job, or pass --shard I/${spec.count})`, 2);
  const raw = env[name] ?? '';
  const zeroBased = DECIMAL.test(raw) ? Number(raw) : NaN;
  if (!(zeroBased >= 0 && zeroBased < spec.count))
    throw new UserError(`--shard auto/${spec.count}: ${name}=${JSON.stringify(raw.slice(0, 20))} is not a 0-based index below ${spec.count} (fix: make the array size / completions equal ${spec.count}; ${both})`, 2);
  return { index: zeroBased + 1, count: spec.count };
}

/** The 1-based shard an account belongs to: SHA-256 of its id, as a 256-bit number, mod N, plus one. */
export function shardOf(account: string, count: number): number {
  const digest = createHash('sha256').update(account, 'utf8').digest('hex');
  return Number(BigInt(`0x${digest}`) % BigInt(count)) + 1;
}

/** The accounts of `population` that this shard audits, sorted. */
export function shardAccounts(population: readonly string[], shard: Shard): string[] {
  return [...new Set(population)].filter((a) => shardOf(a, shard.count) === shard.index).sort();
}

/** Every shard's accounts at once (index i-1 holds shard i's, sorted): one hash per account, for a merge of N shards. */
export function partition(population: readonly string[], count: number): string[][] {
  const parts: string[][] = Array.from({ length: count }, () => []);
  for (const account of [...new Set(population)].sort()) parts[shardOf(account, count) - 1]?.push(account);
  return parts;
}

/** run.json's and the marker's record of a shard: which one, how the population was split, and the population. */
export function shardRecord(population: readonly string[], shard: Shard): ShardRecord {
  return { index: shard.index, count: shard.count, scheme: SHARD_SCHEME, population: [...new Set(population)].sort() };
}
