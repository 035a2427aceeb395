import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { VALID_CONTROL, controlsDirWith } from '../helpers/catalog-fixture.js';
import { cli as binary, cliInProcess, type CliResult } from '../helpers/cli.js';

/**
 * The CLI's main() in this process (same code path as the binary, without a 1.5 s node start per call); the
 * binary itself is exercised by the first test and by the attack tests that need a killable child.
 */
const cli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> => cliInProcess(args, { CI: 'true', ...env });
import { enforceMotoAuth, useMoto } from '../helpers/moto.js';

function expectOneLineUserError(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('auditpack CLI: user errors', () => {
  it('reports a broken control as one line naming file, line and field (exit 2)', async () => {
    const dir = await controlsDirWith({ 'iam/a.yaml': VALID_CONTROL.replace('[iam.account-summary]', '[iam.missing]') });
    expectOneLineUserError(await binary(['controls', 'lint', '--controls-dir', dir]), /a\.yaml:11: field "evidence\.0": unknown collector "iam\.missing"/);
  });

  it('rejects a bad option value and an unknown parameter override (exit 2)', async () => {
    expectOneLineUserError(await cli(['run', '--fail-on', 'severe']), /--fail-on must be one of/);
    expectOneLineUserError(await cli(['run', '--param', 'iam-root-mfa.nope=1']), /control "iam-root-mfa" has no parameter "nope"/);
  });

  it('rejects a directory that is not a pack (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-notapack-'));
    expectOneLineUserError(await cli(['assess', dir]), /not an evidence pack/);
  });

  it('runs the inline control tests and prints the policy', async () => {
    // A one-control catalog: the shipped controls' inline tests run once, in test/unit/controls.test.ts.
    const dir = await controlsDirWith({ 'iam/a.yaml': VALID_CONTROL });
    const tests = await cli(['controls', 'test', '--controls-dir', dir]);
    expect(tests.code, tests.stderr).toBe(0);
    expect(tests.stdout).toMatch(/^2 passed, 0 failed$/m);
    const policy = await cli(['policy']);
    expect(JSON.parse(policy.stdout)).toMatchObject({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] });
  });
});

describe('auditpack CLI against moto', () => {
  const moto = useMoto();
  let env: Record<string, string>;
  let out: string;

  beforeAll(async () => {
    env = moto.env;
    out = await mkdtemp(join(tmpdir(), 'auditpack-cli-'));
  });

  it('exits 1 on a failure at or above --fail-on and 0 below it', async () => {
    const failing = await cli(['run', '--out', out, '--regions', 'us-east-1', '--control', 'iam-root-mfa', '--max-attempts', '2'], env);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/FAIL\s+critical\s+iam-root-mfa/);
    expect(failing.stderr).toMatch(/\[1\/1\] 123456789012 global iam\.account-summary ok/);
    const ignored = await cli(['run', '--out', out, '--regions', 'us-east-1', '--control', 'iam-root-mfa', '--fail-on', 'none'], env);
    expect(ignored.code).toBe(0);
  });

  it('exits 3 when a result is ERROR (Access Analyzer is not served by moto)', async () => {
    const result = await cli(['run', '--out', out, '--regions', 'us-east-1', '--control', 'iam-access-analyzer-enabled', '--max-attempts', '1'], env);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/ERROR\s+high\s+iam-access-analyzer-enabled/);
  });

  it('collects, then assesses the pack offline with the same results', async () => {
    const collected = await cli(['collect', '--out', join(out, 'c'), '--regions', 'us-east-1', '--max-attempts', '2'], env);
    expect(collected.code).toBe(0);
    const [runId] = await readdir(join(out, 'c'));
    const pack = join(out, 'c', runId!);
    const first = await cli(['assess', pack, '--json', '--fail-on', 'none']);
    const results = await readFile(join(pack, 'results.json'), 'utf8');
    const second = await cli(['assess', pack, '--json', '--fail-on', 'none']);
    expect([first.code, second.code]).toEqual([3, 3]); // moto cannot serve Access Analyzer: ERROR, exit 3
    expect(await readFile(join(pack, 'results.json'), 'utf8')).toBe(results);
    expect(JSON.parse(first.stdout)).toMatchObject({ schemaVersion: '1', run: { accounts: ['123456789012'], regions: ['us-east-1'] } });
    // --json prints results.json's own bytes (canonical, streamed), not a re-serialisation of it.
    expect(second.stdout).toBe(results);
  });

  it('generates keys, runs a signed audit, verifies it (exit 0) and catches tampering (exit 4)', async () => {
    const keys = join(out, 'keys');
    const generated = await cli(['keys', 'generate', '--out', keys, '--organisation', 'Test Org']);
    expect(generated.code).toBe(0);
    expect(generated.stdout).toMatch(/manifest key fingerprint: SHA256:[0-9a-f]{64}/);
    expectOneLineUserError(await cli(['keys', 'generate', '--out', keys]), /keys already exist/);
    const run = await cli(['run', '--out', join(out, 's'), '--regions', 'us-east-1', '--control', 'iam-root-mfa,s3-bucket-versioning', '--keys', keys, '--fail-on', 'none'], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/reports: manifest\.sig, report\.html, report\.html\.sig, report\.pdf, results\.csv, signature\.json · signed with ed25519/);
    const [runId] = await readdir(join(out, 's'));
    const pack = join(out, 's', runId!);
    const verified = await cli(['verify', pack, '--public-key', join(keys, 'manifest-signing.pub.pem')]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^pack verified/m);
    const report = await cli(['report', pack, '--definition', join(PACKAGE_ROOT, 'reports/evidence-pack.yaml'), '--keys', keys]);
    expect(report.code).toBe(0);
    expect(report.stderr).toMatch(/reports: manifest\.sig, report\.html, report\.html\.sig, results\.csv, signature\.json/);
    const results = await readFile(join(pack, 'results.json'), 'utf8');
    await writeFile(join(pack, 'results.json'), results.replace('"FAIL"', '"PASS"'));
    const tampered = await cli(['verify', pack]);
    expect(tampered.code).toBe(4);
    expect(tampered.stdout).toMatch(/^FAIL results\.json: modified/m);
  });

  it('runs a quarterly audit from auditpack.yaml, with flags overriding the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-config-'));
    await writeFile(
      join(dir, 'auditpack.yaml'),
      ['organisation: Config Test Corp', 'regions: [us-east-1]', 'out: packs', 'failOn: none', 'controls:', '  include: ["iam-root-*"]', '  exclude: ["iam-root-hardware-mfa", "iam-root-not-used-recently"]', 'params:', '  iam-root-mfa: {}', 'report:', '  enabled: true', 'signing: {}', 'evidence:', '  source: config', '  configMaxAge: 2h', ''].join('\n'),
    );
    const config = join(dir, 'auditpack.yaml');
    const first = await cli(['run', '--config', config, '--no-sign', '--max-attempts', '1'], env);
    expect(first.code).toBe(0);
    const [runId] = await readdir(join(dir, 'packs'));
    const results = JSON.parse(await readFile(join(dir, 'packs', runId!, 'results.json'), 'utf8')) as { controls: { id: string }[] };
    expect(results.controls.map((c) => c.id)).toEqual(['iam-root-access-keys', 'iam-root-mfa']);
    const run = JSON.parse(await readFile(join(dir, 'packs', runId!, 'run.json'), 'utf8')) as { evidenceSource?: { source: string; configMaxAgeSeconds: number } };
    expect(run.evidenceSource).toMatchObject({ source: 'config', configMaxAgeSeconds: 7200 });
    expect(await readFile(join(dir, 'packs', runId!, 'report.html'), 'utf8')).toContain('Config Test Corp');
    const overridden = await cli(['run', '--config', config, '--no-sign', '--fail-on', 'critical', '--no-report', '--max-attempts', '1'], env);
    expect(overridden.code).toBe(1);
    await writeFile(join(dir, 'bad.yaml'), 'regions: [us-east-1]\nregoins: [eu-west-1]\n');
    await writeFile(join(dir, 'bad-source.yaml'), 'evidence:\n  source: cache\n');
    expectOneLineUserError(await cli(['run', '--config', join(dir, 'bad-source.yaml')], env), /bad-source\.yaml:2: field "evidence\.source"/);
    expectOneLineUserError(await cli(['run', '--config', join(dir, 'bad.yaml')], env), /bad\.yaml:2: field "regoins": unknown field/);
  });

  it('says the credentials were rejected, in one line, when AWS refuses them', async () => {
    await enforceMotoAuth(moto.endpoint, 0);
    try {
      const result = await cli(['run', '--out', out, '--regions', 'us-east-1', '--max-attempts', '1'], { ...env, AWS_ACCESS_KEY_ID: 'AKIAWRONGWRONGWRONG0' });
      expectOneLineUserError(result, /AWS credentials rejected while identifying the caller/);
    } finally {
      await enforceMotoAuth(moto.endpoint, Infinity);
    }
  });
});
