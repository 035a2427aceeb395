import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.js';
import { loadCatalog } from '../../../src/catalog/load.js';
import { runControlTests } from '../../../src/evaluate/control-tests.js';

/**
 * Loads only the identity controls (iam/, account/) with the real catalog loader — schema, framework ids,
 * collector ids, CEL compilation — and runs their inline tests through the engine's judge.
 */
const root = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'auditpack-identity-controls-'));
for (const sub of ['frameworks', 'iam', 'account']) cpSync(join(root, 'controls', sub), join(dir, sub), { recursive: true });
const catalog = await loadCatalog(dir, collectors);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('identity controls', () => {
  it('loads every identity control', () => {
    expect(catalog.controls.map((c) => c.definition.id)).toEqual([
      'account-security-contact',
      'iam-access-analyzer-enabled',
      'iam-access-key-age',
      'iam-console-users-mfa',
      'iam-no-admin-star-policies',
      'iam-password-min-length',
      'iam-password-policy-strong',
      'iam-password-reuse',
      'iam-root-access-keys',
      'iam-root-hardware-mfa',
      'iam-root-mfa',
      'iam-unused-credentials',
      'iam-unused-credentials-45',
      'iam-user-no-policies',
      'iam-users-mfa',
    ]);
  });
  for (const control of catalog.controls) {
    describe(control.definition.id, () => {
      it('maps to Security Hub and has a severity', () => {
        expect(control.definition.mappings['security-hub']?.length).toBeGreaterThan(0);
      });
      for (const outcome of runControlTests(control)) {
        it(`inline test: ${outcome.name}`, () => {
          expect(outcome.actual, outcome.messages.join(' | ')).toBe(outcome.expected);
          for (const m of outcome.messages) expect(m).not.toMatch(/: (PASS|FAIL) $/);
        });
      }
    });
  }
});
