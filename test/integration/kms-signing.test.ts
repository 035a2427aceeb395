import { CreateKeyCommand, KMSClient, type KeySpec } from '@aws-sdk/client-kms';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motoEnv, startMoto, type MotoServer } from '../../src/demo/moto.js';
import { kmsSigner, verifyDetached } from '../../src/sign/signer.js';

/** Signatures made by KMS (moto) must verify with plain OpenSSL against the file itself. */
describe('AWS KMS manifest signing (moto)', () => {
  let moto: MotoServer;
  let kms: KMSClient;
  let dir: string;

  beforeAll(async () => {
    moto = await startMoto();
    Object.assign(process.env, motoEnv(moto.endpoint));
    kms = new KMSClient({ region: 'us-east-1', endpoint: moto.endpoint });
    dir = await mkdtemp(join(tmpdir(), 'auditpack-kms-'));
  });
  afterAll(async () => {
    await moto?.stop();
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

  it('refuses a key that cannot sign', async () => {
    const key = await kms.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }));
    await expect(kmsSigner(kms, key.KeyMetadata!.Arn!)).rejects.toThrow(/must be an asymmetric SIGN_VERIFY key/);
  });
});
