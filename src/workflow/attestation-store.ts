import { lstat, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { SafeFsError, readFileUnder, relativePathProblem, walkTree } from '../core/safe-fs.js';

/**
 * Where things are in an attestation store (or a pack's attestations/ copy of one), and reading them without
 * leaving it. The layout is the one `auditpack attest` writes, and nothing else is trusted:
 *
 *   <control-id>/<stamp>-<hash>.yaml           an attestation record
 *   <control-id>/documents/<hash>-<name>       the document a record of that control points at
 *
 * Symlinks, FIFOs, sockets and devices anywhere in the tree are refused (not skipped): a store is copied into a
 * sealed pack, and a link could make it carry, or hang on, anything on the machine.
 */

/** The control id pattern of schemas/control.schema.json (a unit test keeps the two equal). */
export const CONTROL_ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Far above any real control id; keeps a hostile id from making a path too long to create. */
export const CONTROL_ID_MAX_CHARS = 128;

export function isControlId(id: unknown): id is string {
  return typeof id === 'string' && id.length <= CONTROL_ID_MAX_CHARS && CONTROL_ID_PATTERN.test(id);
}

export const DOCUMENTS_DIR = 'documents';

/**
 * The folder being read. A store is the user's input: a problem is a usage error (exit 2). A pack's
 * attestations/ folder was checked when it was copied in, so a problem there means the pack was altered (exit 4).
 */
export interface AttestationRoot {
  dir: string;
  origin: 'store' | 'pack';
  /**
   * How to read a file (path relative to `dir`) when the caller has a better reader than readFileUnder, e.g. a
   * verified pack that re-hashes every file against its manifest as it reads it. Its errors pass through.
   */
  read?: (rel: string, maxBytes: number) => Promise<Buffer>;
}

export function exitCodeFor(root: AttestationRoot): number {
  return root.origin === 'pack' ? 4 : 2;
}

export function fixFor(root: AttestationRoot, storeFix: string): string {
  return root.origin === 'pack' ? 'restore the original pack; run `auditpack verify` for every problem' : storeFix;
}

/** A one-line refusal about `path` in the store or pack, with the exit code its origin calls for. */
export function refusal(root: AttestationRoot, path: string, problem: string, storeFix: string): UserError {
  return new UserError(`${path}: ${problem} (fix: ${fixFor(root, storeFix)})`, exitCodeFor(root));
}

const LAYOUT_FIX = 'an attestation store holds only what `auditpack attest` writes: <control>/<record>.yaml and <control>/documents/<file>; remove it';

/** A SafeFsError's message without the path it starts with, to be re-attached as an absolute path. */
export function safeFsReason(err: SafeFsError): string {
  const at = err.message.indexOf(': ');
  return at >= 0 ? err.message.slice(at + 2) : err.message;
}

/**
 * Checks the root itself. A store is named by the user, so a symlink to it is followed like any path they type;
 * a pack's attestations/ folder must be a real directory of the pack. Returns false when a pack has none.
 */
async function checkRoot(root: AttestationRoot): Promise<boolean> {
  const stats = await (root.origin === 'pack' ? lstat(root.dir) : stat(root.dir)).catch(() => undefined);
  if (!stats) {
    if (root.origin === 'pack') return false;
    throw refusal(root, root.dir, 'attestation store does not exist', 'pass the folder given to `auditpack attest --store`');
  }
  if (!stats.isDirectory()) throw refusal(root, root.dir, `is a ${stats.isSymbolicLink() ? 'symbolic link' : 'file'}, not an attestation folder`, 'pass the folder given to `auditpack attest --store`');
  return true;
}

/**
 * The records under `root` (paths `<control>/<file>.yaml`, sorted), after checking the whole tree: every entry a
 * regular file or a directory, every name a safe relative path, every record in a folder named by a control id,
 * and no YAML file where records do not live (it would otherwise be silently ignored).
 */
export async function listRecords(root: AttestationRoot): Promise<string[]> {
  if (!(await checkRoot(root))) return [];
  let entries: Awaited<ReturnType<typeof walkTree>>;
  try {
    entries = await walkTree(root.dir);
  } catch (err) {
    if (err instanceof SafeFsError) throw refusal(root, root.dir, `cannot be read: ${err.message}`, 'make the attestation store readable');
    throw err;
  }
  const records: string[] = [];
  for (const entry of entries) {
    const problem = relativePathProblem(entry.path);
    if (problem) throw refusal(root, join(root.dir, JSON.stringify(entry.path.slice(0, 200))), `name ${problem}`, LAYOUT_FIX);
    const path = join(root.dir, entry.path);
    if (entry.kind !== 'file') throw refusal(root, path, `is a ${entry.detail}; attestations are regular files only`, 'replace it with the file itself, or remove it');
    const segments = entry.path.split('/');
    const isRecord = segments.length === 2 && entry.path.endsWith('.yaml');
    const isDocument = segments.length === 3 && segments[1] === DOCUMENTS_DIR;
    if (isRecord || isDocument) {
      const control = segments[0] as string;
      if (!isControlId(control)) throw refusal(root, join(root.dir, control), 'folder name is not a control id (lowercase letters, digits and single hyphens)', LAYOUT_FIX);
      if (isRecord) records.push(entry.path);
    } else if (entry.path.endsWith('.yaml')) {
      throw refusal(root, path, 'is not where attestation records live', LAYOUT_FIX);
    }
    // Any other regular file (a README, a stray download) is neither read nor copied into a pack.
  }
  return records.sort();
}

/** Reads a file under the root: regular, never through a symlink, bounded. Throws SafeFsError. */
export function readRaw(root: AttestationRoot, rel: string, maxBytes: number): Promise<Buffer> {
  return root.read ? root.read(rel, maxBytes) : readFileUnder(root.dir, rel, maxBytes);
}

/** readRaw, with a refusal naming the full path and the origin's exit code. */
export async function readUnder(root: AttestationRoot, rel: string, maxBytes: number): Promise<Buffer> {
  try {
    return await readRaw(root, rel, maxBytes);
  } catch (err) {
    if (err instanceof SafeFsError) throw refusal(root, join(root.dir, rel), safeFsReason(err), 'replace it with the regular file `auditpack attest` wrote');
    throw err;
  }
}

/** Why a record's document.path is unsafe: it must be `documents/<one file name>`, inside its control's folder. */
export function documentPathProblem(path: string): string | undefined {
  const problem = relativePathProblem(path);
  if (problem) return `path ${problem}`;
  const segments = path.split('/');
  if (segments.length !== 2 || segments[0] !== DOCUMENTS_DIR) return `is not ${DOCUMENTS_DIR}/<file name> inside the control's folder`;
  return undefined;
}

// Control characters (C0, C1), bidirectional overrides (they make a name read differently from what it is),
// path separators and the characters Windows refuses in names (packs are opened on auditors' laptops).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\\/:*?"<>|]/gu;
/** Room for the `<hash>-` prefix within the 255-byte name limit of common file systems, with margin. */
export const DOCUMENT_NAME_MAX_BYTES = 120;

function truncateUtf8(text: string, maxBytes: number): string {
  let out = '';
  for (const ch of text) {
    if (Buffer.byteLength(out + ch) > maxBytes) break;
    out += ch;
  }
  return out;
}

/**
 * The name a document is stored and shown under: the base name of the file given, every unsafe character
 * replaced, no trailing dots or spaces, at most DOCUMENT_NAME_MAX_BYTES of UTF-8 (keeping a short extension).
 */
export function safeDocumentName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(UNSAFE_NAME_CHARS, '_').replace(/[. ]+$/, '');
  if (!cleaned || cleaned === '.' || cleaned === '..') return 'document';
  if (Buffer.byteLength(cleaned) <= DOCUMENT_NAME_MAX_BYTES) return cleaned;
  const ext = /\.[A-Za-z0-9]{1,10}$/.exec(cleaned)?.[0] ?? '';
  return truncateUtf8(cleaned.slice(0, cleaned.length - ext.length), DOCUMENT_NAME_MAX_BYTES - ext.length) + ext;
}

/** Why a record's document.name cannot be shown as is (a record written by hand or altered), if it cannot. */
export function documentNameProblem(name: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(name)) return 'contains control or bidirectional-override characters';
  if (Buffer.byteLength(name) > 255) return 'is longer than 255 bytes';
  return undefined;
}
