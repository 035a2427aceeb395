import type { Collector } from '../core/collector.js';

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
  /** The controls the run was limited to (--control); absent = the whole catalog. Re-assessment keeps to them. */
  controlIds?: string[];
}

export const RUN_FILE = 'run.json';
