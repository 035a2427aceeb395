import { describe, expect, it } from 'vitest';
import { collectors } from '../../../collectors/index.js';
import { loadCatalog } from '../../../src/catalog/load.js';
import { UserError } from '../../../src/core/errors.js';
import { VALID_CONTROL, controlsDirWith } from '../../helpers/catalog-fixture.js';

async function loadError(files: Record<string, string>): Promise<UserError> {
  const dir = await controlsDirWith(files);
  const err = await loadCatalog(dir, collectors).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  const userError = err as UserError;
  expect(userError.message.split('\n')).toHaveLength(1);
  expect(userError.exitCode).toBe(2);
  return userError;
}

describe('catalog loader', () => {
  it('loads a valid control and compiles its rule', async () => {
    const catalog = await loadCatalog(await controlsDirWith({ 'iam/a.yaml': VALID_CONTROL }), collectors);
    expect(catalog.controls.map((c) => c.definition.id)).toEqual(['test-root-mfa']);
    expect(catalog.controls[0]?.rule?.pass({ r: { rootMfaEnabled: true } })).toBe(true);
    expect(catalog.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('names file and line for malformed YAML', async () => {
    const err = await loadError({ 'iam/bad.yaml': 'id: x\ntitle: [unclosed\n' });
    expect(err.message).toMatch(/iam\/bad\.yaml:\d+: malformed YAML/);
  });

  it('rejects an unknown collector with file, line and field', async () => {
    const err = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('evidence: [iam.account-summary]', 'evidence: [iam.nope]') });
    expect(err.message).toMatch(/iam\/a\.yaml:11: field "evidence\.0": unknown collector "iam\.nope"/);
  });

  it('rejects an unknown framework id', async () => {
    const err = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('security-hub: [IAM.9]', 'security-hub: [IAM.999]') });
    expect(err.message).toMatch(/iam\/a\.yaml:9: field "mappings\.security-hub\.0": unknown security-hub id "IAM\.999"/);
    const wa = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('[SEC01-BP02]', '[SEC12-BP01]') });
    expect(wa.message).toMatch(/unknown well-architected id "SEC12-BP01"/);
  });

  it('rejects a duplicate control id, naming both files', async () => {
    const err = await loadError({ 'iam/a.yaml': VALID_CONTROL, 'iam/b.yaml': VALID_CONTROL });
    expect(err.message).toMatch(/iam\/b\.yaml:1: field "id": duplicate control id "test-root-mfa" \(also in .*iam\/a\.yaml\)/);
  });

  it('rejects an expression that does not compile, naming the rule field and line', async () => {
    const err = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('pass: r.rootMfaEnabled', 'pass: r.rootMfaEnabled &&') });
    expect(err.message).toMatch(/iam\/a\.yaml:13: field "rule\.pass": CEL does not compile/);
    const fn = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('pass: r.rootMfaEnabled', 'pass: noSuchFunction(r)') });
    expect(fn.message).toMatch(/field "rule\.pass": CEL does not compile/);
  });

  it('rejects unknown fields and bad enum values with a fix', async () => {
    const unknown = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('severity: critical', 'severity: critical\nseverty: high') });
    expect(unknown.message).toMatch(/field "severty": unknown field \(fix: remove it or correct its spelling\)/);
    const badEnum = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('severity: critical', 'severity: severe') });
    expect(badEnum.message).toMatch(/iam\/a\.yaml:4: field "severity": must be one of critical, high, medium, low, informational/);
  });

  it('requires at least one PASS and one FAIL inline test for automated controls', async () => {
    const text = VALID_CONTROL.slice(0, VALID_CONTROL.indexOf('  - name: fails'));
    const err = await loadError({ 'iam/a.yaml': text });
    expect(err.message).toMatch(/field "tests": an automated control needs at least one PASS and one FAIL test case/);
  });

  it('rejects an empty controls directory', async () => {
    const err = await loadError({});
    expect(err.message).toMatch(/no control definitions found/);
  });
});
