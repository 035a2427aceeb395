import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectorsOf } from '../../../collectors/index.js';
import { loadCatalog } from '../../../src/catalog/load.js';
import { loadEstateFixture } from '../../../src/demo/expectations.js';

const ROOT = join(import.meta.dirname, '../../..');

/**
 * Loads one service's controls (controls/<service>/) with the real catalog loader — schema, framework ids,
 * collector ids, CEL compilation — against only the collectors they may read, and checks the set against the
 * seeded estate and Security Hub. Only that folder is loaded, so other services' work in progress cannot break it.
 */
export async function describeServiceControls(
  service: string,
  expected: {
    /** Services whose collectors the controls read (default: the service itself). */
    collectorServices?: string[];
    /** Seeders whose fixtures hold these controls' expected results (default: the service itself). */
    fixtures?: string[];
  } = {},
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `auditpack-${service}-controls-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const sub of ['frameworks', service]) cpSync(join(ROOT, 'controls', sub), join(dir, sub), { recursive: true });
  const catalog = await loadCatalog(dir, collectorsOf(...(expected.collectorServices ?? [service])));
  const seeded = Object.keys(await loadEstateFixture(expected.fixtures ?? [service])).sort();

  describe(`${service} controls`, () => {
    it(`load cleanly and are the set the seeded estate covers (test/fixtures/estate/${(expected.fixtures ?? [service]).join(', ')})`, () => {
      expect(catalog.controls.map((c) => c.definition.id)).toEqual(seeded);
    });


    // The inline cases themselves run once, for the whole catalog, in test/unit/controls.test.ts.
    it('every control has inline test cases', () => {
      for (const control of catalog.controls) expect(control.definition.tests.length, control.definition.id).toBeGreaterThan(0);
    });
  });
}
