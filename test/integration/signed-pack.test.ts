import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMoto } from '../helpers/moto.js';
import { renderReports } from '../../src/pipeline/report.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import { generateKeys, KEY_FILES } from '../../src/sign/keys.js';
import { verifyPack, type VerifyReport } from '../../src/verify/verify.js';

const failures = (report: VerifyReport): string[] => report.checks.filter((c) => !c.ok).map((c) => `${c.subject}: ${c.detail}`);

async function copyPack(packDir: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'auditpack-tampered-'));
  await cp(packDir, copy, { recursive: true });
  return copy;
}

async function flipByte(path: string, at: (length: number) => number): Promise<void> {
  const data = await readFile(path);
  const i = at(data.length);
  data[i] = data[i]! ^ 0x01;
  await writeFile(path, data);
}

/** A signed pack: every single-byte change is caught by `auditpack verify`, and standard tools agree. */
describe('signed evidence pack', () => {
  const moto = useMoto();
  let packDir: string;
  let keysDir: string;

  beforeAll(async () => {
    const out = await mkdtemp(join(tmpdir(), 'auditpack-signed-'));
    keysDir = join(out, 'keys');
    await generateKeys(keysDir, { organisation: 'Test Org', demo: true });
    ({ packDir } = await collectAndAssess({
      out,
      regions: ['us-east-1'],
      endpoint: moto.endpoint,
      maxAttempts: 1,
      controlIds: ['iam-root-mfa', 'iam-password-min-length', 's3-bucket-versioning', 'manual-threat-model', 'inherited-physical-security'],
    }));
    const outcome = await renderReports(packDir, { keysDir });
    expect(outcome.outputs).toEqual(['manifest.sig', 'report.html', 'report.html.sig', 'report.pdf', 'results.csv', 'signature.json']);
  }, 120_000);

  it('verifies untouched, against the key the auditor was given', async () => {
    const publicKeyPem = await readFile(join(keysDir, KEY_FILES.manifestPublic), 'utf8');
    expect(failures(await verifyPack(packDir, { publicKeyPem }))).toEqual([]);
  });

  it('shows the sealed manifest digest in the HTML report', async () => {
    const digest = execFileSync('sha256sum', [join(packDir, 'manifest.json')], { encoding: 'utf8' }).split(' ')[0]!;
    expect(await readFile(join(packDir, 'report.html'), 'utf8')).toContain(digest);
  });

  it('is accepted by openssl (manifest and HTML report) and pdfsig (PDF report)', () => {
    const pub = join(keysDir, KEY_FILES.manifestPublic);
    for (const [file, sig] of [
      ['manifest.json', 'manifest.sig'],
      ['report.html', 'report.html.sig'],
    ]) {
      const out = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', join(packDir, file!), '-sigfile', join(packDir, sig!)], { encoding: 'utf8' });
      expect(out).toContain('Signature Verified Successfully');
    }
    const pdfsig = execFileSync('pdfsig', [join(packDir, 'report.pdf')], { encoding: 'utf8' });
    expect(pdfsig).toContain('Signature is Valid.');
  });

  it.each([
    ['an evidence file', 'evidence/123456789012/global/iam.account-summary.json'],
    ['results.json', 'results.json'],
    ['results.csv', 'results.csv'],
    ['run.json', 'run.json'],
  ])('detects one changed byte in %s', async (_label, file) => {
    const copy = await copyPack(packDir);
    await flipByte(join(copy, file), (n) => Math.floor(n / 2));
    const failed = failures(await verifyPack(copy));
    expect(failed.some((f) => f.startsWith(`${file}: modified`)), failed.join('\n')).toBe(true);
  });

  it('detects one changed byte in manifest.json (signature) and in manifest.sig', async () => {
    const manifest = await copyPack(packDir);
    await flipByte(join(manifest, 'manifest.json'), (n) => n - 3);
    expect(failures(await verifyPack(manifest)).some((f) => f.startsWith('manifest.json: signature manifest.sig does NOT match'))).toBe(true);
    const sig = await copyPack(packDir);
    await flipByte(join(sig, 'manifest.sig'), () => 5);
    expect(failures(await verifyPack(sig)).some((f) => f.startsWith('manifest.json: signature'))).toBe(true);
  });

  it('detects one changed byte in report.html', async () => {
    const copy = await copyPack(packDir);
    await flipByte(join(copy, 'report.html'), (n) => Math.floor(n / 3));
    expect(failures(await verifyPack(copy)).some((f) => f.startsWith('report.html: signature report.html.sig does NOT match'))).toBe(true);
  });

  it.each([0.01, 0.5, 0.99])('detects one changed byte in report.pdf at %s of its length (and pdfsig agrees)', async (where) => {
    const copy = await copyPack(packDir);
    await flipByte(join(copy, 'report.pdf'), (n) => Math.floor(n * where));
    expect(failures(await verifyPack(copy)).some((f) => f.startsWith('report.pdf: embedded signature invalid'))).toBe(true);
    const pdfsig = execFileSync('pdfsig', [join(copy, 'report.pdf')], { encoding: 'utf8' }).toString();
    expect(pdfsig).not.toContain('Signature is Valid.');
  });

  it('detects an added file, a removed file and a pack signed by another key', async () => {
    const added = await copyPack(packDir);
    await writeFile(join(added, 'evidence', 'extra.json'), '{}');
    expect(failures(await verifyPack(added))).toContain('evidence/extra.json: not listed in the manifest (added after sealing)');
    const removed = await copyPack(packDir);
    execFileSync('rm', [join(removed, 'run.json')]);
    expect(failures(await verifyPack(removed))).toContain('run.json: missing: listed in the manifest but not in the pack');
    const other = await mkdtemp(join(tmpdir(), 'auditpack-otherkey-'));
    await generateKeys(join(other, 'k'), { organisation: 'Mallory' });
    const publicKeyPem = await readFile(join(other, 'k', KEY_FILES.manifestPublic), 'utf8');
    expect(failures(await verifyPack(packDir, { publicKeyPem })).some((f) => f.startsWith('signing key: pack was signed by'))).toBe(true);
  });
});
