import { describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.js';
import { loadCatalog } from '../../src/catalog/load.js';
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

describe.each(catalog.controls.filter((c) => c.definition.tests.length > 0).map((c) => [c.definition.id, c] as const))('control %s', (_id, control) => {
  it.each(runControlTests(control).map((o) => [o.name, o] as const))('%s', (_name, outcome) => {
    expect(outcome.actual, outcome.messages.join('\n')).toBe(outcome.expected);
  });
});
