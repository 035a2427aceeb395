import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoEstate, DEMO_ROLE } from '../src/demo/estate.js';
import { motoEnv, startMoto } from '../src/demo/moto.js';
import { collectAndAssess } from '../src/pipeline/run.js';
import type { ResultsDocument } from '../src/results/types.js';
import { startFaultProxy } from '../test/support/fault-proxy.js';
import { STORM_SHARE, stormRules } from '../test/support/storm.js';
import type { Figure } from './collect-evaluate.js';

/**
 * What a run concluded, without what differs between two runs of the same estate (ids, times, evidence hashes).
 * An ERROR's message names the call's last failure, which may differ when it failed on every attempt.
 */
export function verdicts(results: ResultsDocument): string[] {
  return results.controls.flatMap((c) => [
    `${c.id} ${c.status}`,
    ...c.results.map((r) => `${c.id} ${r.account} ${r.region} ${r.resourceId} ${r.status}${r.status === 'ERROR' ? '' : `: ${r.message}`}`).sort(),
  ]);
}

/** The ERROR results of a run: control, account, region and resource, to the message. */
const errorsOf = (results: ResultsDocument): Map<string, string> =>
  new Map(results.controls.flatMap((c) => c.results.filter((r) => r.status === 'ERROR').map((r) => [`${c.id} ${r.account} ${r.region} ${r.resourceId}`, r.message] as const)));

/**
 * The demo organisation audited with default settings twice: straight against moto, then behind the fault proxy
 * with a third of all calls throttled or 503 in each protocol's own shape. The storm run must finish with no ERROR
 * and the same verdicts; anything else fails the benchmark.
 */
export async function benchThrottling(): Promise<Figure[]> {
  const moto = await startMoto();
  const proxy = await startFaultProxy(moto.endpoint, { seed: 2026 });
  const out = await mkdtemp(join(tmpdir(), 'auditpack-bench-storm-'));
  try {
    Object.assign(process.env, motoEnv(moto.endpoint));
    const estate = await buildDemoEstate(moto.endpoint);
    const run = async (endpoint: string) => {
      const started = performance.now();
      const { results } = await collectAndAssess({ out, organization: true, roleName: DEMO_ROLE, regions: estate.regions, endpoint });
      return { results, ms: Math.round(performance.now() - started) };
    };
    // Untimed first run: module loading and moto's first answers would otherwise count against the calm run.
    await run(moto.endpoint);
    const calm = await run(moto.endpoint);
    proxy.setRules(stormRules());
    proxy.resetStats();
    const storm = await run(proxy.endpoint);
    const stats = proxy.stats();

    // ERROR already in the unthrottled run is a moto gap (an API moto does not implement), not the storm's doing:
    // such a call fails on every attempt either way, only its last error may be the proxy's 503 instead of moto's 500.
    const gaps = errorsOf(calm.results);
    const caused = [...errorsOf(storm.results)].filter(([key]) => !gaps.has(key)).map(([key, message]) => `${key}: ${message}`);
    const before = verdicts(calm.results);
    const after = verdicts(storm.results);
    const differing = after.filter((v) => !before.includes(v)).length + before.filter((v) => !after.includes(v)).length;
    const figures: Figure[] = [
      { name: 'demo audit, unthrottled, default settings: wall time', value: calm.ms, unit: 'ms' },
      { name: `demo audit, ${Math.round(STORM_SHARE * 100)}% of calls throttled or 503 (default settings): wall time`, value: storm.ms, unit: 'ms' },
      { name: 'storm / unthrottled', value: Math.round((storm.ms / calm.ms) * 100) / 100, unit: 'x' },
      { name: 'AWS requests through the proxy', value: stats.requests, unit: 'requests' },
      { name: 'requests faulted', value: stats.faulted, unit: 'requests' },
      ...Object.entries(stats.byKind)
        .sort()
        .map(([kind, n]) => ({ name: `  of which ${kind}`, value: n, unit: 'requests' })),
      { name: 'ERROR results caused by the storm (must be 0)', value: caused.length, unit: 'results' },
      { name: 'verdicts that differ from the unthrottled run (must be 0)', value: differing, unit: 'verdicts' },
      { name: 'ERROR results in both runs (moto gaps, e.g. access-analyzer ListAnalyzers)', value: gaps.size, unit: 'results' },
    ];
    if (caused.length > 0 || differing > 0) {
      const shown = figures.map((f) => `${f.name}: ${f.value} ${f.unit}`).join('\n');
      throw new Error(`throttling storm: the run did not survive\n${shown}\n${caused.slice(0, 10).join('\n')}`);
    }
    return figures;
  } finally {
    await proxy.close();
    await moto.stop();
    await rm(out, { recursive: true, force: true });
  }
}
