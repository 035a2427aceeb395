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
    expect(catalog.controls[0]?.rule?.checks[0]?.require({ r: { rootMfaEnabled: true } })).toBe(true);
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
    const err = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('require: r.rootMfaEnabled', 'require: r.rootMfaEnabled &&') });
    expect(err.message).toMatch(/iam\/a\.yaml:14: field "rule\.checks\.0\.require": CEL does not compile/);
    const fn = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('require: r.rootMfaEnabled', 'require: noSuchFunction(r)') });
    expect(fn.message).toMatch(/field "rule\.checks\.0\.require": CEL does not compile/);
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
    expect(err.message).toMatch(/field "tests": an automated control needs test cases expecting at least one PASS and one FAIL resource/);
  });

  it('says to quote a CEL expression that starts with "!"', async () => {
    const err = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('require: r.rootMfaEnabled', 'require: !r.rootMfaEnabled') });
    expect(err.message).toMatch(/iam\/a\.yaml:14: field "rule\.checks\.0\.require": a CEL expression starting with "!" must be quoted in YAML \(fix: write '!r\.rootMfaEnabled'\)$/);
    const broken = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('require: r.rootMfaEnabled', 'require: !has(r.x) || r.y') });
    expect(broken.message).toMatch(/:14: field "rule\.checks\.0\.require": a CEL expression starting with "!" must be quoted in YAML \(fix: write '!has\(r\.x\) \|\| r\.y'\)$/);
  });

  it('rejects a misspelt fixture field, naming the field and the likely fix', async () => {
    const err = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('rootMfaEnabled: false', 'rootMFAEnabled: false') });
    expect(err.message).toMatch(
      /iam\/a\.yaml:23: field "tests\.1\.evidence\.iam\.account-summary\.0\.rootMFAEnabled": unknown field "rootMFAEnabled" in a resource of iam\.account-summary \(fix: did you mean "rootMfaEnabled"\?\)/,
    );
    const type = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('rootMfaEnabled: false', 'rootMfaEnabled: "no"') });
    expect(type.message).toMatch(/field "tests\.1\.evidence\.iam\.account-summary\.0\.rootMfaEnabled": must be boolean/);
  });

  it('rejects a rule that reads a field its collector never emits, naming the expression and the likely field', async () => {
    const err = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('- require: r.rootMfaEnabled', '- require: r.rootMFAEnabled') });
    expect(err.message).toMatch(/iam\/a\.yaml:14: field "rule\.checks\.0\.require": reads r\.rootMFAEnabled, a field iam\.account-summary never emits \(did you mean rootMfaEnabled\?\)/);
    const other = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('- require: r.rootMfaEnabled', '- require: r.rootMfaEnabled && size(evidence["iam.password-policy"]) == 0') });
    expect(other.message).toMatch(/reads evidence\["iam\.password-policy"\], which is not in the control's evidence list/);
  });

  it('records the fields a rule reads, split by applies and verdict', async () => {
    const text = VALID_CONTROL.replace('rule:\n', 'rule:\n  applies: r.rootAccessKeysPresent == false\n');
    const catalog = await loadCatalog(await controlsDirWith({ 'iam/a.yaml': text }), collectors);
    const reads = catalog.controls[0]?.rule?.reads;
    expect([...(reads?.applies.get('r') ?? [])]).toEqual(['rootAccessKeysPresent']);
    expect([...(reads?.verdict.get('r') ?? [])].sort()).toEqual(['id', 'rootMfaEnabled']);
  });

  it('rejects an expectation for a resource the case does not have', async () => {
    const err = await loadError({ 'iam/a.yaml': VALID_CONTROL.replace('expect: { "AWS::::Account:1": PASS }', 'expect: { "AWS::::Account:2": PASS }') });
    expect(err.message).toMatch(/field "tests\.0\.expect\.AWS::::Account:2": "AWS::::Account:2" is not the id of a resource/);
  });

  it('expands variants into controls of their own, each with its params and the cases meant for it', async () => {
    const variants = VALID_CONTROL.replace('id: test-root-mfa\ntitle: Root user has MFA enabled\n', '')
      .replace('severity: critical\n', '')
      .replace(/mappings:\n( {2}.*\n)+/, '')
      .replace(
        'remediation:',
        `params: { flag: true }
variants:
  - id: test-a
    title: Variant A of the control
    severity: high
    mappings: { well-architected: [SEC01-BP02], shared-responsibility: [customer.iam], security-hub: [IAM.9] }
  - id: test-b
    title: Variant B of the control
    severity: low
    mappings: { well-architected: [SEC01-BP02], shared-responsibility: [customer.iam] }
    params: { flag: false }
remediation:`,
      );
    const catalog = await loadCatalog(await controlsDirWith({ 'iam/v.yaml': variants }), collectors);
    expect(catalog.controls.map((c) => [c.definition.id, c.definition.severity, c.definition.params, c.definition.tests.length])).toEqual([
      ['test-a', 'high', { flag: true }, 2],
      ['test-b', 'low', { flag: false }, 2],
    ]);
    const restricted = variants.replace('  - name: fails\n', '  - name: fails\n    variants: [test-a]\n');
    const err = await loadError({ 'iam/v.yaml': restricted });
    expect(err.message).toMatch(/field "tests": an automated control needs test cases expecting at least one PASS and one FAIL resource \(variant test-b\)/);
    const unknown = await loadError({ 'iam/v.yaml': variants.replace('  - name: fails\n', '  - name: fails\n    variants: [test-c]\n') });
    expect(unknown.message).toMatch(/field "tests\.1\.variants\.0": unknown variant "test-c"/);
    const withId = await loadError({ 'iam/v.yaml': `id: test-x\n${variants}` });
    expect(withId.message).toMatch(/:1: field "id": a file with variants takes no top-level id/);
  });

  it('rejects an empty controls directory', async () => {
    const err = await loadError({});
    expect(err.message).toMatch(/no control definitions found/);
  });
});
