import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, errorMessage } from '../core/errors.js';
import { writeFileAtomic } from '../core/fs.js';
import { LIMITS, readInputFile } from '../core/safe-fs.js';
import { createSigningIdentity } from './certificate.js';
import type { PdfSigningKey } from './pdf-sign.js';
import { ed25519Signer, keyFingerprint, type DetachedSigner } from './signer.js';

/** File names inside a keys directory (`auditpack keys generate --out DIR`). */
export const KEY_FILES = {
  manifestPrivate: 'manifest-signing.pem',
  manifestPublic: 'manifest-signing.pub.pem',
  pdfP12: 'report-signing.p12',
  pdfPassphrase: 'report-signing.pass',
  pdfCertificate: 'report-signing.crt.pem',
  demoMarker: 'DEMO-KEYS-NOT-FOR-AUDITS',
} as const;

export interface GeneratedKeys {
  dir: string;
  fingerprint: string;
  certificatePem: string;
  demo: boolean;
}

/** Creates an Ed25519 manifest key and an RSA PKCS#12 identity (self-signed certificate) for PDF signatures. */
export async function generateKeys(dir: string, options: { organisation: string; demo?: boolean }): Promise<GeneratedKeys> {
  const exists = await access(join(dir, KEY_FILES.manifestPrivate)).then(() => true, () => false);
  if (exists) throw new UserError(`${join(dir, KEY_FILES.manifestPrivate)}: keys already exist (fix: choose another --out directory; never overwrite signing keys)`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const label = options.demo ? 'auditpack DEMO key - not for real audits' : `auditpack report signing - ${options.organisation}`;
  const identity = createSigningIdentity({ commonName: label, organisation: options.organisation, validDays: options.demo ? 30 : 825 });
  // A keys folder auditpack creates is its owner's alone; an existing folder keeps the permissions it was given.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Private material is created readable by its owner only: the mode is set by open(2), so no other user can
  // catch the file in a wider mode between creation and a chmod.
  const PRIVATE = { mode: 0o600 };
  await writeFileAtomic(join(dir, KEY_FILES.manifestPrivate), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), PRIVATE);
  await writeFileAtomic(join(dir, KEY_FILES.manifestPublic), publicKey.export({ type: 'spki', format: 'pem' }).toString());
  await writeFileAtomic(join(dir, KEY_FILES.pdfP12), identity.p12, PRIVATE);
  await writeFileAtomic(join(dir, KEY_FILES.pdfPassphrase), `${identity.passphrase}\n`, PRIVATE);
  await writeFileAtomic(join(dir, KEY_FILES.pdfCertificate), identity.certificatePem);
  if (options.demo) await writeFileAtomic(join(dir, KEY_FILES.demoMarker), 'These keys were made by `npm run demo`. They prove integrity only: anyone can make them.\n');
  return { dir, fingerprint: keyFingerprint(publicKey), certificatePem: identity.certificatePem, demo: Boolean(options.demo) };
}

export interface LoadedKeys {
  manifest: DetachedSigner;
  pdf?: PdfSigningKey;
  demo: boolean;
}

/** Loads the signing keys of a keys directory; the PDF identity is optional. */
export async function loadKeys(dir: string): Promise<LoadedKeys> {
  const path = join(dir, KEY_FILES.manifestPrivate);
  let manifest: DetachedSigner;
  try {
    manifest = ed25519Signer(createPrivateKey((await readInputFile(path, LIMITS.inputBytes)).toString('utf8')));
  } catch (err) {
    throw new UserError(`${path}: cannot load the Ed25519 manifest signing key: ${errorMessage(err).split('\n')[0]} (fix: run \`auditpack keys generate --out ${dir}\`)`);
  }
  // Bounded reads of regular files only: a keys folder named in a config file must not hang the run on a FIFO.
  const p12 = await readInputFile(join(dir, KEY_FILES.pdfP12), LIMITS.inputBytes).catch(() => undefined);
  const passphrase = await readInputFile(join(dir, KEY_FILES.pdfPassphrase), LIMITS.inputBytes).then((b) => b.toString('utf8'), () => undefined);
  const demo = await access(join(dir, KEY_FILES.demoMarker)).then(() => true, () => false);
  return { manifest, ...(p12 && passphrase !== undefined ? { pdf: { p12, passphrase: passphrase.trim() } } : {}), demo };
}
