import type { AccountTarget } from '../collect/collect.js';
import { ConfigSources } from '../collect/config-source.js';
import { durationSeconds } from '../collect/duration.js';
import { EVIDENCE_SOURCES, type EvidenceSource } from '../core/collector.js';
import { UserError } from '../core/errors.js';
import type { EvidenceSourceRecord } from '../locker/run-info.js';

/** The evidence source options of `run` and `collect`. */
export interface EvidenceSourceOptions {
  /** --source (default auto). */
  source?: EvidenceSource;
  /** --config-max-age, e.g. 24h, 90m, 2d (default 24h). */
  configMaxAge?: string;
  /** --config-aggregator: read Config organisation-wide through this aggregator. */
  configAggregator?: string;
  /** --aggregator-region (default: the home region). */
  aggregatorRegion?: string;
}

export const DEFAULT_CONFIG_MAX_AGE = '24h';

/** The settings as recorded in run.json and the resume marker; bad input is a one-line UserError naming the option. */
export function evidenceSourceRecord(options: EvidenceSourceOptions, homeRegion: string): EvidenceSourceRecord {
  const source = options.source ?? 'auto';
  if (!EVIDENCE_SOURCES.includes(source)) throw new UserError(`--source: "${String(source)}" is not one of ${EVIDENCE_SOURCES.join('|')} (fix: pass --source auto, api or config)`);
  const maxAge = options.configMaxAge ?? DEFAULT_CONFIG_MAX_AGE;
  const configMaxAgeSeconds = durationSeconds(maxAge);
  if (configMaxAgeSeconds === undefined) throw new UserError(`--config-max-age: "${maxAge.slice(0, 40)}" is not a duration (fix: a number and a unit s, m, h or d, at most 366d, e.g. 24h, 90m, 2d)`);
  if (options.aggregatorRegion !== undefined && !options.configAggregator) throw new UserError('--aggregator-region: only means something with --config-aggregator (fix: pass --config-aggregator NAME, or drop --aggregator-region)');
  if (!options.configAggregator) return { source, configMaxAgeSeconds };
  if (source === 'api') throw new UserError('--config-aggregator: --source api never reads AWS Config (fix: drop --config-aggregator, or use --source auto or config)');
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(options.configAggregator)) throw new UserError(`--config-aggregator: "${options.configAggregator.slice(0, 60)}" is not a configuration aggregator name (fix: letters, digits, - and _, as in aws configservice describe-configuration-aggregators)`);
  const region = options.aggregatorRegion ?? homeRegion;
  if (!/^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/.test(region)) throw new UserError(`--aggregator-region: "${region.slice(0, 40)}" is not an AWS region (fix: e.g. --aggregator-region us-east-1)`);
  return { source, configMaxAgeSeconds, aggregator: { name: options.configAggregator, region } };
}

/** The run's Config sources, or undefined with --source api. */
export function configSourcesFor(
  record: EvidenceSourceRecord,
  run: { runStart: Date; regions: readonly string[]; homeRegion: string; caller: AccountTarget; endpoint?: string },
): ConfigSources | undefined {
  if (record.source === 'api') return undefined;
  return new ConfigSources({
    source: record.source,
    maxAgeMs: record.configMaxAgeSeconds * 1000,
    ...(record.aggregator ? { aggregator: record.aggregator } : {}),
    runStart: run.runStart,
    regions: run.regions,
    homeRegion: run.homeRegion,
    callerClients: (r) => run.caller.clientsFor(r),
    // moto (an endpoint override) sends timestamps the SDK cannot read: see config-moto-shim.ts.
    motoShim: Boolean(run.endpoint ?? process.env.AWS_ENDPOINT_URL),
  });
}
