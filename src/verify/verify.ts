import { createPublicKey } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, errorMessage } from '../core/errors.js';
import { checkFiles, readManifest, MANIFEST, type Manifest } from '../locker/pack.js';
import { SIGNATURE_FILE, type PackSignature } from '../sign/pack-signature.js';
import { verifyPdfSignature } from '../sign/pdf-verify.js';
import { keyFingerprint, verifyDetached } from '../sign/signer.js';

export interface Check {
  subject: string;
  ok: boolean;
  detail: string;
}

export interface VerifyOptions {
  /** The public key the auditor was given out of band; the embedded one must match it. */
  publicKeyPem?: string;
  /** Accept a pack without signature.json (hashes only). */
  allowUnsigned?: boolean;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Everything an auditor needs checked, without trusting the producer: every listed file re-hashed, no file
 * added, the detached signatures (manifest, HTML report) and the PDF's embedded CMS signature.
 */
export async function verifyPack(packDir: string, options: VerifyOptions = {}): Promise<Check[]> {
  if (!(await exists(join(packDir, MANIFEST)))) throw new UserError(`${join(packDir, MANIFEST)}: not an evidence pack (no manifest.json) (fix: pass the pack directory)`);
  const checks: Check[] = [];
  // Signatures first: they need only the bytes, so a manifest mangled beyond parsing is still reported precisely.
  checks.push(...(await signatureChecks(packDir, options)));
  let manifest: Manifest | undefined;
  try {
    manifest = await readManifest(packDir);
  } catch (err) {
    checks.push({ subject: MANIFEST, ok: false, detail: errorMessage(err).replace(/^.*?manifest\.json: /, '') });
  }
  if (manifest) {
    // checkFiles already leaves out the self-signed reports and signature records (UNLISTED).
    const problems = await checkFiles(packDir, manifest);
    const problemPaths = new Set(problems.map((p) => p.path));
    for (const p of problems) {
      const detail =
        p.problem === 'modified' ? `modified: sha256 ${p.actual} does not match the manifest's ${p.expected}` : p.problem === 'missing' ? 'missing: listed in the manifest but not in the pack' : 'not listed in the manifest (added after sealing)';
      checks.push({ subject: p.path, ok: false, detail });
    }
    const listed = manifest.files.filter((f) => !problemPaths.has(f.path)).length;
    checks.push({ subject: `${listed} files listed in ${MANIFEST}`, ok: true, detail: 'sha256 and size match' });
  }
  if (await exists(join(packDir, 'report.pdf'))) {
    const pdf = verifyPdfSignature(await readFile(join(packDir, 'report.pdf')));
    const ok = pdf.valid && pdf.coversWholeFile;
    checks.push({ subject: 'report.pdf', ok, detail: ok ? `embedded CMS signature valid${pdf.signer ? ` (signer: ${pdf.signer})` : ''}, covers the whole file` : `embedded signature invalid: ${pdf.reason}` });
  }
  return checks;
}

async function signatureChecks(packDir: string, options: VerifyOptions): Promise<Check[]> {
  const path = join(packDir, SIGNATURE_FILE);
  if (!(await exists(path))) {
    return [{ subject: SIGNATURE_FILE, ok: Boolean(options.allowUnsigned), detail: 'pack is not signed: integrity rests on the manifest hashes alone' }];
  }
  let record: PackSignature;
  try {
    record = JSON.parse(await readFile(path, 'utf8')) as PackSignature;
  } catch (err) {
    return [{ subject: SIGNATURE_FILE, ok: false, detail: `unreadable: ${errorMessage(err)}` }];
  }
  const checks: Check[] = [];
  let embedded: string;
  try {
    embedded = keyFingerprint(createPublicKey(record.publicKeyPem));
  } catch (err) {
    return [{ subject: SIGNATURE_FILE, ok: false, detail: `embedded public key unreadable: ${errorMessage(err)}` }];
  }
  if (options.publicKeyPem) {
    let expected: string;
    try {
      expected = keyFingerprint(createPublicKey(options.publicKeyPem));
    } catch (err) {
      throw new UserError(`--public-key: not a PEM public key: ${errorMessage(err).split('\n')[0]} (fix: pass the .pub.pem you were given)`);
    }
    checks.push({ subject: 'signing key', ok: expected === embedded, detail: expected === embedded ? `matches the given public key ${expected}` : `pack was signed by ${embedded}, not by the given key ${expected}` });
  } else {
    checks.push({ subject: 'signing key', ok: true, detail: `${record.scheme} key ${embedded}${record.keyId.startsWith('arn:') ? ` (${record.keyId})` : ''}: embedded; compare it with the fingerprint you were given, or pass --public-key` });
  }
  if (record.demoKey) checks.push({ subject: 'signing key', ok: true, detail: 'WARNING: signed with a demo key; this proves integrity only, not who produced the pack' });
  if (!record.signatures.some((s) => s.file === MANIFEST)) checks.push({ subject: MANIFEST, ok: false, detail: 'signature.json does not sign the manifest' });
  for (const { file, signature } of record.signatures) {
    const data = await readFile(join(packDir, file)).catch(() => undefined);
    const sig = await readFile(join(packDir, signature)).catch(() => undefined);
    if (!data || !sig) {
      checks.push({ subject: file, ok: false, detail: `${data ? signature : file} is missing` });
      continue;
    }
    const ok = verifyDetached(record.scheme, record.publicKeyPem, data, sig);
    checks.push({ subject: file, ok, detail: ok ? `detached ${record.scheme} signature ${signature} valid` : `signature ${signature} does NOT match: the file or its signature was changed` });
  }
  if ((await exists(join(packDir, 'report.html'))) && !record.signatures.some((s) => s.file === 'report.html'))
    checks.push({ subject: 'report.html', ok: false, detail: 'present but not signed' });
  return checks;
}
