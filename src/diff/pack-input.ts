import { join } from 'node:path';
import { UserError, errorMessage } from '../core/errors.js';
import { readJson } from '../core/fs.js';
import { readManifest, type Manifest } from '../locker/pack.js';
import type { ResultsDocument } from '../results/types.js';

/** results.json and manifest.json of an assessed pack: all the diff and the trend read. */
export interface AssessedPack {
  dir: string;
  results: ResultsDocument;
  manifest: Manifest;
}

const RESULTS_FILE = 'results.json';

/** The fields the diff relies on; anything else (an older or foreign file) is refused rather than misread. */
function looksLikeResults(value: unknown): value is ResultsDocument {
  if (typeof value !== 'object' || value === null) return false;
  const doc = value as { run?: { id?: unknown; startedAt?: unknown; finishedAt?: unknown }; summary?: { byStatus?: unknown }; controls?: unknown };
  return (
    typeof doc.run?.id === 'string' &&
    typeof doc.run.startedAt === 'string' &&
    typeof doc.run.finishedAt === 'string' &&
    typeof doc.summary?.byStatus === 'object' &&
    Array.isArray(doc.controls)
  );
}

/** Reads an assessed pack; any problem is a one-line UserError naming the file. */
export async function readAssessedPack(dir: string): Promise<AssessedPack> {
  const manifest = await readManifest(dir);
  const path = join(dir, RESULTS_FILE);
  let value: unknown;
  try {
    value = await readJson<unknown>(path);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(
      missing ? `${path}: no results in this pack (fix: run \`auditpack assess ${dir}\` first)` : `${path}: not valid JSON: ${errorMessage(err)} (fix: restore the pack from its original copy)`,
    );
  }
  if (!looksLikeResults(value)) throw new UserError(`${path}: not an auditpack results document (no run id, summary or controls) (fix: pass a pack written by auditpack assess/run)`);
  return { dir, results: value, manifest };
}
