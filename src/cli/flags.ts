import type { Severity } from '../core/types.js';
import type { ReportFlags } from './commands/reporting.js';
import type { TrustFlags } from './trust.js';
import type { StoreFlags } from './store-flags.js';
import type { ShardSpec } from '../pipeline/shard.js';

/** The parsed options of `run`, `collect` and `assess`, shared by their definitions and their implementations. */
export interface ScopeFlags extends StoreFlags {
  /** Parent of new packs: a folder, or s3://bucket/prefix. */
  out: string;
  regions?: string[];
  accounts?: string[];
  organization?: boolean;
  roleName?: string;
  endpoint?: string;
  maxAttempts: number;
  /** --concurrency: collector runs in flight; absent: sized from the call budget (src/collect/machine.ts). */
  concurrency?: number;
  /** --max-calls: API calls on the wire at once, machine-wide; absent: sized from the machine. */
  maxCalls?: number;
  attestations?: string;
  /** An interrupted pack to finish instead of starting a new one. */
  resume?: string;
  /** --shard I/N or auto/N (src/pipeline/shard.ts). */
  shard?: ShardSpec;
  /** --source: where evidence is read from (auto|api|config). */
  source: 'auto' | 'api' | 'config';
  /** --config-max-age, e.g. 24h. */
  configMaxAge: string;
  configAggregator?: string;
  aggregatorRegion?: string;
}
export interface AssessFlags extends StoreFlags {
  controlsDir: string;
  control?: string[];
  param?: Record<string, Record<string, unknown>>;
  failOn: Severity | 'none';
  json?: boolean;
  waivers?: string;
}

export type RunFlags = ScopeFlags & AssessFlags & ReportFlags & TrustFlags & { report: boolean; pushSecurityhub?: boolean; config?: string };

