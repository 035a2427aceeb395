import { CreateKeyCommand, KMSClient, type KeySpec } from '@aws-sdk/client-kms';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMoto } from '../helpers/moto.js';
import { renderReports } from '../../src/pipeline/report.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import { KMS_RAW_LIMIT, kmsSigner, verifyDetached } from '../../src/sign/signer.js';
import { loadReportDefinition } from '../../src/report/definition.js';
import { verifyPack } from '../../src/verify/verify.js';

/** Signatures made by KMS (moto) must verify with plain OpenSSL against the file itself. */
describe('AWS KMS manifest signing (moto)', () => {
  const moto = useMoto();
  let kms: KMSClient;
  let dir: string;

  beforeAll(async () => {
    kms = new KMSClient({ region: 'us-east-1', endpoint: moto.endpoint });
    dir = await mkdtemp(join(tmpdir(), 'auditpack-kms-'));
  });

  it.each([
    ['ECC_NIST_P256', 'ecdsa-p256-sha256'],
    ['RSA_2048', 'rsa-pkcs1-sha256'],
  ] as const)('signs with a %s key (MessageType RAW) and openssl verifies it', async (spec, scheme) => {
    const key = await kms.send(new CreateKeyCommand({ KeySpec: spec as KeySpec, KeyUsage: 'SIGN_VERIFY' }));
    const signer = await kmsSigner(kms, key.KeyMetadata!.Arn!);
    expect(signer.scheme).toBe(scheme);
    const manifest = Buffer.from(JSON.stringify({ schemaVersion: '1', files: [{ path: 'results.json', sha256: 'ab'.repeat(32), bytes: 10 }] }, null, 2));
    const signature = await signer.sign(manifest);
    await writeFile(join(dir, `${spec}.json`), manifest);
    await writeFile(join(dir, `${spec}.sig`), signature);
    await writeFile(join(dir, `${spec}.pub.pem`), signer.publicKeyPem);
    const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', join(dir, `${spec}.pub.pem`), '-signature', join(dir, `${spec}.sig`), join(dir, `${spec}.json`)], { encoding: 'utf8' });
    expect(out.trim()).toBe('Verified OK');
    expect(verifyDetached(signer.scheme, signer.publicKeyPem, manifest, signature)).toBe(true);
    const tampered = Buffer.from(manifest);
    tampered[10] = tampered[10]! ^ 1;
    expect(verifyDetached(signer.scheme, signer.publicKeyPem, tampered, signature)).toBe(false);
  });

  it('signs the PDF report through KMS (RSA key, self-signed certificate made by KMS): pdfsig and verify accept it', async () => {
    const key = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }));
    const { packDir } = await collectAndAssess({ out: dir, regions: ['us-east-1'], endpoint: moto.endpoint, maxAttempts: 1, controlIds: ['iam-root-mfa', 'manual-threat-model'] });
    // moto's KMS DIGEST signing is wrong, so the detached signatures here must stay on RAW (files of at most 4 KB):
    // the HTML report is larger, so this run renders PDF and CSV only, and the small manifest is signed RAW.
    const definition = { ...(await loadReportDefinition()), outputs: ['pdf', 'csv'] as ('pdf' | 'csv')[] };
    const outcome = await renderReports(packDir, { definition, kmsKeyId: key.KeyMetadata!.Arn!, endpoint: moto.endpoint, sealedThisRun: true });
    expect((await readFile(join(packDir, 'manifest.json'))).length).toBeLessThanOrEqual(KMS_RAW_LIMIT);
    expect(outcome.outputs).toContain('report.pdf');
    expect(outcome.signedWith).toMatch(/^rsa-pkcs1-sha256 arn:aws:kms:/);
    expect(outcome.warnings).toEqual([]);
    const pdfsig = execFileSync('pdfsig', [join(packDir, 'report.pdf')], { encoding: 'utf8' });
    expect(pdfsig).toContain('Signature is Valid.');
    expect(pdfsig).toContain('auditpack report signing (AWS KMS)');
    const { checks } = await verifyPack(packDir);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    const pub = join(packDir, '..', 'kms-report.pub.pem');
    await writeFile(pub, (JSON.parse(await readFile(join(packDir, 'signature.json'), 'utf8')) as { publicKeyPem: string }).publicKeyPem);
    const sig = execFileSync('openssl', ['dgst', '-sha256', '-verify', pub, '-signature', join(packDir, 'manifest.sig'), join(packDir, 'manifest.json')], { encoding: 'utf8' });
    expect(sig.trim()).toBe('Verified OK');
  }, 60_000);

  it('refuses a key that cannot sign', async () => {
    const key = await kms.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }));
    await expect(kmsSigner(kms, key.KeyMetadata!.Arn!)).rejects.toThrow(/must be an asymmetric SIGN_VERIFY key/);
  });
});
