import type { Collector, EvidenceSource } from '../core/collector.js';

/** Where collectors read evidence from (--source, --config-max-age, --config-aggregator): in run.json and the resume marker. */
export interface EvidenceSourceRecord {
  source: EvidenceSource;
  configMaxAgeSeconds: number;
  aggregator?: { name: string; region: string };
}

/**
 * One resume of an interrupted run (`run --resume`), with what it found: the runs whose evidence it kept byte for
 * byte, how many had no evidence yet, and the runs it collected again because their record was an error or was
 * not valid. `run` is account/region|global/collector.
 */
export interface ResumeRecord {
  at: string;
  kept: number;
  missing: number;
  recollected: { run: string; reason: 'error' | 'invalid' }[];
}

/** run.json: what was collected, from where, with which collectors; written at collection time. */
export interface RunRecord {
  schemaVersion: '1';
  id: string;
  startedAt: string;
  finishedAt: string;
  tool: { name: 'auditpack'; version: string };
  accounts: string[];
  regions: string[];
  homeRegion: string;
  collectors: { id: string; version: string; scope: Collector['scope']; permissions: string[] }[];
  /** The evidence source settings; absent in packs from before --source (they read only the APIs). */
  evidenceSource?: EvidenceSourceRecord;
  /** The controls the run was limited to (--control); absent = the whole catalog. Re-assessment keeps to them. */
  controlIds?: string[];
  /** Present when the run was interrupted and resumed: startedAt is the first start, finishedAt the final seal. */
  resumes?: ResumeRecord[];
}

export const RUN_FILE = 'run.json';
