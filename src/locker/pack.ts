import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { UserError, errorMessage } from '../core/errors.js';
import { readJson, sha256Hex, writeFileAtomic } from '../core/fs.js';
import { canonicalJson } from '../core/json.js';

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
  catalog: { digest: string };
  files: ManifestFile[];
}

export const MANIFEST = 'manifest.json';
/** Written when findings are pushed to Security Hub, after the pack was sealed (they record the push, not the audit). */
export const PUSH_RECORDS = ['findings.asff.json', 'securityhub-pushed.json'];
/**
 * Files the manifest cannot list: the manifest and its signatures, and the reports that show the manifest's own
 * digest on their cover (listing them would be circular). Each of those carries its own signature instead.
 */
export const UNLISTED: ReadonlySet<string> = new Set([MANIFEST, 'manifest.sig', 'signature.json', 'report.html', 'report.html.sig', 'report.pdf', ...PUSH_RECORDS]);
/** Outputs derived from results.json: stale once the pack is re-assessed. */
export const DERIVED_OUTPUTS = ['results.csv', 'report.html', 'report.html.sig', 'report.pdf', 'manifest.sig', 'signature.json'];

/** Writes one JSON document into the pack atomically, canonically (sorted keys), and returns its entry. */
export async function writePackJson(packDir: string, path: string, value: unknown): Promise<ManifestFile> {
  const text = canonicalJson(value);
  await writeFileAtomic(join(packDir, path), text);
  return { path, sha256: sha256Hex(text), bytes: Buffer.byteLength(text) };
}

async function listFiles(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path, root)));
    else if (entry.isFile() && !entry.name.endsWith('.tmp')) out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

async function hashFile(packDir: string, path: string): Promise<ManifestFile> {
  const data = await readFile(join(packDir, path));
  return { path, sha256: sha256Hex(data), bytes: data.length };
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

/** Hashes every file in the pack (but the manifest and its signature) and writes manifest.json atomically. */
export async function writeManifest(packDir: string, meta: Omit<Manifest, 'schemaVersion' | 'files'>): Promise<Manifest> {
  const paths = (await listFiles(packDir)).filter((p) => !UNLISTED.has(p)).sort();
  const files: ManifestFile[] = [];
  for (const path of paths) {
    const data = await readFile(join(packDir, path));
    const at = collectedAt(path, data);
    files.push({ path, sha256: sha256Hex(data), bytes: data.length, ...(at ? { collectedAt: at } : {}) });
  }
  const manifest: Manifest = { schemaVersion: '1', ...meta, files };
  await writeFileAtomic(join(packDir, MANIFEST), canonicalJson(manifest));
  return manifest;
}

export async function readManifest(packDir: string): Promise<Manifest> {
  const path = join(packDir, MANIFEST);
  try {
    await stat(path);
  } catch {
    throw new UserError(`${path}: not an evidence pack (no manifest.json) (fix: pass the directory auditpack collect/run wrote)`);
  }
  try {
    return await readJson<Manifest>(path);
  } catch (err) {
    throw new UserError(`${path}: manifest is not valid JSON: ${errorMessage(err)} (fix: restore the pack from its original copy)`);
  }
}

export interface FileCheck {
  path: string;
  problem: 'missing' | 'modified' | 'unlisted';
  expected?: string;
  actual?: string;
}

/** Re-hashes every file: which files are missing, modified, or present but not in the manifest. */
export async function checkFiles(packDir: string, manifest: Manifest): Promise<FileCheck[]> {
  const problems: FileCheck[] = [];
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const file of manifest.files) {
    let actual: ManifestFile;
    try {
      actual = await hashFile(packDir, file.path);
    } catch {
      problems.push({ path: file.path, problem: 'missing', expected: file.sha256 });
      continue;
    }
    if (actual.sha256 !== file.sha256 || actual.bytes !== file.bytes) problems.push({ path: file.path, problem: 'modified', expected: file.sha256, actual: actual.sha256 });
  }
  for (const path of await listFiles(packDir)) if (!UNLISTED.has(path) && !listed.has(path)) problems.push({ path, problem: 'unlisted' });
  return problems;
}

/** The manifest's run metadata, from run.json and the digest of the catalog that judged the pack. */
export function manifestMeta(run: { id: string; startedAt: string; finishedAt: string; accounts: string[]; regions: string[]; tool: Manifest['tool'] }, catalogDigest: string): Omit<Manifest, 'schemaVersion' | 'files'> {
  return { tool: run.tool, run: { id: run.id, startedAt: run.startedAt, finishedAt: run.finishedAt, accounts: run.accounts, regions: run.regions }, catalog: { digest: catalogDigest } };
}
