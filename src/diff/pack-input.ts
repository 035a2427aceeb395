import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import type { Manifest } from '../locker/pack.js';
import { openVerifiedPack, type PackTrust } from '../verify/open-pack.js';
import type { Authenticity } from '../verify/verify.js';
import type { ResultsDocument } from '../results/types.js';

/** results.json and manifest.json of an assessed pack: all the diff and the trend read. */
export interface AssessedPack {
  dir: string;
  results: ResultsDocument;
  manifest: Manifest;
  /** Who vouches for it (see verify): the diff says so next to each side. */
  authenticity: Authenticity;
  signerFingerprint?: string;
}

const RESULTS_FILE = 'results.json';

export interface ReadPackOptions {
  /** Largest file read whole (default LIMITS.packFileBytes); results.json is streamed, so it may be larger. */
  readLimit?: number;
}

/**
 * Reads an assessed pack for diff, history and the report's changes section. It is verified first (a tampered
 * pack is refused with exit 4), and results.json is read as a stream (never one string; parsed only from bytes
 * that hash to the manifest's value) and validated against its published schema.
 */
export async function readAssessedPack(dir: string, trust: PackTrust = {}, options: ReadPackOptions = {}): Promise<AssessedPack> {
  const pack = await openVerifiedPack(dir, { purpose: 'compare', ...trust, ...(options.readLimit === undefined ? {} : { readLimit: options.readLimit }) });
  if (!pack.has(RESULTS_FILE)) throw new UserError(`${join(dir, RESULTS_FILE)}: no results in this pack (fix: run \`auditpack assess ${dir}\` first)`);
  const results = await pack.readJsonStream<ResultsDocument>(RESULTS_FILE, 'results.schema.json');
  return { dir, results, manifest: pack.manifest, authenticity: pack.authenticity, ...(pack.signerFingerprint ? { signerFingerprint: pack.signerFingerprint } : {}) };
}
