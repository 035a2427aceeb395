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

/**
 * One shard of a sharded audit (`run --shard I/N`): its 1-based index of `count`, the partition scheme, and the
 * whole population that was partitioned (the organisation's accounts, or --accounts), sorted. The pack's
 * `accounts` are exactly this shard's part of `population`; `auditpack merge` checks that and that every shard
 * saw the same population.
 */
export interface ShardRecord {
  index: number;
  count: number;
  scheme: 'sha256-mod-v1';
  population: string[];
}

/** A shard pack a merged pack was made of (`auditpack merge`): its run id, its index, and its sealed manifest's SHA-256. */
export interface MergedShard {
  runId: string;
  shard: number;
  manifestSha256: string;
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
  /** Present in a shard's pack (`run --shard`): which part of the population it audited. */
  shard?: ShardRecord;
  /** Present in a merged pack (`auditpack merge`): the shard packs it was made of, by shard index. */
  merged?: MergedShard[];
}

export const RUN_FILE = 'run.json';
