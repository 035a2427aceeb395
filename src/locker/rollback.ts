import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../core/fs.js';
import { LIMITS, SafeFsError, readFileUnder } from '../core/safe-fs.js';

/**
 * The files a command is about to replace, kept in memory so that a failure half-way (a render that throws, a
 * seal refused because the pack changed underneath) puts the pack back exactly as it was: a command that fails
 * loses nothing and never leaves a manifest that claims signatures it no longer has.
 */
export interface Snapshot {
  restore(): Promise<void>;
}

export async function snapshot(packDir: string, files: readonly string[]): Promise<Snapshot> {
  const kept = new Map<string, Buffer | undefined>();
  for (const file of files) {
    try {
      kept.set(file, await readFileUnder(packDir, file, LIMITS.packFileBytes));
    } catch (err) {
      if (!(err instanceof SafeFsError) || err.problem !== 'missing') throw err;
      kept.set(file, undefined);
    }
  }
  return {
    async restore() {
      for (const [file, bytes] of kept) {
        if (bytes === undefined) await rm(join(packDir, file), { force: true });
        else await writeFileAtomic(join(packDir, file), bytes);
      }
    },
  };
}

/** Runs `work`; if it throws, restores the snapshot first, then rethrows the original error. */
export async function withRollback<T>(packDir: string, files: readonly string[], work: () => Promise<T>): Promise<T> {
  const before = await snapshot(packDir, files);
  try {
    return await work();
  } catch (err) {
    await before.restore();
    throw err;
  }
}
