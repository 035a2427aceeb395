import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../core/paths.js';
import type { Status } from '../core/types.js';
import type { ResultsDocument } from '../results/types.js';
import type { DemoEstate, SeededAccount } from './estate.js';
import type { AccountRole } from './seed/types.js';

/** Where the ground truth of the seeded estate lives: one YAML file per seeded service (test data, read at run time). */
export const ESTATE_FIXTURE_DIR = join(PACKAGE_ROOT, 'test', 'fixtures', 'estate');

/**
 * One service's fixture: control id → account role → region (or `global`) → resource reference → status.
 * A reference is the resourceId with placeholders: `{account}` (the account id), `{region}` (the region, or
 * `global`) and `{<name>}`, an id a seeder recorded under that stable name in that account and region (for
 * `global`, in the primary region), e.g. `arn:aws:ec2:{region}:{account}:vpc/{vpc/app}` or `{key/auditpack-logs}`.
 */
export type EstateFixture = Record<string, Partial<Record<AccountRole, Record<string, Record<string, Status>>>>>;

/** What the seeded estate must produce: the integration tests and the demo check these exactly. */
export interface Expectation {
  control: string;
  account: string;
  region: string;
  /** Exact resourceId of the result. */
  resourceId: string;
  status: Status;
}

/** The fixture files of the given services, merged (a control appears in one service's file). */
export async function loadEstateFixture(services: readonly string[], dir = ESTATE_FIXTURE_DIR): Promise<EstateFixture> {
  const merged: EstateFixture = {};
  for (const service of services) {
    const text = await readFile(join(dir, `${service}.yaml`), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new Error(`no expected results for the ${service} seeder: add ${join(dir, `${service}.yaml`)}`);
      throw err;
    });
    Object.assign(merged, (parse(text) ?? {}) as EstateFixture);
  }
  return merged;
}

/** Turns a fixture reference into the resourceId it names in one seeded account and region. */
export function resolveReference(reference: string, seeded: SeededAccount, region: string, primaryRegion: string): string {
  const ids = seeded.ids[region === 'global' ? primaryRegion : region] ?? {};
  return reference.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    if (name === 'account') return seeded.account;
    if (name === 'region') return region;
    const id = ids[name];
    if (id === undefined) throw new Error(`fixture reference ${reference}: no seeder recorded "${name}" in ${seeded.role} account ${seeded.account} ${region}`);
    return id;
  });
}

/** The expected results of a seeded estate: its services' fixture entries, resolved to the estate's ids. */
export function expectationsFor(estate: DemoEstate, fixture: EstateFixture): Expectation[] {
  const out: Expectation[] = [];
  for (const [control, byRole] of Object.entries(fixture)) {
    for (const seeded of estate.accounts) {
      for (const [region, byReference] of Object.entries(byRole[seeded.role] ?? {})) {
        if (region !== 'global' && !estate.regions.includes(region)) continue;
        for (const [reference, status] of Object.entries(byReference)) {
          out.push({ control, account: seeded.account, region, resourceId: resolveReference(reference, seeded, region, estate.regions[0] ?? region), status });
        }
      }
    }
  }
  return out;
}

/** Reads the fixture of every service the estate seeded and resolves it. */
export async function loadExpectations(estate: DemoEstate, dir = ESTATE_FIXTURE_DIR): Promise<Expectation[]> {
  return expectationsFor(estate, await loadEstateFixture(estate.services, dir));
}

export interface Mismatch {
  expected: Expectation;
  actual: string;
}

/** Every seeded expectation must appear in the results with exactly the expected status. */
export function compareExpectations(results: ResultsDocument, expectations: Expectation[]): Mismatch[] {
  const index = new Map<string, string[]>();
  for (const control of results.controls) {
    for (const r of control.results) {
      const key = `${control.id}|${r.account}|${r.region}|${r.resourceId}`;
      // A waived result still carries what the rule found: compare against that.
      index.set(key, [...(index.get(key) ?? []), `${r.originalStatus ?? r.status}: ${r.status === 'WAIVED' ? `WAIVED by ${r.waiver?.id ?? '?'}; ` : ''}${r.message}`]);
    }
  }
  const mismatches: Mismatch[] = [];
  for (const e of expectations) {
    const found = index.get(`${e.control}|${e.account}|${e.region}|${e.resourceId}`);
    if (!found) mismatches.push({ expected: e, actual: 'no result for this resource' });
    else if (!found.some((f) => f.startsWith(`${e.status}:`))) mismatches.push({ expected: e, actual: found.join(' | ') });
  }
  return mismatches;
}

export function formatMismatch(m: Mismatch): string {
  const e = m.expected;
  return `${e.control} ${e.account}/${e.region} ${e.resourceId}: expected ${e.status}, got ${m.actual}`;
}
