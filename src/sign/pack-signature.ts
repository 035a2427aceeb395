import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/fs.js';
import { canonicalJson } from '../core/json.js';
import type { DetachedSigner, SignatureScheme } from './signer.js';

/** signature.json: which key signed which files of the pack, and how; the public key is embedded for convenience. */
export interface PackSignature {
  schemaVersion: '1';
  scheme: SignatureScheme;
  keyId: string;
  publicKeyPem: string;
  /** file -> its detached signature file (manifest.json -> manifest.sig, report.html -> report.html.sig). */
  signatures: { file: string; signature: string }[];
  /** Set for demo keys: the signature proves integrity only, not who produced the pack. */
  demoKey?: boolean;
}

export const SIGNATURE_FILE = 'signature.json';

/** Signs each file with a detached signature `<file>.sig` (manifest.json -> manifest.sig) and writes signature.json. */
export async function signPackFiles(packDir: string, files: string[], signer: DetachedSigner, demoKey = false): Promise<PackSignature> {
  const signatures: PackSignature['signatures'] = [];
  for (const file of files) {
    const signature = file === 'manifest.json' ? 'manifest.sig' : `${file}.sig`;
    const data = await readFile(join(packDir, file));
    await writeFileAtomic(join(packDir, signature), await signer.sign(data));
    signatures.push({ file, signature });
  }
  const record: PackSignature = { schemaVersion: '1', scheme: signer.scheme, keyId: signer.keyId, publicKeyPem: signer.publicKeyPem, signatures, ...(demoKey ? { demoKey } : {}) };
  await writeFileAtomic(join(packDir, SIGNATURE_FILE), canonicalJson(record));
  return record;
}
