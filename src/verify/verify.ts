import { createPublicKey, type KeyObject } from 'node:crypto';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError, errorMessage } from '../core/errors.js';
import { sha256Hex } from '../core/fs.js';
import { LIMITS, SafeFsError, readFileUnder } from '../core/safe-fs.js';
import { INCOMPLETE_FILE, incompleteState, type IncompleteState } from '../locker/incomplete.js';
import { checkFiles, parseManifest, readManifestBytes, MANIFEST, type Manifest, type ManifestSigning } from '../locker/pack.js';
import { PackError, parsePackJson } from '../locker/records.js';
import { SIGNATURE_FILE, type PackSignature } from '../sign/pack-signature.js';
import { verifyPdfSignature } from '../sign/pdf-verify.js';
import { htmlCommitment, pdfCommitment, type Commitment } from '../sign/report-binding.js';
import { keyFingerprint, verifyDetached, type SignatureScheme } from '../sign/signer.js';

export interface Check {
  subject: string;
  ok: boolean;
  detail: string;
}

/**
 * How far the pack's origin was established:
 * - `pinned`: signed by the key (or fingerprint) the auditor was given out of band;
 * - `embedded-trusted`: signed and intact, and the user chose to trust the key the pack itself carries;
 * - `not-checked`: signed and intact, but nothing pinned the key: anyone could have made this pack;
 * - `unsigned`: no signature at all.
 */
export type Authenticity = 'pinned' | 'embedded-trusted' | 'not-checked' | 'unsigned';

export interface VerifyOptions {
  /** The public key the auditor was given out of band; the pack must be signed by it. */
  publicKeyPem?: string;
  /** The same as a fingerprint (SHA256:<hex> of the DER public key). */
  fingerprint?: string;
  /** Explicit opt-in: accept the key embedded in the pack as the signer's. */
  trustEmbeddedKey?: boolean;
  /** Accept a pack without signature.json (hashes only). */
  allowUnsigned?: boolean;
}

export interface VerifyReport {
  checks: Check[];
  authenticity: Authenticity;
  /** SHA256:<hex> of the key that signed the manifest (embedded in the pack), when the pack is signed. */
  signerFingerprint?: string;
  manifest?: Manifest;
  manifestBytes?: Buffer;
}

const SIG_BYTES = 16 * 1024;
const REPORT_HTML = 'report.html';
const REPORT_PDF = 'report.pdf';
const FINGERPRINT = /^SHA256:[0-9a-f]{64}$/;

/** The fingerprint an auditor pinned, from a PEM public key or a SHA256:<hex> string; a bad one is a usage error. */
export function pinnedFingerprint(options: Pick<VerifyOptions, 'publicKeyPem' | 'fingerprint'>): string | undefined {
  let fromKey: string | undefined;
  if (options.publicKeyPem !== undefined) {
    try {
      fromKey = keyFingerprint(createPublicKey(options.publicKeyPem));
    } catch (err) {
      throw new UserError(`--public-key: not a PEM public key: ${errorMessage(err).split('\n')[0]} (fix: pass the .pub.pem you were given)`);
    }
  }
  const given = options.fingerprint?.trim();
  if (given !== undefined && !FINGERPRINT.test(given)) throw new UserError(`--fingerprint: "${given.slice(0, 80)}" is not SHA256:<64 lowercase hex digits> (fix: copy the fingerprint printed by \`auditpack keys generate\`)`);
  if (fromKey && given && fromKey !== given) throw new UserError(`--public-key and --fingerprint name different keys (${fromKey} vs ${given}) (fix: pass one of them)`);
  return fromKey ?? given;
}

/** Reads an optional pack file as untrusted; missing -> undefined, anything odd -> a failing check. */
async function optionalFile(packDir: string, file: string, maxBytes: number, checks: Check[]): Promise<Buffer | undefined> {
  try {
    return await readFileUnder(packDir, file, maxBytes);
  } catch (err) {
    if (err instanceof SafeFsError && err.problem === 'missing') return undefined;
    checks.push({ subject: file, ok: false, detail: err instanceof SafeFsError ? err.message.replace(/^[^:]*: /, '') : errorMessage(err) });
    return undefined;
  }
}

const KEY_TYPES: Record<SignatureScheme, (key: KeyObject) => boolean> = {
  ed25519: (k) => k.asymmetricKeyType === 'ed25519',
  'ecdsa-p256-sha256': (k) => k.asymmetricKeyType === 'ec' && k.asymmetricKeyDetails?.namedCurve === 'prime256v1',
  'rsa-pkcs1-sha256': (k) => k.asymmetricKeyType === 'rsa' && (k.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048,
};

interface SignatureState {
  /** signature.json exists (valid or not): the pack claims to be signed. */
  present: boolean;
  record?: PackSignature;
  /** The embedded key, when signature.json is present and its key parses and fits the scheme. */
  fingerprint?: string;
  /** True once manifest.sig verified with the embedded key: only then does the manifest's `signing` count. */
  manifestSigned: boolean;
}

/** signature.json and manifest.sig: is the manifest signed, by which key, and does the signed manifest agree? */
async function manifestSignature(packDir: string, manifestBytes: Buffer, manifest: Manifest | undefined, options: VerifyOptions, checks: Check[]): Promise<SignatureState> {
  const state: SignatureState = { present: false, manifestSigned: false };
  const bytes = await optionalFile(packDir, SIGNATURE_FILE, LIMITS.inputBytes, checks);
  if (!bytes) {
    if (checks.some((c) => c.subject === SIGNATURE_FILE)) return { ...state, present: true };
    if (manifest?.signing) {
      checks.push({ subject: SIGNATURE_FILE, ok: false, detail: `missing, yet ${MANIFEST} says the pack is signed by ${manifest.signing.publicKeyFingerprint}: the signatures were removed` });
    } else {
      const pinned = options.publicKeyPem !== undefined || options.fingerprint !== undefined;
      checks.push({
        subject: SIGNATURE_FILE,
        ok: Boolean(options.allowUnsigned) && !pinned,
        detail: `pack is not signed: integrity rests on the manifest hashes alone, and anyone who could write the pack could have rewritten it${pinned ? ' (you pinned a key, so a signature by it is required)' : ''}`,
      });
    }
    return state;
  }
  state.present = true;
  try {
    state.record = parsePackJson<PackSignature>(join(packDir, SIGNATURE_FILE), bytes, 'signature.schema.json');
  } catch (err) {
    checks.push({ subject: SIGNATURE_FILE, ok: false, detail: errorMessage(err).replace(/^.*?signature\.json: /, '') });
    return state;
  }
  const record = state.record;
  let key: KeyObject;
  try {
    key = createPublicKey(record.publicKeyPem);
  } catch (err) {
    checks.push({ subject: SIGNATURE_FILE, ok: false, detail: `embedded public key unreadable: ${errorMessage(err).split('\n')[0]}` });
    return state;
  }
  if (!KEY_TYPES[record.scheme](key)) {
    checks.push({ subject: SIGNATURE_FILE, ok: false, detail: `embedded public key is not a ${record.scheme} key` });
    return state;
  }
  state.fingerprint = keyFingerprint(key);
  const sig = await optionalFile(packDir, 'manifest.sig', SIG_BYTES, checks);
  if (!sig) {
    if (!checks.some((c) => c.subject === 'manifest.sig')) checks.push({ subject: MANIFEST, ok: false, detail: 'manifest.sig is missing' });
    return state;
  }
  if (!verifyDetached(record.scheme, record.publicKeyPem, manifestBytes, sig)) {
    checks.push({ subject: MANIFEST, ok: false, detail: 'signature manifest.sig does NOT match: the manifest or its signature was changed' });
    return state;
  }
  const signing = manifest?.signing;
  if (!signing) {
    checks.push({ subject: MANIFEST, ok: false, detail: `signature is valid, but the manifest does not name its signer, so its reports cannot be bound to it (fix: re-render with \`auditpack report\`)` });
    return state;
  }
  if (signing.publicKeyFingerprint !== state.fingerprint || signing.scheme !== record.scheme) {
    checks.push({ subject: MANIFEST, ok: false, detail: `names ${signing.scheme} key ${signing.publicKeyFingerprint} as its signer, but signature.json holds ${record.scheme} key ${state.fingerprint}` });
    return state;
  }
  state.manifestSigned = true;
  checks.push({ subject: MANIFEST, ok: true, detail: `detached ${record.scheme} signature manifest.sig valid (key ${state.fingerprint})` });
  return state;
}

function commitmentCheck(file: string, commitment: Commitment, manifestSha256: string): Check | undefined {
  if (!commitment.ok) return { subject: file, ok: false, detail: `not bound to this pack: it ${commitment.reason}` };
  if (commitment.manifestSha256 !== manifestSha256) return { subject: file, ok: false, detail: `rendered from another pack: it states manifest sha256 ${commitment.manifestSha256}, this pack's is ${manifestSha256}` };
  return undefined;
}

/** report.html: commits to this manifest; in a signed pack, declared by the signed manifest and signed by its key. */
async function htmlReportChecks(packDir: string, manifestSha256: string, signing: ManifestSigning | undefined, record: PackSignature | undefined, allowUnsigned: boolean, checks: Check[]): Promise<void> {
  const html = await optionalFile(packDir, REPORT_HTML, LIMITS.packFileBytes, checks);
  const declared = signing?.reports.html;
  if (!html) {
    if (declared && !checks.some((c) => c.subject === REPORT_HTML)) checks.push({ subject: REPORT_HTML, ok: false, detail: 'missing, yet the signed manifest lists it' });
    return;
  }
  const bound = commitmentCheck(REPORT_HTML, htmlCommitment(html), manifestSha256);
  if (bound) return void checks.push(bound);
  if (!signing || !record) return void checks.push({ subject: REPORT_HTML, ok: allowUnsigned, detail: 'present but not signed (the pack is not signed)' });
  if (!declared) return void checks.push({ subject: REPORT_HTML, ok: false, detail: 'is not one of the reports the signed manifest vouches for' });
  const sig = await optionalFile(packDir, declared.signature, SIG_BYTES, checks);
  if (!sig) {
    if (!checks.some((c) => c.subject === declared.signature)) checks.push({ subject: REPORT_HTML, ok: false, detail: `${declared.signature} is missing` });
    return;
  }
  const ok = verifyDetached(record.scheme, record.publicKeyPem, html, sig);
  checks.push({ subject: REPORT_HTML, ok, detail: ok ? `detached ${record.scheme} signature ${declared.signature} valid; states this pack's manifest digest` : `signature ${declared.signature} does NOT match: the report or its signature was changed` });
}

/** report.pdf: a valid CMS over the whole file, by the certificate the signed manifest pins, committing to this manifest. */
async function pdfReportChecks(packDir: string, manifestSha256: string, signing: ManifestSigning | undefined, allowUnsigned: boolean, checks: Check[]): Promise<void> {
  const pdf = await optionalFile(packDir, REPORT_PDF, LIMITS.packFileBytes, checks);
  const declared = signing?.reports.pdf;
  if (!pdf) {
    if (declared && !checks.some((c) => c.subject === REPORT_PDF)) checks.push({ subject: REPORT_PDF, ok: false, detail: 'missing, yet the signed manifest lists it' });
    return;
  }
  const bound = commitmentCheck(REPORT_PDF, pdfCommitment(pdf), manifestSha256);
  if (bound) return void checks.push(bound);
  const cms = verifyPdfSignature(pdf);
  if (!signing && !declared && cms.reason.includes('not signed')) return void checks.push({ subject: REPORT_PDF, ok: allowUnsigned, detail: 'present but not signed (the pack is not signed)' });
  if (!cms.valid || !cms.coversWholeFile) return void checks.push({ subject: REPORT_PDF, ok: false, detail: `embedded signature invalid: ${cms.reason}` });
  if (!signing) return void checks.push({ subject: REPORT_PDF, ok: allowUnsigned, detail: `signed by "${cms.signer ?? 'unknown'}", but the pack is not signed, so nothing vouches for that identity` });
  if (!declared) return void checks.push({ subject: REPORT_PDF, ok: false, detail: 'is not one of the reports the signed manifest vouches for' });
  if (cms.signerCertificateSha256 !== declared.certificateSha256)
    return void checks.push({ subject: REPORT_PDF, ok: false, detail: `signed by certificate sha256 ${cms.signerCertificateSha256 ?? 'unknown'} ("${cms.signer ?? ''}"), not by the one the signed manifest pins (${declared.certificateSha256})` });
  checks.push({ subject: REPORT_PDF, ok: true, detail: `embedded CMS signature valid (signer: ${cms.signer ?? 'unknown'}, certificate sha256 ${declared.certificateSha256}, pinned by the signed manifest), covers the whole file, states this pack's manifest digest` });
}

/** Is the signer the one the auditor pinned, or explicitly trusted? Adds the check that says so. */
function authenticity(state: SignatureState, pinned: string | undefined, options: VerifyOptions, checks: Check[]): Authenticity {
  if (!state.record) return 'unsigned';
  const fingerprint = state.fingerprint ?? 'unknown';
  if (pinned) {
    const ok = pinned === state.fingerprint;
    checks.push({ subject: 'signing key', ok, detail: ok ? `matches the pinned key ${pinned}` : `pack was signed by ${fingerprint}, not by the pinned key ${pinned}` });
    return 'pinned';
  }
  if (options.trustEmbeddedKey) {
    checks.push({ subject: 'signing key', ok: true, detail: `${fingerprint}: trusted because --trust-embedded-key was given; compare it with the fingerprint you were given` });
    return 'embedded-trusted';
  }
  checks.push({ subject: 'signing key', ok: true, detail: `${fingerprint}: NOT checked against a key you trust; pass --public-key FILE or --fingerprint ${fingerprint} after comparing it with the one you were given` });
  return 'not-checked';
}

/** The refusal of a pack whose collection never finished: what it holds, and how to finish it. */
export function incompleteMessage(packDir: string, state: IncompleteState): string {
  const what = [
    state.startedAt ? `collection started ${state.startedAt} was interrupted` : 'collection interrupted',
    ...(state.recorded !== undefined && state.planned !== undefined ? [`${state.recorded} of ${state.planned} collector runs recorded`] : []),
    ...(state.problem ? [`${INCOMPLETE_FILE}: ${state.problem}`] : []),
  ].join('; ');
  return `${packDir}: incomplete pack (${what}) — not a complete audit (fix: auditpack run --resume ${packDir})`;
}

/**
 * Everything an auditor needs checked, without trusting the producer or the carrier: every listed file re-hashed
 * (read as untrusted: no symlink, FIFO or device, bounded), no file added, the manifest signature and the signer
 * it names, each report bound to this manifest and signed by the key (HTML) or certificate (PDF) the signed
 * manifest vouches for, and the signer against the pinned key.
 */
export async function verifyPack(packDir: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const pinned = pinnedFingerprint(options);
  const stats = await lstat(packDir).catch(() => undefined);
  if (!stats) throw new UserError(`${packDir}: no such directory (fix: pass the directory of the evidence pack)`);
  if (!stats.isDirectory()) throw new UserError(`${packDir}: is not a directory, so not an evidence pack (fix: pass the directory of the evidence pack)`);
  // The marker alone decides: a pack interrupted even after its manifest was written is not a complete audit.
  const incomplete = await incompleteState(packDir);
  if (incomplete) throw new PackError(incompleteMessage(packDir, incomplete));
  const manifestBytes = await readManifestBytes(packDir);
  const checks: Check[] = [];
  let manifest: Manifest | undefined;
  try {
    manifest = parseManifest(packDir, manifestBytes);
  } catch (err) {
    checks.push({ subject: MANIFEST, ok: false, detail: errorMessage(err).replace(/^.*?manifest\.json: /, '') });
  }
  const state = await manifestSignature(packDir, manifestBytes, manifest, options, checks);
  const trust = authenticity(state, pinned, options, checks);
  const signing = state.manifestSigned ? manifest?.signing : undefined;
  if (signing?.demoKey) checks.push({ subject: 'signing key', ok: true, detail: 'WARNING: signed with a DEMO key; this proves integrity only, not who produced the pack' });
  const wrongSigner = pinned !== undefined && state.fingerprint !== undefined && state.fingerprint !== pinned;
  if (manifest && wrongSigner) {
    checks.push({ subject: `${manifest.files.length} files listed in ${MANIFEST}`, ok: false, detail: 'not hashed: the pack is not signed by the pinned key, so nothing in it is trusted' });
  } else if (manifest) {
    const problems = await checkFiles(packDir, manifest);
    const problemPaths = new Set(problems.map((p) => p.path));
    for (const p of problems) checks.push({ subject: p.path, ok: false, detail: fileProblem(p) });
    const listed = manifest.files.filter((f) => !problemPaths.has(f.path)).length;
    checks.push({ subject: `${listed} files listed in ${MANIFEST}`, ok: true, detail: 'sha256 and size match' });
  }
  const manifestSha256 = sha256Hex(manifestBytes);
  if (wrongSigner) {
    // Nothing more to learn: the verdict is already FAIL, and a hostile pack must not cost more work.
  } else if (state.present && !state.manifestSigned) {
    // The pack claims a signature that does not hold: nothing can vouch for its reports either.
    for (const file of [REPORT_HTML, REPORT_PDF]) {
      if (await lstat(join(packDir, file)).then(() => true, () => false)) checks.push({ subject: file, ok: false, detail: `cannot be checked: ${state.record ? 'the manifest signature does not hold' : 'signature.json is not valid'}` });
    }
  } else {
    const allowUnsigned = Boolean(options.allowUnsigned) && !state.present;
    await htmlReportChecks(packDir, manifestSha256, signing, state.record, allowUnsigned, checks);
    await pdfReportChecks(packDir, manifestSha256, signing, allowUnsigned, checks);
  }
  return { checks, authenticity: trust, ...(state.fingerprint ? { signerFingerprint: state.fingerprint } : {}), ...(manifest ? { manifest } : {}), manifestBytes };
}

function fileProblem(p: Awaited<ReturnType<typeof checkFiles>>[number]): string {
  switch (p.problem) {
    case 'modified':
      return `modified: ${p.detail ?? `sha256 ${p.actual ?? '?'} does not match the manifest's ${p.expected ?? '?'}`}`;
    case 'missing':
      return 'missing: listed in the manifest but not in the pack';
    case 'unlisted':
      return 'not listed in the manifest (added after sealing)';
    default:
      return `refused: ${p.detail ?? 'not a regular file'}`;
  }
}
