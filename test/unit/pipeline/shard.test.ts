import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { MAX_SHARDS, SHARD_SCHEME, parseShardSpec, partition, resolveShard, shardAccounts, shardOf, shardRecord } from '../../../src/pipeline/shard.js';

/** n distinct 12-digit account ids, spread over the id space (a fixed LCG: deterministic, no Math.random). */
function accountIds(n: number, seed = 7): string[] {
  const ids = new Set<string>();
  let x = BigInt(seed);
  while (ids.size < n) {
    x = (x * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
    ids.add(String(x % 10n ** 12n).padStart(12, '0'));
  }
  return [...ids];
}

describe('--shard parsing', () => {
  it('accepts I/N (1-based) and auto/N', () => {
    expect(parseShardSpec('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShardSpec('3/8')).toEqual({ index: 3, count: 8 });
    expect(parseShardSpec(`auto/${MAX_SHARDS}`)).toEqual({ index: 'auto', count: MAX_SHARDS });
  });

  it.each(['0/4', '5/4', '1/0', 'auto/0', `1/${MAX_SHARDS + 1}`, '1', '1/2/3', '-1/4', '01/4', '1/04', ' 1/4', '1/4\n', 'auto', 'AUTO/4', '1e1/20', '0x1/4', '1/99999999999999999999', `${'9'.repeat(400)}/4`])(
    'refuses %j with one line naming --shard',
    (value) => {
      let caught: unknown;
      try {
        parseShardSpec(value);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(UserError);
      const message = (caught as UserError).message;
      expect(message).toMatch(/^--shard: /);
      expect(message).not.toContain('\n');
      expect(message.length).toBeLessThan(300);
      expect((caught as UserError).exitCode).toBe(2);
    },
  );
});

describe('auto/N from the engine', () => {
  it('reads AWS_BATCH_JOB_ARRAY_INDEX (0-based) first, else JOB_COMPLETION_INDEX', () => {
    expect(resolveShard({ index: 'auto', count: 4 }, { AWS_BATCH_JOB_ARRAY_INDEX: '0' })).toEqual({ index: 1, count: 4 });
    expect(resolveShard({ index: 'auto', count: 4 }, { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 4, count: 4 });
    expect(resolveShard({ index: 'auto', count: 4 }, { AWS_BATCH_JOB_ARRAY_INDEX: '2', JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 3, count: 4 });
  });

  it('an explicit index ignores the environment', () => {
    expect(resolveShard({ index: 2, count: 4 }, { AWS_BATCH_JOB_ARRAY_INDEX: '0' })).toEqual({ index: 2, count: 4 });
  });

  it('refuses a missing variable, naming both', () => {
    expect(() => resolveShard({ index: 'auto', count: 4 }, {})).toThrow(/AWS_BATCH_JOB_ARRAY_INDEX.*JOB_COMPLETION_INDEX/);
  });

  it.each(['4', '-1', '', '1.0', ' 1', 'x', '0x1', '00', '9'.repeat(50)])('refuses an index of %j (out of range or not a 0-based decimal)', (raw) => {
    expect(() => resolveShard({ index: 'auto', count: 4 }, { AWS_BATCH_JOB_ARRAY_INDEX: raw })).toThrow(/AWS_BATCH_JOB_ARRAY_INDEX=.*not a 0-based index below 4/);
    expect(() => resolveShard({ index: 'auto', count: 4 }, { JOB_COMPLETION_INDEX: raw })).toThrow(/JOB_COMPLETION_INDEX=.*not a 0-based index below 4/);
  });
});

describe('the partition', () => {
  const population = accountIds(1000);

  it('is SHA-256 of the account id mod N, plus one (the documented scheme)', () => {
    expect(SHARD_SCHEME).toBe('sha256-mod-v1');
    for (const account of population.slice(0, 50)) {
      const n = BigInt(`0x${createHash('sha256').update(account).digest('hex')}`);
      expect(shardOf(account, 7)).toBe(Number(n % 7n) + 1);
    }
  });

  it('covers every account exactly once', () => {
    for (const count of [1, 2, 3, 16]) {
      const parts = Array.from({ length: count }, (_, i) => shardAccounts(population, { index: i + 1, count }));
      expect(partition(population, count)).toEqual(parts);
      const all = parts.flat();
      expect(all).toHaveLength(population.length);
      expect(new Set(all).size).toBe(population.length);
    }
    // As a merge of 1,000 shards computes it: one hash per account, every account once.
    const parts = partition(population, 1000);
    expect(parts).toHaveLength(1000);
    expect(parts.flat().sort()).toEqual([...population].sort());
    for (const [i, part] of parts.entries()) for (const a of part) expect(shardOf(a, 1000)).toBe(i + 1);
  });

  it('depends only on the id and N: order, duplicates and other accounts do not move an account', () => {
    const shard = { index: 3, count: 8 };
    const part = shardAccounts(population, shard);
    expect(shardAccounts([...population].reverse(), shard)).toEqual(part);
    expect(shardAccounts([...population, ...population.slice(0, 10)], shard)).toEqual(part);
    // An account joining (or leaving) the organisation moves no other account.
    const joined = accountIds(5, 99);
    const grown = shardAccounts([...population, ...joined], shard);
    expect(grown.filter((a) => !joined.includes(a))).toEqual(part);
    expect(shardAccounts(population.slice(100), shard)).toEqual(part.filter((a) => population.slice(100).includes(a)));
  });

  it('is reasonably even at organisation scale', () => {
    const sizes = Array.from({ length: 10 }, (_, i) => shardAccounts(population, { index: i + 1, count: 10 }).length);
    for (const size of sizes) expect(size).toBeGreaterThan(60);
    for (const size of sizes) expect(size).toBeLessThan(140);
  });

  it('records the sorted population, the scheme, index and count', () => {
    const record = shardRecord(['222222222222', '111111111111', '222222222222'], { index: 1, count: 2 });
    expect(record).toEqual({ index: 1, count: 2, scheme: 'sha256-mod-v1', population: ['111111111111', '222222222222'] });
  });
});
