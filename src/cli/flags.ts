import type { Severity } from '../core/types.js';
import type { ReportFlags } from './commands/reporting.js';
import type { TrustFlags } from './trust.js';

/** The parsed options of `run`, `collect` and `assess`, shared by their definitions and their implementations. */
export interface ScopeFlags {
  out: string;
  regions?: string[];
  accounts?: string[];
  organization?: boolean;
  roleName?: string;
  endpoint?: string;
  maxAttempts: number;
  concurrency: number;
  attestations?: string;
  /** An interrupted pack to finish instead of starting a new one. */
  resume?: string;
  /** --source: where evidence is read from (auto|api|config). */
  source: 'auto' | 'api' | 'config';
  /** --config-max-age, e.g. 24h. */
  configMaxAge: string;
  configAggregator?: string;
  aggregatorRegion?: string;
}
export interface AssessFlags {
  controlsDir: string;
  control?: string[];
  param?: Record<string, Record<string, unknown>>;
  failOn: Severity | 'none';
  json?: boolean;
  waivers?: string;
}

export type RunFlags = ScopeFlags & AssessFlags & ReportFlags & TrustFlags & { report: boolean; pushSecurityhub?: boolean; config?: string };

