import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { sha256Hex, writeFileAtomic } from '../core/fs.js';
import { canonicalJson } from '../core/json.js';
import { LIMITS, SafeFsError, readFileUnder, relativePathProblem, walkTree } from '../core/safe-fs.js';
import { hashFileUnder } from '../core/safe-stream.js';
import { writeCanonicalJson } from '../core/stream-write.js';
import { INCOMPLETE_FILE } from './layout.js';
import { PackError, parsePackJson } from './records.js';

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
  /** For evidence files: when the collector ran (from the record), so reports can show it without parsing evidence. */
  collectedAt?: string;
}

/** manifest.json (public): every file of the pack with its SHA-256 and size, and what produced it. */
export interface Manifest {
  schemaVersion: '1';
  tool: { name: 'auditpack'; version: string };
  run: { id: string; startedAt: string; finishedAt: string; accounts: string[]; regions: string[] };
  /** The digest of the catalog that judged the pack; absent while it holds evidence only (sealed by `collect`). */
  catalog?: { digest: string };
  files: ManifestFile[];
  /** Set when the pack is about to be signed; the manifest signature then vouches for the signer and the reports. */
  signing?: ManifestSigning;
}

/**
 * What the signed manifest says about its own signature and the reports: the key that signs it (so stripping or
 * swapping signature.json is detected), whether it is a demo key, and what binds each report to this pack. The
 * reports show this manifest's digest and cannot be listed in it; the manifest instead names the PDF signing
 * certificate (so a PDF signed by any other identity is refused) and the HTML report's detached signature.
 */
export interface ManifestSigning {
  scheme: 'ed25519' | 'ecdsa-p256-sha256' | 'rsa-pkcs1-sha256';
  keyId: string;
  /** SHA256:<hex> of the DER SubjectPublicKeyInfo of the manifest signing key. */
  publicKeyFingerprint: string;
  demoKey?: boolean;
  reports: { html?: { signature: 'report.html.sig' }; pdf?: { certificateSha256: string } };
}

export const MANIFEST = 'manifest.json';
/**
 * Written when findings are pushed to Security Hub, after the pack was sealed (they record the push, not the audit),
 * so no signature covers them: `push --previous` cross-checks them against the signed results (derive.ts).
 */
export const PUSH_RECORDS = ['findings.asff.json', 'securityhub-pushed.json'];
/**
 * Files the manifest cannot list: the manifest and its signatures, and the reports that show the manifest's own
 * digest on their cover (listing them would be circular). Each of those carries its own signature instead. And the
 * incomplete marker, removed right after the manifest is written: a pack that still has it is refused before any
 * hash is checked (verify.ts).
 */
export const UNLISTED: ReadonlySet<string> = new Set([MANIFEST, 'manifest.sig', 'signature.json', 'report.html', 'report.html.sig', 'report.pdf', ...PUSH_RECORDS, INCOMPLETE_FILE]);
/** Outputs derived from results.json: stale once the pack is re-assessed. */
export const DERIVED_OUTPUTS = ['results.csv', 'report.html', 'report.html.sig', 'report.pdf', 'manifest.sig', 'signature.json'];

/**
 * Writes one JSON document into the pack atomically, canonically (sorted keys), and returns its entry. The text is
 * streamed to disk and hashed as it is written (src/core/stream-write.ts), never built as one string, so a document
 * larger than V8's longest string (results.json of a large organisation) can be written.
 */
export async function writePackJson(packDir: string, path: string, value: unknown): Promise<ManifestFile> {
  const { sha256, bytes } = await writeCanonicalJson(join(packDir, path), value);
  return { path, sha256, bytes };
}

/**
 * How large one listed file may be when it is only hashed (sealing, verifying): hashing streams in bounded memory,
 * so the bound is the pack's total, not the single-read limit (LIMITS.packFileBytes), which stays the bound of
 * every file read whole to be parsed. results.json and the OSCAL document may exceed it: they are read as streams.
 */
export const HASHED_FILE_BYTES = LIMITS.packTotalBytes;

/** Evidence records are read whole (their collectedAt goes into the manifest); they are bounded by the single-read limit. */
function isEvidence(path: string): boolean {
  return path.startsWith('evidence/') && path.endsWith('.json');
}

/** Every regular file of the pack; anything else (a symlink, FIFO, device) makes sealing fail: a pack holds files only. */
async function listFiles(packDir: string): Promise<string[]> {
  let entries;
  try {
    entries = await walkTree(packDir);
  } catch (err) {
    throw new UserError(`${err instanceof SafeFsError ? err.message : String(err)} (fix: make the pack folder readable and remove what is not the pack's)`);
  }
  const odd = entries.find((e) => e.kind !== 'file');
  if (odd) throw new UserError(`${join(packDir, odd.path)}: is a ${odd.detail}; a pack holds regular files only (fix: remove it before sealing)`);
  return entries.map((e) => e.path);
}

function collectedAt(path: string, data: Buffer): string | undefined {
  if (!path.startsWith('evidence/') || !path.endsWith('.json')) return undefined;
  try {
    const value = (JSON.parse(data.toString('utf8')) as { collectedAt?: unknown }).collectedAt;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Re-sealing a pack that was verified: only the files this command wrote may differ from the verified manifest,
 * and only the outputs it dropped may be gone. Anything else changed between the check and the seal (a writer
 * racing the command) and must not be sealed, let alone signed.
 */
export interface SealGuard {
  verified: Manifest;
  /** Files this command (re)wrote: sealed as found. */
  written: ReadonlySet<string>;
  /** Listed files this command removed on purpose (stale derived outputs). */
  dropped: ReadonlySet<string>;
}

function guardProblem(guard: SealGuard, files: ManifestFile[]): string | undefined {
  const verified = new Map(guard.verified.files.map((f) => [f.path, f] as const));
  for (const f of files) {
    if (guard.written.has(f.path)) continue;
    const before = verified.get(f.path);
    if (!before) return `${f.path} appeared after the pack was verified`;
    if (before.sha256 !== f.sha256 || before.bytes !== f.bytes) return `${f.path} changed after the pack was verified`;
  }
  const now = new Set(files.map((f) => f.path));
  const gone = guard.verified.files.find((f) => !now.has(f.path) && !guard.dropped.has(f.path) && !guard.written.has(f.path));
  return gone ? `${gone.path} disappeared after the pack was verified` : undefined;
}

/**
 * Hashes every file in the pack (but the manifest and its signature) and writes manifest.json atomically. With a
 * guard, refuses (exit 4) to seal anything that differs from the verified pack but what this command wrote.
 */
export async function writeManifest(packDir: string, meta: Omit<Manifest, 'schemaVersion' | 'files'>, guard?: SealGuard): Promise<Manifest> {
  const paths = (await listFiles(packDir)).filter((p) => !UNLISTED.has(p)).sort();
  const files: ManifestFile[] = [];
  // Re-sealing a verified pack: an evidence file with the verified hash has the verified collectedAt (same bytes),
  // so it is hashed but not parsed again (assess seals twice; at 1,000 accounts that is a million parses saved).
  const known = guard ? new Map(guard.verified.files.map((f) => [f.path, f] as const)) : undefined;
  for (const path of paths) {
    if (!isEvidence(path)) {
      files.push({ path, ...(await hashFileUnder(packDir, path, HASHED_FILE_BYTES)) });
      continue;
    }
    const data = await readFileUnder(packDir, path);
    const sha256 = sha256Hex(data);
    const before = known?.get(path);
    const at = before && before.sha256 === sha256 && before.bytes === data.length ? before.collectedAt : collectedAt(path, data);
    files.push({ path, sha256, bytes: data.length, ...(at ? { collectedAt: at } : {}) });
  }
  const problem = guard ? guardProblem(guard, files) : undefined;
  if (problem) throw new PackError(`${join(packDir, problem.split(' ')[0] ?? '')}: ${problem.split(' ').slice(1).join(' ')}; nothing was sealed or signed (fix: make sure nothing else writes the pack, restore it, and run the command again)`);
  const manifest: Manifest = { schemaVersion: '1', ...meta, files };
  await writeFileAtomic(join(packDir, MANIFEST), canonicalJson(manifest));
  return manifest;
}

export { PackError };

/** Parses and validates manifest.json bytes: schema, safe relative paths, no duplicates, no unlistable names. */
export function parseManifest(packDir: string, bytes: Buffer): Manifest {
  const path = join(packDir, MANIFEST);
  const manifest = parsePackJson<Manifest>(path, bytes, 'manifest.schema.json');
  const seen = new Set<string>();
  for (const [i, file] of manifest.files.entries()) {
    const problem = relativePathProblem(file.path);
    if (problem) throw new PackError(`${path}: field "files.${i}.path": ${problem} (fix: restore the pack from its original copy)`);
    if (UNLISTED.has(file.path)) throw new PackError(`${path}: field "files.${i}.path": ${file.path} is never listed in a manifest (fix: restore the pack from its original copy)`);
    if (seen.has(file.path)) throw new PackError(`${path}: field "files.${i}.path": ${file.path} is listed twice (fix: restore the pack from its original copy)`);
    seen.add(file.path);
  }
  return manifest;
}

/** Reads manifest.json as untrusted: a regular file (no symlink, FIFO or device), bounded, schema-valid. */
export async function readManifestBytes(packDir: string): Promise<Buffer> {
  try {
    return await readFileUnder(packDir, MANIFEST, LIMITS.manifestBytes);
  } catch (err) {
    if (err instanceof SafeFsError && err.problem === 'missing') {
      // A directory that holds a pack's files but no manifest lost it (or was never sealed): refused as tampered.
      const looksLikePack = (await lstat(join(packDir, 'run.json')).catch(() => undefined)) !== undefined;
      throw new UserError(
        looksLikePack
          ? `${join(packDir, MANIFEST)}: missing: this pack has no manifest, so nothing in it can be checked (fix: restore the pack from its original copy)`
          : `${join(packDir, MANIFEST)}: not an evidence pack (no manifest.json) (fix: pass the directory auditpack collect/run wrote)`,
        looksLikePack ? 4 : 2,
      );
    }
    throw new PackError(`${join(packDir, MANIFEST)}: ${err instanceof SafeFsError ? err.message.replace(/^[^:]*: /, '') : String(err)} (fix: restore the pack from its original copy)`);
  }
}

export async function readManifest(packDir: string): Promise<Manifest> {
  return parseManifest(packDir, await readManifestBytes(packDir));
}

export interface FileCheck {
  path: string;
  problem: 'missing' | 'modified' | 'unlisted' | 'not-regular' | 'unreadable';
  expected?: string;
  actual?: string;
  detail?: string;
}

/**
 * Hashes one listed file as untrusted (no symlink, FIFO or device; bounded by its declared size), streaming, so
 * memory stays bounded whatever the size; the total of declared sizes is bounded by checkFiles.
 */
async function checkListed(packDir: string, file: ManifestFile): Promise<FileCheck | undefined> {
  let data: { sha256: string; bytes: number };
  try {
    data = await hashFileUnder(packDir, file.path, Math.min(file.bytes, HASHED_FILE_BYTES));
  } catch (err) {
    if (err instanceof SafeFsError) {
      if (err.problem === 'missing') return { path: file.path, problem: 'missing', expected: file.sha256 };
      if (err.problem === 'too-large') return { path: file.path, problem: 'modified', expected: file.sha256, detail: `larger than the ${file.bytes} bytes the manifest lists` };
      return { path: file.path, problem: err.problem === 'symlink' || err.problem === 'not-regular' ? 'not-regular' : 'unreadable', detail: err.message.replace(/^[^:]*: /, '') };
    }
    throw err;
  }
  const actual = data.sha256;
  if (actual !== file.sha256 || data.bytes !== file.bytes) return { path: file.path, problem: 'modified', expected: file.sha256, actual };
  return undefined;
}

/**
 * Re-hashes every listed file and walks the pack: which files are missing, modified, not regular files (symlinks,
 * FIFOs, devices are refused without being opened), or present but not in the manifest.
 */
export async function checkFiles(packDir: string, manifest: Manifest): Promise<FileCheck[]> {
  const problems: FileCheck[] = [];
  const listed = new Set(manifest.files.map((f) => f.path));
  const total = manifest.files.reduce((n, f) => n + f.bytes, 0);
  if (total > LIMITS.packTotalBytes) return [{ path: MANIFEST, problem: 'unreadable', detail: `lists ${total} bytes in all, more than the ${LIMITS.packTotalBytes} one pack may hold` }];
  for (const file of manifest.files) {
    const problem = await checkListed(packDir, file);
    if (problem) problems.push(problem);
  }
  let entries;
  try {
    entries = await walkTree(packDir);
  } catch (err) {
    if (!(err instanceof SafeFsError)) throw err;
    return [...problems, { path: err.path || '.', problem: 'unreadable', detail: err.message.replace(/^[^:]*: /, '') }];
  }
  for (const entry of entries) {
    if (entry.kind !== 'file') {
      if (!listed.has(entry.path)) problems.push({ path: entry.path, problem: 'not-regular', detail: `is a ${entry.detail}; a pack holds regular files only` });
    } else if (!UNLISTED.has(entry.path) && !listed.has(entry.path)) problems.push({ path: entry.path, problem: 'unlisted' });
  }
  return problems;
}

/** The manifest's run metadata, from run.json and the digest of the catalog that judged the pack. */
export function manifestMeta(run: { id: string; startedAt: string; finishedAt: string; accounts: string[]; regions: string[]; tool: Manifest['tool'] }, catalogDigest?: string): Omit<Manifest, 'schemaVersion' | 'files'> {
  return { tool: run.tool, run: { id: run.id, startedAt: run.startedAt, finishedAt: run.finishedAt, accounts: run.accounts, regions: run.regions }, ...(catalogDigest ? { catalog: { digest: catalogDigest } } : {}) };
}
