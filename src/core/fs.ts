import { createHash } from 'node:crypto';
import { lstat, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SafeFsError, relativePathProblem } from './safe-fs.js';
import { writeStreamAtomic, type WriteOptions } from './stream-write.js';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export type { WriteOptions };

/**
 * Write via a temporary file in the same directory, fsync and rename, so readers never see a partial file: the
 * one-buffer case of writeStreamAtomic (temporary file created exclusively, 'wx', with `options.mode` from the start).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  await writeStreamAtomic(path, [data], options);
}

/** Makes `dir` if missing (no parents), and insists that what is there is a real directory, not a symlink. */
async function ensureRealDirectory(dir: string, label: string): Promise<void> {
  let stats = await lstat(dir).catch(() => undefined);
  if (!stats) {
    await mkdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw new SafeFsError('unreadable', label, `${label}: cannot create folder ${dir} (${err.code ?? 'error'})`);
    });
    stats = await lstat(dir);
  }
  if (stats.isSymbolicLink()) throw new SafeFsError('symlink', label, `${label}: goes through a symbolic link (${dir})`);
  if (!stats.isDirectory()) throw new SafeFsError('not-regular', label, `${label}: ${dir} is not a folder`);
}

/**
 * Writes `rel` under `root` atomically, for a path that came from data (an attestation store, a pack): the path
 * must pass relativePathProblem, every folder on the way must be a real directory (missing ones are created one
 * at a time, never through a symlink), and the target must be absent or a regular file, so the write can land
 * nowhere but under `root`.
 */
export async function writeFileUnder(root: string, rel: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<string> {
  const problem = relativePathProblem(rel);
  if (problem) throw new SafeFsError('invalid-path', String(rel), `${JSON.stringify(String(rel).slice(0, 200))}: path ${problem}`);
  const segments = rel.split('/');
  let dir = root;
  for (const segment of segments.slice(0, -1)) {
    dir = join(dir, segment);
    await ensureRealDirectory(dir, rel);
  }
  const target = join(dir, segments[segments.length - 1] as string);
  const existing = await lstat(target).catch(() => undefined);
  if (existing && !existing.isFile()) throw new SafeFsError(existing.isSymbolicLink() ? 'symlink' : 'not-regular', rel, `${rel}: already exists and is not a regular file`);
  await writeFileAtomic(target, data, options);
  return target;
}

export async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}
