import { beforeAll, describe, expect, it } from 'vitest';
import { collectorsOf } from '../../collectors/index.js';
import type { Collector } from '../../collectors/types.js';
import { clientsFor } from '../../src/collect/aws-access.js';
import { runCollector } from '../../src/collect/run-collector.js';
import { useSeededEstate, type Evidence, type SeededEstate } from './estate.js';

/**
 * What every region-scope collector of a seeded service must do against moto: succeed in every account and
 * region with resources of that region, call only what it declares, fail closed on an unreachable endpoint,
 * and let the pipeline give every seeded resource its expected status, with expectations for each of the
 * service's controls in both accounts and both regions.
 */
export function describeRegionCollectors(collectors: readonly Collector[], seeded: SeededEstate, evidence: () => Evidence): void {
  describe(`${collectors.map((c) => c.id).join(', ')} against moto`, () => {
    it('every collector succeeds in every account and Region, declaring region scope and its IAM actions', () => {
      const records = [...evidence().records.values()];
      expect(records.filter((r) => r.status !== 'ok').map((r) => `${r.collector.id} ${r.account} ${r.region}: ${r.error?.message}`)).toEqual([]);
      expect(records).toHaveLength(collectors.length * 2 * seeded.estate.regions.length);
      for (const r of records) for (const res of r.resources) expect(res.region).toBe(r.region);
      for (const c of collectors) expect(c.scope).toBe('region');
      for (const r of records) {
        const collector = collectors.find((c) => c.id === r.collector.id) as Collector;
        for (const call of r.calls) expect(collector.permissions).toContain(`${call.service}:${call.action}`);
      }
    });

    it('fails closed: an unreachable endpoint gives an error record, not empty evidence', async () => {
      const account = seeded.estate.management;
      const clients = clientsFor({ account, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 }).forRegion('us-east-1');
      for (const collector of collectors) {
        const r = await runCollector(collector, { account, region: 'us-east-1', clients });
        expect(r.status, collector.id).toBe('error');
        expect(r.resources).toEqual([]);
        expect(r.error?.message).toBeTruthy();
      }
    }, 60_000);

    it('every seeded expectation holds exactly through the pipeline', async () => {
      const { controls, expected, mismatches, results } = await seeded.assessControlsOf(collectors);
      expect(mismatches).toEqual([]);
      for (const id of controls)
        for (const account of [seeded.estate.management, seeded.estate.member])
          for (const region of seeded.estate.regions) expect(expected.some((e) => e.control === id && e.account === account && e.region === region), `${id} ${account} ${region}`).toBe(true);
      const errors = results.controls.flatMap((c) => c.results.filter((r) => r.status === 'ERROR').map((r) => `${c.id} ${r.resourceId}: ${r.message}`));
      expect(errors).toEqual([]);
    }, 180_000);
  });
}

/**
 * A region-scope service's integration test: seeds the demo organisation with that service (and what it needs),
 * collects its evidence once, and runs describeRegionCollectors. The file adds its own evidence checks.
 */
export function useRegionService(service: string): { seeded: SeededEstate; evidence: () => Evidence } {
  const collectors = collectorsOf(service);
  const seeded = useSeededEstate(service);
  let collected: Evidence | undefined;
  beforeAll(async () => {
    collected = await seeded.collect(collectors);
  }, 240_000);
  const evidence = (): Evidence => {
    if (!collected) throw new Error(`${service} evidence was not collected`);
    return collected;
  };
  describeRegionCollectors(collectors, seeded, evidence);
  return { seeded, evidence };
}
