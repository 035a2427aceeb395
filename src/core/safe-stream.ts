import { constants } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { SafeFsError, relativePathProblem } from './safe-fs.js';

/**
 * Reading a file named by untrusted data (a pack's manifest) in bounded memory: the same checks as readFileUnder
 * (validated relative path, no symlink in any component, a regular file, opened O_NOFOLLOW|O_NONBLOCK and re-checked
 * by fstat: same inode, still regular, within `maxBytes`), then the bytes are handed on in chunks instead of being
 * gathered into one buffer. For files that may be larger than a single read may be (results.json of a large
 * organisation): hashing them, or copying them privately before they are parsed.
 */

/** Bytes read per read(2). */
const READ_BYTES = 1 << 20;

function shown(path: string): string {
  // eslint-disable-next-line no-control-regex -- escaping control characters is the point
  const escaped = path.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > 200 ? `${escaped.slice(0, 200)}...` : escaped;
}

function kind(stats: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (stats.isDirectory()) return 'directory';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isSocket()) return 'socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'device';
  return 'special file';
}

/** Opens `relPath` under `root` as readFileUnder does; returns the handle and the size fstat saw. */
async function openChecked(root: string, relPath: string, maxBytes: number): Promise<{ handle: FileHandle; size: number }> {
  const problem = relativePathProblem(relPath);
  if (problem) throw new SafeFsError('invalid-path', String(relPath), `${shown(String(relPath))}: path ${problem}`);
  const segments = relPath.split('/');
  let current = root;
  let expected: { ino: number; dev: number } | undefined;
  for (const [i, segment] of segments.entries()) {
    current = join(current, segment);
    const stats = await lstat(current).catch(() => undefined);
    const last = i === segments.length - 1;
    if (!stats) throw new SafeFsError('missing', relPath, `${shown(relPath)}: does not exist`);
    if (stats.isSymbolicLink()) throw new SafeFsError('symlink', relPath, `${shown(relPath)}: ${last ? 'is' : 'goes through'} a symbolic link`);
    if (!last && !stats.isDirectory()) throw new SafeFsError('missing', relPath, `${shown(relPath)}: ${shown(segments.slice(0, i + 1).join('/'))} is not a directory`);
    if (last) {
      if (!stats.isFile()) throw new SafeFsError('not-regular', relPath, `${shown(relPath)}: is a ${kind(stats)}, not a regular file`);
      if (stats.size > maxBytes) throw new SafeFsError('too-large', relPath, `${shown(relPath)}: is ${stats.size} bytes, more than the limit of ${maxBytes}`);
      expected = { ino: stats.ino, dev: stats.dev };
    }
  }
  if (!expected) throw new SafeFsError('invalid-path', relPath, `${shown(relPath)}: path is empty`);
  let handle: FileHandle;
  try {
    handle = await open(current, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new SafeFsError('symlink', relPath, `${shown(relPath)}: is a symbolic link`);
    if (code === 'ENOENT') throw new SafeFsError('missing', relPath, `${shown(relPath)}: does not exist`);
    throw new SafeFsError('unreadable', relPath, `${shown(relPath)}: cannot be opened (${code ?? 'error'})`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile() || stats.ino !== expected.ino || stats.dev !== expected.dev) throw new SafeFsError('not-regular', relPath, `${shown(relPath)}: was replaced while being opened`);
    if (stats.size > maxBytes) throw new SafeFsError('too-large', relPath, `${shown(relPath)}: is ${stats.size} bytes, more than the limit of ${maxBytes}`);
    return { handle, size: stats.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** A file being read chunk by chunk, and the digest of what was read so far (complete once `chunks` is done). */
export interface FileChunks {
  chunks: AsyncGenerator<Buffer>;
  /** SHA-256 (hex) and size of exactly the bytes yielded; call it once `chunks` is done (it closes the hash). */
  digest(): { sha256: string; bytes: number };
}

/**
 * Opens `relPath` under `root` as untrusted and yields it chunk by chunk (each chunk is the caller's to keep); never
 * more than `maxBytes`, and a file that grows while it is read is refused at the end. The file is closed when the
 * generator finishes or is returned early.
 */
export async function fileChunksUnder(root: string, relPath: string, maxBytes: number): Promise<FileChunks> {
  const { handle, size } = await openChecked(root, relPath, maxBytes);
  const hash = createHash('sha256');
  let offset = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      while (offset < size) {
        const buffer = Buffer.allocUnsafe(Math.min(READ_BYTES, size - offset));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) break;
        const chunk = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
        hash.update(chunk);
        offset += bytesRead;
        yield chunk;
      }
      const probe = Buffer.alloc(1);
      if ((await handle.read(probe, 0, 1, offset)).bytesRead > 0) throw new SafeFsError('too-large', relPath, `${shown(relPath)}: changed size while being read`);
    } finally {
      await handle.close();
    }
  }
  let final: { sha256: string; bytes: number } | undefined;
  return {
    chunks: chunks(),
    digest: () => (final ??= { sha256: hash.digest('hex'), bytes: offset }),
  };
}

/** The SHA-256 (hex) and size of `relPath` under `root`, read as untrusted in bounded memory (one chunk at a time). */
export async function hashFileUnder(root: string, relPath: string, maxBytes: number): Promise<{ sha256: string; bytes: number }> {
  const file = await fileChunksUnder(root, relPath, maxBytes);
  for await (const chunk of file.chunks) void chunk;
  return file.digest();
}
