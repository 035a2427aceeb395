import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect } from 'vitest';
import { collectors as allCollectors } from '../../collectors/index.js';
import type { Collector } from '../../collectors/types.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { clientsFor } from '../../src/collect/aws-access.js';
import { runCollector } from '../../src/collect/run-collector.js';
import type { EvidenceRecord, Resource } from '../../src/core/types.js';
import { buildDemoEstate, DEMO_REGIONS, DEMO_ROLE, type DemoEstate } from '../../src/demo/estate.js';
import { compareExpectations, formatMismatch, loadExpectations, type Expectation } from '../../src/demo/expectations.js';
import { seedersFor } from '../../src/demo/seed/index.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { useMoto, type SharedMoto } from './moto.js';

/** The automated controls of the catalog that read only these collectors' evidence. */
export async function controlIdsOf(collectors: readonly Collector[]): Promise<string[]> {
  const ids = new Set(collectors.map((c) => c.id));
  const catalog = await loadCatalog(undefined, allCollectors);
  return catalog.controls
    .filter((c) => c.definition.kind === 'automated' && c.definition.evidence.length > 0 && c.definition.evidence.every((e) => ids.has(e)))
    .map((c) => c.definition.id);
}

export interface SeededEstate {
  readonly moto: SharedMoto;
  /** The demo organisation seeded with the services' seeders (and the ones they need). */
  readonly estate: DemoEstate;
  /** The seeded services' expected results (test/fixtures/estate/), resolved to the estate's ids. */
  readonly expectations: Expectation[];
  /** Clients of one estate account (member accounts through the organisation role). */
  access(account: string): ReturnType<typeof clientsFor>;
  /** Runs collectors in every account: account-scope ones once, region-scope ones in every region. */
  collect(collectors: readonly Collector[]): Promise<Evidence>;
  /** The whole pipeline for these controls against the estate. */
  assess(controlIds: readonly string[]): Promise<ResultsDocument>;
  /**
   * The whole pipeline for the catalog's controls on these collectors' evidence, compared with the fixture:
   * the controls, their expected results, what differs, and the results.
   */
  assessControlsOf(collectors: readonly Collector[]): Promise<EstateCheck>;
}

export interface EstateCheck {
  controls: string[];
  expected: Expectation[];
  mismatches: string[];
  results: ResultsDocument;
}

/** Evidence records by collector, account and region (`global` for account-scope collectors). */
export class Evidence {
  readonly records = new Map<string, EvidenceRecord>();
  add(record: EvidenceRecord): void {
    this.records.set(`${record.collector.id}|${record.account}|${record.region}`, record);
  }
  record(collector: string, account: string, region: string): EvidenceRecord {
    const found = this.records.get(`${collector}|${account}|${region}`);
    if (!found) throw new Error(`no evidence for ${collector} ${account} ${region} (have ${[...this.records.keys()].join(', ')})`);
    return found;
  }
  resources(collector: string, account: string, region: string): Resource[] {
    return this.record(collector, account, region).resources;
  }
}

export const byName = (list: Resource[], name: string): Resource => {
  const found = list.find((r) => r.name === name);
  if (!found) throw new Error(`no resource named ${name} in ${list.map((r) => r.name).join(', ')}`);
  return found;
};

/**
 * Use the worker's moto with the demo organisation seeded by the given services' seeders (management + one
 * member account, DEMO_REGIONS). Call at the top level of a test file; values are known once beforeAll ran.
 */
export function useSeededEstate(...services: string[]): SeededEstate {
  const moto = useMoto();
  let estate: DemoEstate | undefined;
  let expectations: Expectation[] | undefined;
  beforeAll(async () => {
    estate = await buildDemoEstate(moto.endpoint, DEMO_REGIONS, seedersFor(...services));
    expectations = await loadExpectations(estate);
  }, 240_000);
  const known = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useSeededEstate(): the estate is known once the beforeAll hooks run');
    return value;
  };
  const handle: SeededEstate = {
    moto,
    get estate() {
      return known(estate);
    },
    get expectations() {
      return known(expectations);
    },
    access(account) {
      return clientsFor({ account, endpoint: moto.endpoint, maxAttempts: 2, roleName: account === known(estate).management ? undefined : DEMO_ROLE });
    },
    async collect(collectors) {
      const evidence = new Evidence();
      const { management, member, regions } = known(estate);
      for (const account of [management, member]) {
        const clients = handle.access(account);
        for (const collector of collectors) {
          for (const region of collector.scope === 'account' ? regions.slice(0, 1) : regions) {
            evidence.add(await runCollector(collector, { account, region, clients: clients.forRegion(region) }));
          }
        }
      }
      return evidence;
    },
    async assess(controlIds) {
      const out = await mkdtemp(join(tmpdir(), 'auditpack-estate-'));
      try {
        const { results } = await collectAndAssess({
          out,
          organization: true,
          roleName: DEMO_ROLE,
          regions: known(estate).regions,
          endpoint: moto.endpoint,
          maxAttempts: 2,
          controlIds: [...controlIds],
        });
        return results;
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    },
    async assessControlsOf(collectors) {
      const controls = await controlIdsOf(collectors);
      const results = await handle.assess(controls);
      const expected = known(expectations).filter((e) => controls.includes(e.control));
      return { controls, expected, results, mismatches: compareExpectations(results, expected).map(formatMismatch) };
    },
  };
  return handle;
}

/**
 * Every collector ran cleanly in both accounts (once per account, or once per account and region) and called only
 * the IAM actions it declares.
 */
export function expectCleanCollection(evidence: Evidence, collectors: readonly Collector[], regions: readonly string[]): void {
  const perAccount = collectors.reduce((n, c) => n + (c.scope === 'account' ? 1 : regions.length), 0);
  expect(evidence.records.size).toBe(2 * perAccount);
  for (const r of evidence.records.values()) expect(r.status, `${r.collector.id} ${r.account}/${r.region}: ${r.error?.message}`).toBe('ok');
  const permissions = new Set(collectors.flatMap((c) => c.permissions));
  for (const r of evidence.records.values()) for (const c of r.calls) expect(permissions.has(`${c.service}:${c.action}`), `${c.service}:${c.action}`).toBe(true);
}
