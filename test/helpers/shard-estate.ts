import { CreateAccountCommand, DescribeCreateAccountStatusCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { collectors as allCollectors } from '../../collectors/index.js';
import { clientsFor } from '../../src/collect/aws-access.js';
import { DEMO_ROLE } from '../../src/demo/estate.js';
import { shardAccounts } from '../../src/pipeline/shard.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { controlIdsOf } from './estate.js';

/** The collectors a sharding test audits with: an account-scope pair (S3) and a region-scope one (SNS), for speed. */
export const SHARD_TEST_COLLECTORS = allCollectors.filter((c) => ['s3.buckets', 's3.account-public-access-block', 'sns.topics'].includes(c.id));

export async function shardTestControls(): Promise<string[]> {
  const ids = await controlIdsOf(SHARD_TEST_COLLECTORS);
  if (ids.length === 0) throw new Error('no automated controls on the sharding test collectors');
  return ids;
}

/**
 * Grows the demo organisation (management + member) with empty member accounts until it has at least `min`
 * accounts and every one of 2 shards has at least one: moto makes up account ids, so the partition is only known
 * once they exist. Returns the sorted population.
 */
export async function growOrganisation(endpoint: string, existing: readonly string[], min = 3): Promise<string[]> {
  const org = clientsFor({ account: 'management', endpoint, maxAttempts: 2 }).forRegion('us-east-1').get(OrganizationsClient);
  const population = [...existing];
  for (let i = 0; i < 12; i++) {
    const both = [1, 2].every((index) => shardAccounts(population, { index, count: 2 }).length > 0);
    if (population.length >= min && both) return population.sort();
    const request = await org.send(new CreateAccountCommand({ AccountName: `shard-test-${i}`, Email: `shard-test-${i}@example.com`, RoleName: DEMO_ROLE }));
    const status = await org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: request.CreateAccountStatus?.Id }));
    const id = status.CreateAccountStatus?.AccountId;
    if (!id) throw new Error('moto did not return the new account id');
    population.push(id);
  }
  throw new Error(`no population with both shards non-empty after 12 accounts: ${population.join(',')}`);
}

/** The smallest N >= 3 for which some shard of `population` is empty (an empty shard must still be merged). */
export function countWithEmptyShard(population: readonly string[]): number {
  for (let count = 3; count <= 64; count++) if (Array.from({ length: count }, (_, i) => shardAccounts(population, { index: i + 1, count })).some((p) => p.length === 0)) return count;
  throw new Error('no shard count up to 64 leaves a shard empty');
}

/**
 * What an auditor reads, without what differs between two audits of the same estate: run ids, times, evidence
 * hashes (each file records when it was collected) and evidence ages.
 */
export function comparable(results: ResultsDocument): unknown {
  const VOLATILE = new Set(['collectedAt', 'sha256', 'evidenceAgeSeconds', 'oldestEvidence']);
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([k]) => !VOLATILE.has(k)).map(([k, v]) => [k, strip(v)]));
    // Evidence file hashes: each file records when it was collected, so two collections never share them.
    if (typeof value === 'string' && /^sha256:[0-9a-f]{64}$/.test(value)) return 'sha256:(evidence file)';
    return value;
  };
  const { id: _id, startedAt: _s, finishedAt: _f, ...run } = results.run;
  return { run, summary: strip(results.summary), controls: strip(results.controls) };
}
