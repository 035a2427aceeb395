import { constants } from 'node:fs';
import { lstat, open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Reading files named by untrusted data (a pack's manifest, signature.json, run.json, an attestation record, a
 * config file) without leaving the root, following a symlink, blocking on a FIFO, reading a device or reading
 * without bound. Every read here is: a validated relative path, lstat of each component (no symlinks anywhere),
 * a regular file only, opened O_NOFOLLOW|O_NONBLOCK and re-checked with fstat (same inode, still regular), and at
 * most `maxBytes` read.
 */

export type SafeFsProblem = 'invalid-path' | 'missing' | 'symlink' | 'not-regular' | 'too-large' | 'unreadable';

export class SafeFsError extends Error {
  constructor(
    readonly problem: SafeFsProblem,
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'SafeFsError';
  }
}

/** Size limits for files read from packs and inputs; chosen far above what auditpack writes, far below memory. */
export const LIMITS = {
  /** One evidence file, results.json or a report; below V8's longest string (~512 MiB), so a parse cannot throw. */
  packFileBytes: 256 * 1024 * 1024,
  /** Every listed file of one pack together: hashing is bounded in total, not only per file. */
  packTotalBytes: 64 * 1024 * 1024 * 1024,
  /** manifest.json, signature.json, run.json and other small pack records. */
  recordBytes: 64 * 1024 * 1024,
  /**
   * manifest.json: ~190 bytes a file, so 384 MiB holds the 1.5 million files a pack may list (1,000 accounts × 17
   * regions × 88 regional collectors), still below V8's longest string (~512 MiB), so its parse cannot throw.
   */
  manifestBytes: 384 * 1024 * 1024,
  /** Files one pack may list (manifest.schema.json files.maxItems): what the manifest limit above can hold. */
  packFiles: 1_500_000,
  /** A YAML or JSON input file (config, waivers, attestation record, control, report definition). */
  inputBytes: 4 * 1024 * 1024,
  /** An attached attestation document. */
  documentBytes: 256 * 1024 * 1024,
  pathChars: 1024,
  pathDepth: 16,
  /** Entries (files and directories) walked in one pack. */
  walkEntries: 2_000_000,
} as const;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_OR_SEPARATOR = /[\u0000-\u001f\u007f\\]/;

/**
 * A path as it may appear in an error message: control characters escaped (a file name holding a newline or a
 * terminal escape must not split the one-line error or drive the terminal) and bounded in length.
 */
export function shownPath(path: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const escaped = path.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > 200 ? `${escaped.slice(0, 200)}...` : escaped;
}

/**
 * Why a relative path taken from data is unsafe, or undefined when it is a plain relative POSIX path that stays
 * under its root: no absolute path, no drive letter, no backslash, no control character, no empty, `.` or `..`
 * segment, bounded length and depth.
 */
export function relativePathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string') return 'is not a string';
  if (path.length === 0) return 'is empty';
  if (path.length > LIMITS.pathChars) return `is longer than ${LIMITS.pathChars} characters`;
  if (CONTROL_OR_SEPARATOR.test(path)) return 'contains a control character or a backslash';
  if (path.startsWith('/')) return 'is an absolute path';
  if (/^[A-Za-z]:/.test(path)) return 'starts with a drive letter';
  const segments = path.split('/');
  if (segments.length > LIMITS.pathDepth) return `is nested deeper than ${LIMITS.pathDepth} levels`;
  for (const s of segments) {
    if (s === '' || s === '.') return 'has an empty or "." segment';
    if (s === '..') return 'leaves its folder with ".."';
  }
  return undefined;
}

export function isSafeRelativePath(path: unknown): path is string {
  return relativePathProblem(path) === undefined;
}

function kind(stats: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isFile()) return 'regular file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symbolic link';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  return 'special file';
}

async function lstatOrUndefined(path: string): Promise<Awaited<ReturnType<typeof lstat>> | undefined> {
  try {
    return await lstat(path);
  } catch {
    return undefined;
  }
}

/** Reads an open regular file to its end, never more than `maxBytes` (a file that grows is refused). */
async function readBounded(handle: Awaited<ReturnType<typeof open>>, size: number, maxBytes: number, label: string): Promise<Buffer> {
  const buffer = Buffer.alloc(size);
  let offset = 0;
  while (offset < size) {
    const { bytesRead } = await handle.read(buffer, offset, size - offset, offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
  }
  const probe = Buffer.alloc(1);
  if (offset > maxBytes || (await handle.read(probe, 0, 1, offset)).bytesRead > 0) throw new SafeFsError('too-large', label, `${shownPath(label)}: changed size while being read`);
  return offset === size ? buffer : buffer.subarray(0, offset);
}

/**
 * Opens `absolute` (O_NONBLOCK, so a FIFO swapped in after the checks cannot block the open; O_NOFOLLOW when the
 * last component must not be a symlink), provided fstat shows the very file that was checked before opening: same
 * device and inode, still a regular file, still within `maxBytes`. The caller closes the handle.
 */
async function openChecked(absolute: string, label: string, maxBytes: number, expected: { ino: number | bigint; dev: number | bigint }, noFollow: boolean): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(absolute, constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new SafeFsError('symlink', label, `${shownPath(label)}: is a symbolic link`);
    if (code === 'ENOENT') throw new SafeFsError('missing', label, `${shownPath(label)}: does not exist`);
    throw new SafeFsError('unreadable', label, `${shownPath(label)}: cannot be opened (${code ?? 'error'})`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.ino !== expected.ino || stats.dev !== expected.dev) throw new SafeFsError('not-regular', label, `${shownPath(label)}: was replaced while being opened`);
    if (stats.size > maxBytes) throw new SafeFsError('too-large', label, `${shownPath(label)}: is ${stats.size} bytes, more than the limit of ${maxBytes}`);
    return { handle, size: stats.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** openChecked, then the whole file read (bounded) and the handle closed. */
async function readChecked(absolute: string, label: string, maxBytes: number, expected: { ino: number | bigint; dev: number | bigint }, noFollow: boolean): Promise<Buffer> {
  const { handle, size } = await openChecked(absolute, label, maxBytes, expected, noFollow);
  try {
    return await readBounded(handle, size, maxBytes, label);
  } finally {
    await handle.close();
  }
}

/**
 * Opens `relPath` under `root` as untrusted: the path must pass relativePathProblem, no component may be a symlink,
 * and the file must be a regular file of at most `maxBytes` (checked before and, by fstat, after opening). Throws
 * SafeFsError naming the problem; the caller reads the handle (whole, or in chunks: safe-stream.ts) and closes it.
 */
export async function openFileUnder(root: string, relPath: string, maxBytes: number = LIMITS.packFileBytes): Promise<{ handle: FileHandle; size: number }> {
  const problem = relativePathProblem(relPath);
  if (problem) throw new SafeFsError('invalid-path', String(relPath), `${shownPath(String(relPath))}: path ${problem}`);
  const segments = relPath.split('/');
  let current = root;
  for (let i = 0; i < segments.length; i++) {
    current = join(current, segments[i] as string);
    const stats = await lstatOrUndefined(current);
    if (!stats) throw new SafeFsError('missing', relPath, `${shownPath(relPath)}: does not exist`);
    if (stats.isSymbolicLink()) throw new SafeFsError('symlink', relPath, `${shownPath(relPath)}: ${i === segments.length - 1 ? 'is' : 'goes through'} a symbolic link`);
    const last = i === segments.length - 1;
    if (!last && !stats.isDirectory()) throw new SafeFsError('missing', relPath, `${shownPath(relPath)}: ${shownPath(segments.slice(0, i + 1).join('/'))} is not a directory`);
    if (last) {
      if (!stats.isFile()) throw new SafeFsError('not-regular', relPath, `${shownPath(relPath)}: is a ${kind(stats)}, not a regular file`);
      if (stats.size > maxBytes) throw new SafeFsError('too-large', relPath, `${shownPath(relPath)}: is ${stats.size} bytes, more than the limit of ${maxBytes}`);
      return openChecked(current, relPath, maxBytes, stats, true);
    }
  }
  throw new SafeFsError('invalid-path', relPath, `${shownPath(relPath)}: path is empty`);
}

/** Reads `relPath` under `root` as untrusted, whole (see openFileUnder for the checks). */
export async function readFileUnder(root: string, relPath: string, maxBytes: number = LIMITS.packFileBytes): Promise<Buffer> {
  const { handle, size } = await openFileUnder(root, relPath, maxBytes);
  try {
    return await readBounded(handle, size, maxBytes, relPath);
  } finally {
    await handle.close();
  }
}

/**
 * Reads a file the user named (on the command line or in a config file): any path is allowed, but it must be a
 * regular file (a symlink to one is followed, as the user chose it), never a FIFO or a device, and bounded in size.
 * The file is stat-ed before it is opened: opening some devices has effects of its own (a watchdog arms, a tape
 * rewinds, a terminal is acquired), so a device is refused without ever being opened.
 */
export async function readInputFile(path: string, maxBytes: number = LIMITS.inputBytes): Promise<Buffer> {
  let stats: Awaited<ReturnType<typeof stat>>;
  try {
    stats = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new SafeFsError('missing', path, `${shownPath(path)}: does not exist`);
    throw new SafeFsError('unreadable', path, `${shownPath(path)}: cannot be read (${code ?? 'error'})`);
  }
  if (!stats.isFile()) throw new SafeFsError('not-regular', path, `${shownPath(path)}: is a ${kind(stats)}, not a regular file`);
  if (stats.size > maxBytes) throw new SafeFsError('too-large', path, `${shownPath(path)}: is ${stats.size} bytes, more than the limit of ${maxBytes}`);
  return readChecked(path, path, maxBytes, stats, false);
}

export interface WalkEntry {
  /** POSIX path relative to the root. */
  path: string;
  /** 'file' for a regular file; anything else is a problem for the caller to report. */
  kind: 'file' | 'symlink' | 'special';
  detail: string;
}

/**
 * Every entry under `root`, without following symlinks: regular files, and symlinks, FIFOs, sockets and devices
 * reported as such (a caller must refuse them, not skip them). Directories are descended, never through a symlink.
 * Bounded in depth and in the number of entries.
 */
export async function walkTree(root: string, options: { skip?: (path: string) => boolean } = {}): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  let seen = 0;
  const visit = async (dir: string, prefix: string, depth: number): Promise<void> => {
    if (depth > LIMITS.pathDepth) {
      out.push({ path: prefix, kind: 'special', detail: `nested deeper than ${LIMITS.pathDepth} levels` });
      return;
    }
    const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      throw new SafeFsError('unreadable', prefix, `${shownPath(join(root, prefix))}: cannot be listed (${err.code ?? 'error'})`);
    });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (++seen > LIMITS.walkEntries) throw new SafeFsError('too-large', root, `${shownPath(root)}: holds more than ${LIMITS.walkEntries} entries`);
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (options.skip?.(path)) continue;
      // Some file systems report no type in readdir (DT_UNKNOWN): ask lstat rather than call a directory special.
      const stats = entry.isDirectory() || entry.isFile() || entry.isSymbolicLink() ? entry : await lstatOrUndefined(join(dir, entry.name));
      if (!stats) throw new SafeFsError('missing', path, `${shownPath(join(root, path))}: vanished while being listed`);
      if (stats.isDirectory()) await visit(join(dir, entry.name), path, depth + 1);
      else if (stats.isFile()) out.push({ path, kind: 'file', detail: 'regular file' });
      else if (stats.isSymbolicLink()) out.push({ path, kind: 'symlink', detail: 'symbolic link' });
      else out.push({ path, kind: 'special', detail: kind(stats) });
    }
  };
  await visit(root, '', 0);
  return out;
}
