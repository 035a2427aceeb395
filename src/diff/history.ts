import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError, errorMessage } from '../core/errors.js';
import { emptyCounts } from '../score/score.js';
import { readAssessedPack } from './pack-input.js';
import type { HistoryPoint } from './types.js';
import type { PackTrust } from '../verify/open-pack.js';

export interface HistoryLoad {
  /** One point per readable pack, oldest run first. */
  points: HistoryPoint[];
  /** One line per directory that looked like a pack but could not be read (skipped). */
  warnings: string[];
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** Oldest first; ties (same start) by run id so the order never depends on the directory listing. */
export function compareHistory(a: HistoryPoint, b: HistoryPoint): number {
  return a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0;
}

export function historyPoint(results: { run: { id: string; startedAt: string }; summary: { score: number | null; byStatus: HistoryPoint['byStatus'] } }): HistoryPoint {
  return { runId: results.run.id, startedAt: results.run.startedAt, score: typeof results.summary.score === 'number' ? results.summary.score : null, byStatus: { ...emptyCounts(), ...results.summary.byStatus } };
}

/**
 * The score trend over the packs directly under `dir` (e.g. out/ or out/demo/): every subdirectory holding both
 * manifest.json and results.json. A pack that cannot be read is skipped with a warning, never fatal: one damaged
 * old pack must not stop this quarter's report. A `dir` that cannot be listed is the user's error.
 */
export async function loadHistory(dir: string, trust: PackTrust = {}, skip?: string): Promise<HistoryLoad> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new UserError(`${dir}: cannot read history directory: ${errorMessage(err)} (fix: pass the directory that holds the packs, e.g. out/)`);
  }
  const points: HistoryPoint[] = [];
  const warnings: string[] = [];
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  for (const name of names) {
    const packDir = join(dir, name);
    if (skip !== undefined && resolve(packDir) === resolve(skip)) continue;
    // Only directories that claim to be assessed packs count; key folders and the like are not warned about.
    if (!(await isFile(join(packDir, 'manifest.json'))) || !(await isFile(join(packDir, 'results.json')))) continue;
    try {
      points.push(historyPoint((await readAssessedPack(packDir, trust)).results));
    } catch (err) {
      warnings.push(`skipped ${packDir}: ${errorMessage(err)}`);
    }
  }
  return { points: points.sort(compareHistory), warnings };
}
