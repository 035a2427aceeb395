import { createHash } from 'node:crypto';
import { SafeFsError, openFileUnder, shownPath as shown } from './safe-fs.js';

/**
 * Reading a file named by untrusted data (a pack's manifest) in bounded memory: the same checks as readFileUnder
 * (validated relative path, no symlink in any component, a regular file, opened O_NOFOLLOW|O_NONBLOCK and re-checked
 * by fstat: same inode, still regular, within `maxBytes`), then the bytes are handed on in chunks instead of being
 * gathered into one buffer. For files that may be larger than a single read may be (results.json of a large
 * organisation): hashing them, or copying them privately before they are parsed.
 */

/** Bytes read per read(2). */
const READ_BYTES = 1 << 20;

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
  const { handle, size } = await openFileUnder(root, relPath, maxBytes);
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
