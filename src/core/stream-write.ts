import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { canonicalJsonChunks } from './json.js';

export interface WriteOptions {
  /**
   * Permission bits the file is created with (default 0o666, less the umask). Applied by open(2) itself, so the
   * file never exists with wider permissions: a private key is 0o600 from its first byte, not chmod-ed later.
   */
  mode?: number;
}

/** What a streamed write produced: the file's SHA-256 (hex) and size, computed from the bytes as they were written. */
export interface StreamedFile {
  sha256: string;
  bytes: number;
}

/** Bytes gathered before one write(2): large enough to keep system calls few, small enough to stay bounded. */
const WRITE_BYTES = 1 << 20;

/**
 * Writes `chunks` to `path` atomically without ever holding the whole file: a temporary file in the same folder,
 * created exclusively ('wx', so a file or symlink planted at its name is never followed) with `options.mode`,
 * fsync-ed, then renamed over `path`. On any failure (a throwing chunk source included) the temporary file is
 * removed and `path` is left as it was. The SHA-256 and byte count are of exactly the bytes written.
 */
export async function writeStreamAtomic(path: string, chunks: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>, options: WriteOptions = {}): Promise<StreamedFile> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    const handle = await open(tmp, 'wx', options.mode ?? 0o666);
    try {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async (): Promise<void> => {
        if (!pendingBytes) return;
        const data = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        hash.update(data);
        bytes += data.length;
        let offset = 0;
        while (offset < data.length) offset += (await handle.write(data, offset, data.length - offset)).bytesWritten;
      };
      for await (const chunk of chunks) {
        const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        if (!data.length) continue;
        pending.push(data);
        pendingBytes += data.length;
        if (pendingBytes >= WRITE_BYTES) await flush();
      }
      await flush();
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return { sha256: hash.digest('hex'), bytes };
}

/**
 * Writes `value` as canonical JSON (the bytes of canonicalJson: sorted keys, two-space indent, trailing newline)
 * to `path` atomically, as a stream: the document is never one string, so it may exceed V8's longest string.
 */
export function writeCanonicalJson(path: string, value: unknown, options: WriteOptions = {}): Promise<StreamedFile> {
  return writeStreamAtomic(path, canonicalJsonChunks(value), options);
}
