import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMoto } from '../helpers/moto.js';
import type { Manifest } from '../../src/locker/pack.js';
import { renderReports } from '../../src/pipeline/report.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import { buildReportView } from '../../src/report/build-view.js';
import { loadReportDefinition } from '../../src/report/definition.js';
import { renderPdf } from '../../src/report/pdf/render.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { generateKeys, KEY_FILES } from '../../src/sign/keys.js';
import { keyFingerprint } from '../../src/sign/signer.js';
import { createPublicKey } from 'node:crypto';
import { verifyPack, type VerifyReport } from '../../src/verify/verify.js';
import { cli, cliInProcess, expectRefusal } from '../helpers/cli.js';

const failures = (report: VerifyReport): string[] => report.checks.filter((c) => !c.ok).map((c) => `${c.subject}: ${c.detail}`);
const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const CONTROLS = ['iam-root-mfa', 'iam-password-min-length', 's3-bucket-versioning', 'manual-threat-model', 'inherited-physical-security'];
const EVIDENCE = (account: string): string => `evidence/${account}/global/iam.account-summary.json`;

async function copyPack(packDir: string): Promise<string> {
  const copy = join(await mkdtemp(join(tmpdir(), 'auditpack-attack-')), 'pack');
  await cp(packDir, copy, { recursive: true });
  return copy;
}

async function flipByte(path: string): Promise<void> {
  const data = await readFile(path);
  const i = Math.floor(data.length / 2);
  data[i] = data[i]! ^ 0x01;
  await writeFile(path, data);
}

/**
 * What an attacker holding an unsigned (or stripped) pack can do: rewrite every listed hash so the manifest
 * matches whatever the files now say, and drop the signatures and reports.
 */
async function resealUnsigned(dir: string, edit: (m: Manifest) => void = () => undefined): Promise<void> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  for (const f of manifest.files) {
    const data = await readFile(join(dir, f.path)).catch(() => undefined);
    if (data) Object.assign(f, { sha256: sha256(data), bytes: data.length });
  }
  delete manifest.signing;
  edit(manifest);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  for (const f of ['signature.json', 'manifest.sig', 'report.html', 'report.html.sig', 'report.pdf']) await rm(join(dir, f), { force: true });
}

describe('evidence pack attacks (issue 8)', () => {
  const moto = useMoto();
  let out: string;
  let keys: string;
  let mallory: string;
  let packA: string;
  let packB: string;
  let account: string;
  let honestPem: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'auditpack-attacks-'));
    keys = join(out, 'keys');
    mallory = join(out, 'mallory');
    await generateKeys(keys, { organisation: 'Honest Corp' });
    await generateKeys(mallory, { organisation: 'Honest Corp' });
    honestPem = await readFile(join(keys, KEY_FILES.manifestPublic), 'utf8');
    const run = async (): Promise<string> => {
      const { packDir } = await collectAndAssess({ out: join(out, 'packs'), regions: ['us-east-1'], endpoint: moto.endpoint, maxAttempts: 1, controlIds: CONTROLS });
      await renderReports(packDir, { keysDir: keys });
      return packDir;
    };
    packA = await run();
    packB = await run();
    account = (JSON.parse(await readFile(join(packA, 'run.json'), 'utf8')) as { accounts: string[] }).accounts[0]!;
    expect(failures(await verifyPack(packA, { publicKeyPem: honestPem }))).toEqual([]);
  }, 180_000);

  describe('reports are bound to this pack and to the trusted key', () => {
    it('refuses a report.pdf signed by a second identity, although pdfsig alone calls it valid', async () => {
      const copy = await copyPack(packA);
      const manifestBytes = await readFile(join(copy, 'manifest.json'));
      const results = JSON.parse(await readFile(join(copy, 'results.json'), 'utf8')) as ResultsDocument;
      const view = buildReportView(results, JSON.parse(manifestBytes.toString('utf8')) as Manifest, sha256(manifestBytes), await loadReportDefinition());
      const p12 = await readFile(join(mallory, KEY_FILES.pdfP12));
      const passphrase = (await readFile(join(mallory, KEY_FILES.pdfPassphrase), 'utf8')).trim();
      await writeFile(join(copy, 'report.pdf'), await renderPdf(view, { sign: { p12, passphrase } }));
      // The forged PDF names the right manifest and carries a valid CMS signature: only the pinned identity tells.
      expect(execFileSync('pdfsig', [join(copy, 'report.pdf')], { encoding: 'utf8' })).toContain('Signature is Valid.');
      const failed = failures(await verifyPack(copy, { publicKeyPem: honestPem }));
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatch(/^report\.pdf: signed by certificate sha256 [0-9a-f]{64} .*not by the one the signed manifest pins/);
      expect((await cliInProcess(['verify', copy, '--public-key', join(keys, KEY_FILES.manifestPublic)])).code).toBe(4);
    });

    it('refuses report.html (with its .sig) and report.pdf replayed from another run signed by the same key', async () => {
      const copy = await copyPack(packB);
      for (const f of ['report.html', 'report.html.sig', 'report.pdf']) await cp(join(packA, f), join(copy, f));
      // The replayed HTML signature is genuinely valid for the replayed file: a detached signature alone cannot tell.
      const openssl = execFileSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', join(keys, KEY_FILES.manifestPublic), '-rawin', '-in', join(copy, 'report.html'), '-sigfile', join(copy, 'report.html.sig')], { encoding: 'utf8' });
      expect(openssl).toContain('Signature Verified Successfully');
      const failed = failures(await verifyPack(copy, { publicKeyPem: honestPem }));
      expect(failed.some((f) => /^report\.html: rendered from another pack: it states manifest sha256 [0-9a-f]{64}, this pack's is/.test(f)), failed.join('\n')).toBe(true);
      expect(failed.some((f) => /^report\.pdf: rendered from another pack/.test(f)), failed.join('\n')).toBe(true);
    });

    it('states the commitment where standard tools read it (pdfinfo -custom, the HTML head)', async () => {
      const digest = sha256(await readFile(join(packA, 'manifest.json')));
      expect(execFileSync('pdfinfo', ['-custom', join(packA, 'report.pdf')], { encoding: 'utf8' })).toMatch(new RegExp(`AuditpackManifestSha256:\\s*${digest}`));
      expect(await readFile(join(packA, 'report.html'), 'utf8')).toContain(`<meta name="auditpack-manifest-sha256" content="${digest}">`);
      const pinned = JSON.parse(await readFile(join(packA, 'manifest.json'), 'utf8')) as Manifest;
      const cert = execFileSync('openssl', ['x509', '-in', join(keys, KEY_FILES.pdfCertificate), '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
      expect(cert.split('=')[1]!.trim().replace(/:/g, '').toLowerCase()).toBe(pinned.signing?.reports.pdf?.certificateSha256);
      // The documented standard-tools path: pdfsig dumps the CMS, openssl prints its signer certificate's fingerprint.
      const dump = await mkdtemp(join(tmpdir(), 'auditpack-pdfsig-'));
      await cp(join(packA, 'report.pdf'), join(dump, 'report.pdf'));
      execFileSync('pdfsig', ['-dump', 'report.pdf'], { cwd: dump });
      const embedded = execFileSync('sh', ['-c', 'openssl pkcs7 -inform DER -in report.pdf.sig0 -print_certs | openssl x509 -noout -fingerprint -sha256'], { cwd: dump, encoding: 'utf8' });
      expect(embedded.split('=')[1]!.trim().replace(/:/g, '').toLowerCase()).toBe(pinned.signing?.reports.pdf?.certificateSha256);
    });
  });

  describe('no authenticity without a pinned key', () => {
    it('verify without a key checks integrity, prints the signer fingerprint and exits 6, never "verified"', async () => {
      const fingerprint = keyFingerprint(createPublicKey(honestPem));
      const result = await cliInProcess(['verify', packA]);
      expect(result.code).toBe(6);
      expect(result.stdout).toContain(fingerprint);
      expect(result.stdout).toMatch(/AUTHENTICITY WAS NOT CHECKED/);
      expect(result.stdout).not.toMatch(/^pack verified/m);
      expect((await cliInProcess(['verify', packA, '--fingerprint', fingerprint])).code).toBe(0);
      expect((await cliInProcess(['verify', packA, '--trust-embedded-key'])).code).toBe(0);
      expect((await cliInProcess(['verify', packA, '--public-key', join(keys, KEY_FILES.manifestPublic)])).stdout).toMatch(/^pack verified: .*pinned/m);
    });

    it('a pack edited and re-signed by another key is refused against the pinned key, and is not "verified" unpinned', async () => {
      const copy = await copyPack(packA);
      const file = join(copy, EVIDENCE(account));
      const record = JSON.parse(await readFile(file, 'utf8')) as { resources: { AccountMFAEnabled?: number }[] };
      await writeFile(file, JSON.stringify({ ...record, resources: record.resources.map((r) => ({ ...r, AccountMFAEnabled: 1 })) }));
      await resealUnsigned(copy);
      await renderReports(copy, { keysDir: mallory });
      const failed = failures(await verifyPack(copy, { publicKeyPem: honestPem }));
      expect(failed).toEqual([
        expect.stringMatching(/^signing key: pack was signed by SHA256:[0-9a-f]{64}, not by the pinned key/),
        expect.stringMatching(/files listed in manifest\.json: not hashed: the pack is not signed by the pinned key/),
      ]);
      const unpinned = await cliInProcess(['verify', copy]);
      expect(unpinned.code).toBe(6);
      expect(unpinned.stdout).toContain(keyFingerprint(createPublicKey(await readFile(join(mallory, KEY_FILES.manifestPublic), 'utf8'))));
    });

    it('detects signatures stripped from a signed pack, even with --allow-unsigned', async () => {
      const copy = await copyPack(packA);
      await rm(join(copy, 'signature.json'));
      await rm(join(copy, 'manifest.sig'));
      const failed = failures(await verifyPack(copy, { allowUnsigned: true }));
      expect(failed).toContain(`signature.json: missing, yet manifest.json says the pack is signed by ${keyFingerprint(createPublicKey(honestPem))}: the signatures were removed`);
    });

    it('does not let an unsigned signature.json field (demoKey, file list) change the verdict', async () => {
      const copy = await copyPack(packA);
      const sig = JSON.parse(await readFile(join(copy, 'signature.json'), 'utf8')) as { signatures: unknown[] };
      await writeFile(join(copy, 'signature.json'), JSON.stringify({ ...sig, signatures: [{ file: 'manifest.json', signature: 'manifest.sig' }] }));
      // The HTML report stays bound through the signed manifest, whatever signature.json lists.
      expect(failures(await verifyPack(copy, { publicKeyPem: honestPem }))).toEqual([]);
      await writeFile(join(copy, 'signature.json'), JSON.stringify({ ...sig, signatures: [sig.signatures[0], { file: '../../../etc/passwd', signature: 'manifest.sig' }] }));
      const failed = failures(await verifyPack(copy, { publicKeyPem: honestPem }));
      expect(failed[0]).toMatch(/^signature\.json: field "signatures\.1/);
      expect(failed.slice(1).every((f) => /cannot be checked: signature\.json is not valid/.test(f)), failed.join('\n')).toBe(true);
    });
  });

  describe('no laundering: every command verifies the pack first and never re-seals tampered content', () => {
    const commands = (pack: string, other: string): [string, string[]][] => [
      ['assess', ['assess', pack]],
      ['report', ['report', pack, '--keys', keys]],
      ['diff', ['diff', other, pack]],
      ['push --dry-run', ['push', 'securityhub', pack, '--dry-run']],
    ];

    it.each(['assess', 'report', 'diff', 'push --dry-run'])('%s refuses an edited evidence file (exit 4, one line) and leaves the pack as it was', async (name) => {
      const copy = await copyPack(packA);
      await flipByte(join(copy, EVIDENCE(account)));
      const before = await readFile(join(copy, 'manifest.json'));
      const [, args] = commands(copy, packB).find(([n]) => n === name)!;
      expectRefusal(await cliInProcess(args), 4, new RegExp(`${EVIDENCE(account)}: modified`));
      expect((await readFile(join(copy, 'manifest.json'))).equals(before)).toBe(true);
      expect(failures(await verifyPack(copy, { publicKeyPem: honestPem })).some((f) => f.startsWith(`${EVIDENCE(account)}: modified`))).toBe(true);
    });

    it.each(['assess', 'report', 'diff', 'push --dry-run'])('%s refuses a signed pack whose manifest signature fails, and a pack without its manifest', async (name) => {
      const badSig = await copyPack(packA);
      await flipByte(join(badSig, 'manifest.sig'));
      const sigBefore = await readFile(join(badSig, 'manifest.sig'));
      expectRefusal(await cliInProcess(commands(badSig, packB).find(([n]) => n === name)![1]), 4, /manifest\.sig does NOT match/);
      expect((await readFile(join(badSig, 'manifest.sig'))).equals(sigBefore)).toBe(true);
      const noManifest = await copyPack(packA);
      await rm(join(noManifest, 'manifest.json'));
      expectRefusal(await cliInProcess(commands(noManifest, packB).find(([n]) => n === name)![1]), 4, /manifest\.json: missing/);
    });

    it('with --public-key or --fingerprint, every command refuses a pack signed by another key or not signed, and reads the pinned one', async () => {
      const pub = join(keys, KEY_FILES.manifestPublic);
      const resigned = await copyPack(packA);
      await resealUnsigned(resigned);
      await renderReports(resigned, { keysDir: mallory, sealedThisRun: true });
      const unsigned = await copyPack(packA);
      await resealUnsigned(unsigned);
      for (const [pack, why] of [
        [resigned, /not by the pinned key/],
        [unsigned, /signature\.json: pack is not signed/],
      ] as const) {
        for (const [, args] of commands(pack, packB)) expectRefusal(await cliInProcess([...args, '--public-key', pub]), 4, why);
      }
      const fingerprint = keyFingerprint(createPublicKey(honestPem));
      expectRefusal(await cliInProcess(['diff', packB, resigned, '--fingerprint', fingerprint]), 4, /not by the pinned key/);
      expect((await cliInProcess(['diff', packA, packB, '--public-key', pub])).code).toBe(0);
      expect((await cliInProcess(['diff', packA, packB, '--fingerprint', fingerprint])).code).toBe(0);
      expect((await cliInProcess(['push', 'securityhub', await copyPack(packA), '--dry-run', '--public-key', pub])).code).toBe(0);
    });

    it('refuses a file added after sealing', async () => {
      const copy = await copyPack(packA);
      await writeFile(join(copy, 'evidence', account, 'global', 'extra.json'), '{}');
      expectRefusal(await cliInProcess(['assess', copy]), 4, /extra\.json: not listed in the manifest/);
    });
  });

  describe('paths stay inside the pack', () => {
    it('refuses traversal, absolute paths and duplicates in manifest entries', async () => {
      for (const path of ['../../../../etc/passwd', '/etc/passwd', 'evidence/../../x', 'a//b', 'C:/x', 'run.json']) {
        const copy = await copyPack(packA);
        await resealUnsigned(copy, (m) => m.files.push({ path, sha256: '0'.repeat(64), bytes: 1 }));
        const failed = failures(await verifyPack(copy, { allowUnsigned: true }));
        expect(failed, path).toEqual([expect.stringMatching(/^manifest\.json: field "files\.\d+\.path": /)]);
        expectRefusal(await cliInProcess(['assess', copy]), 4, /field "files\.\d+\.path"/);
      }
    });

    it('refuses account, region and collector ids in run.json that would name paths outside the pack', async () => {
      for (const [field, value] of [
        ['accounts', ['../../../../tmp']],
        ['regions', ['../x']],
        ['collectors', [{ id: '../../etc/passwd', version: '1', scope: 'account', permissions: [] }]],
      ] as const) {
        const copy = await copyPack(packA);
        const run = JSON.parse(await readFile(join(copy, 'run.json'), 'utf8')) as Record<string, unknown>;
        await writeFile(join(copy, 'run.json'), JSON.stringify({ ...run, [field]: value }));
        await resealUnsigned(copy);
        expectRefusal(await cliInProcess(['assess', copy]), 4, new RegExp(`run\\.json: field "${field}\\.0`));
      }
    });

    it('refuses symlinks, FIFOs and devices in a pack, without blocking on them', async () => {
      const cases: [string, (dir: string) => Promise<void>][] = [
        ['listed evidence is a symlink to /etc/passwd', async (d) => { await rm(join(d, EVIDENCE(account))); await symlink('/etc/passwd', join(d, EVIDENCE(account))); }],
        ['listed evidence is a FIFO', async (d) => { await rm(join(d, EVIDENCE(account))); execFileSync('mkfifo', [join(d, EVIDENCE(account))]); }],
        ['listed evidence is a symlink to /dev/zero', async (d) => { await rm(join(d, EVIDENCE(account))); await symlink('/dev/zero', join(d, EVIDENCE(account))); }],
        ['an unlisted FIFO', async (d) => execFileSync('mkfifo', [join(d, 'evidence', 'pipe')]) as unknown as void],
        ['evidence folder is a symlink', async (d) => { await rm(join(d, 'evidence', account), { recursive: true }); await symlink(join(packA, 'evidence', account), join(d, 'evidence', account)); }],
        ['manifest.json is a FIFO', async (d) => { await rm(join(d, 'manifest.json')); execFileSync('mkfifo', [join(d, 'manifest.json')]); }],
        ['signature.json is a symlink to /dev/zero', async (d) => { await rm(join(d, 'signature.json')); await symlink('/dev/zero', join(d, 'signature.json')); }],
        ['report.pdf is a FIFO', async (d) => { await rm(join(d, 'report.pdf')); execFileSync('mkfifo', [join(d, 'report.pdf')]); }],
      ];
      for (const [label, mount] of cases) {
        const copy = await copyPack(packA);
        await mount(copy);
        // A FIFO could block a careless reader forever: those cases run in a child process with a hard timeout.
        const args = ['verify', copy, '--public-key', join(keys, KEY_FILES.manifestPublic)];
        const verify = label.includes('FIFO') ? await cli(args, {}, 30_000) : await cliInProcess(args);
        expect(verify.code, `${label}: ${verify.stderr}${verify.stdout}`).toBe(4);
        expect(verify.stderr, label).not.toMatch(/\n\s+at /);
        expectRefusal(await cliInProcess(['assess', copy]), 4);
      }
    }, 120_000);
  });

  describe('a second look (review findings)', () => {
    it('report refuses to re-sign a pack signed by another key unless that key is pinned', async () => {
      const copy = await copyPack(packA);
      const file = join(copy, 'results.json');
      await writeFile(file, (await readFile(file, 'utf8')).replace(/"score": [0-9.]+/, '"score": 100'));
      await resealUnsigned(copy);
      await renderReports(copy, { keysDir: mallory, sealedThisRun: true });
      const before = await readFile(join(copy, 'manifest.json'));
      expectRefusal(await cliInProcess(['report', copy, '--keys', keys]), 4, /is signed by SHA256:[0-9a-f]{64}, not by the key you sign with/);
      expect((await readFile(join(copy, 'manifest.json'))).equals(before)).toBe(true);
      const trusted = await cliInProcess(['report', copy, '--keys', keys, '--public-key', join(mallory, KEY_FILES.manifestPublic)]);
      expect(trusted.code, trusted.stderr).toBe(0);
    });

    it('a signed report takes no numbers from an unsigned or foreign previous or history pack', async () => {
      const forged = await copyPack(packB);
      await resealUnsigned(forged);
      const copy = await copyPack(packA);
      const refused = await cliInProcess(['report', copy, '--keys', keys, '--previous', forged]);
      expectRefusal(refused, 4, /pack is not signed/);
      const history = await mkdtemp(join(tmpdir(), 'auditpack-history-'));
      await cp(forged, join(history, 'forged'), { recursive: true });
      await cp(packB, join(history, 'genuine'), { recursive: true });
      const rendered = await cliInProcess(['report', copy, '--keys', keys, '--history', history]);
      expect(rendered.code, rendered.stderr).toBe(0);
      expect(rendered.stderr).toMatch(/warning: skipped .*forged: .*pack is not signed/);
      expect(failures(await verifyPack(copy, { publicKeyPem: honestPem }))).toEqual([]);
    });

    it('diff says who vouches for each side, and prints no terminal escapes from a pack', async () => {
      const forged = await copyPack(packB);
      const file = join(forged, 'results.json');
      const results = JSON.parse(await readFile(file, 'utf8')) as ResultsDocument;
      results.controls[0]!.title = 'x\u001b[2J\u001b]0;owned\u0007\nfake: all good';
      await writeFile(file, JSON.stringify(results));
      await resealUnsigned(forged);
      const out = await cliInProcess(['diff', packA, forged]);
      expect(out.code, out.stderr).toBe(0);
      expect(out.stdout).toMatch(/^old pack: signed by SHA256:[0-9a-f]{64}, NOT checked against a key you trust/m);
      expect(out.stdout).toMatch(/^new pack: UNSIGNED/m);
      expect([...out.stdout].some((c) => c !== '\n' && (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))).toBe(false);
      expect(out.stdout).not.toMatch(/^fake: all good/m);
    });

    it('a pinned key requires a signature, even with --allow-unsigned', async () => {
      const copy = await copyPack(packA);
      await resealUnsigned(copy);
      expect(failures(await verifyPack(copy, { publicKeyPem: honestPem, allowUnsigned: true }))).toEqual([expect.stringMatching(/^signature\.json: pack is not signed.*you pinned a key/)]);
    });

    it('refuses an oversized report and over-deep JSON cleanly (exit 4), never an internal error', async () => {
      const big = await copyPack(packA);
      execFileSync('truncate', ['-s', String(300 * 1024 * 1024), join(big, 'report.html')]);
      const verify = await cliInProcess(['verify', big, '--public-key', join(keys, KEY_FILES.manifestPublic)]);
      expect(verify.code).toBe(4);
      expect(verify.stdout).toMatch(/FAIL report\.html: is \d+ bytes, more than the limit/);
      const deep = await copyPack(packA);
      const file = join(deep, 'results.json');
      // Written as text: the value is too deep for JSON.stringify itself, which is the point.
      const text = await readFile(file, 'utf8');
      expect(text).toMatch(/"params": \{/);
      await writeFile(file, text.replace(/"params": \{/, `"params": { "deep": ${'['.repeat(100_000)}${']'.repeat(100_000)},`));
      await resealUnsigned(deep);
      for (const args of [['report', deep, '--no-sign'], ['diff', packA, deep], ['push', 'securityhub', deep, '--dry-run']]) expectRefusal(await cliInProcess(args), 4, /nests deeper than 64 levels/);
    });

    it('binds the PDF through its information dictionary, whatever a title says', async () => {
      const copy = await copyPack(packA);
      const definition = { ...(await loadReportDefinition()), title: `Audit /AuditpackManifestSha256 (${'0'.repeat(64)}) /AuditpackManifestSha256 12 0 R` };
      await renderReports(copy, { definition, keysDir: keys });
      expect(failures(await verifyPack(copy, { publicKeyPem: honestPem }))).toEqual([]);
    });
  });
});
