import { describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.js';
import { loadCatalog } from '../../src/catalog/load.js';
import { loadEstateFixture } from '../../src/demo/expectations.js';
import { seeders } from '../../src/demo/seed/index.js';
import { runControlTests } from '../../src/evaluate/control-tests.js';

const catalog = await loadCatalog(undefined, collectors);

describe('shipped catalog', () => {
  it('has at least 35 automated controls and manual and inherited ones', () => {
    const kinds = catalog.controls.map((c) => c.definition.kind);
    expect(kinds.filter((k) => k === 'automated').length).toBeGreaterThanOrEqual(35);
    expect(kinds).toContain('manual');
    expect(kinds).toContain('inherited');
  });
  it('maps every automated control to Well-Architected and shared responsibility', () => {
    for (const { definition } of catalog.controls.filter((c) => c.definition.kind === 'automated')) {
      expect(definition.mappings['well-architected']?.length, definition.id).toBeGreaterThan(0);
      expect(definition.mappings['shared-responsibility']?.length, definition.id).toBeGreaterThan(0);
    }
  });
});

describe('inline test cases', () => {
  it('pin a status for every judged resource, and the message of every FAIL', () => {
    for (const { definition } of catalog.controls.filter((c) => c.rule)) {
      for (const test of definition.tests) {
        for (const [id, expected] of Object.entries(test.expect)) {
          if (typeof expected === 'object' && expected.status === 'FAIL') expect(expected.message ?? expected.matches, `${definition.id} / ${test.name} / ${id}`).toBeDefined();
          else expect(expected, `${definition.id} / ${test.name} / ${id}: a FAIL states its message`).not.toBe('FAIL');
        }
      }
    }
  });
  it('keep every control the seeded estate judges, variants included, under its published id', async () => {
    const ids = new Set(catalog.controls.map((c) => c.definition.id));
    const judged = Object.keys(await loadEstateFixture(seeders.map((s) => s.service)));
    expect(judged.length).toBeGreaterThan(0);
    for (const id of judged) expect(ids.has(id), id).toBe(true);
  });
});

describe.each(catalog.controls.filter((c) => c.definition.tests.length > 0).map((c) => [c.definition.id, c] as const))('control %s', (_id, control) => {
  // The one place the inline cases run (per case, so a failure names it).
  it.each(runControlTests(control).map((o) => [o.name, o] as const))('%s', (_name, outcome) => {
    expect(outcome.problems, outcome.messages.join('\n')).toEqual([]);
    expect(outcome.actual).toBe(outcome.expected);
    // Evaluation errors only where the case expects one; every PASS and FAIL says why.
    if (!/\bERROR\b/.test(outcome.expected)) expect(outcome.messages.filter((m) => /ERROR/.test(m))).toEqual([]);
    for (const m of outcome.messages) expect(m).not.toMatch(/: (PASS|FAIL) $/);
  });
});
