import type { Command } from 'commander';
import { access } from 'node:fs/promises';
import type { Catalog } from '../catalog/load.js';
import { DEFAULT_CONFIG, loadConfig, type AuditpackConfig } from '../config/config.js';
import { idMatches } from '../core/wildcard.js';

/** The `run` flags a configuration file can supply. */
export interface ConfigurableFlags {
  out: string;
  regions?: string[];
  accounts?: string[];
  organization?: boolean;
  roleName?: string;
  failOn: string;
  definition: string;
  keys?: string;
  signKmsKey?: string;
  waivers?: string;
  attestations?: string;
  pushSecurityhub?: boolean;
  report: boolean;
  previous?: string;
  history?: string;
  control?: string[];
  param?: Record<string, Record<string, unknown>>;
  config?: string;
  source?: string;
  configMaxAge?: string;
  configAggregator?: string;
  aggregatorRegion?: string;
}

/** The configuration to use: --config, else ./auditpack.yaml when present, else none. */
export async function findConfig(explicit: string | undefined): Promise<AuditpackConfig | undefined> {
  if (explicit) return loadConfig(explicit);
  const present = await access(DEFAULT_CONFIG).then(() => true, () => false);
  return present ? loadConfig(DEFAULT_CONFIG) : undefined;
}

/**
 * Flags typed on the command line win; then the configuration file; then defaults and environment. So a
 * scheduler runs `auditpack run` with the file, and a person can still override one setting for one run.
 */
export function mergeConfig<F extends ConfigurableFlags>(flags: F, cmd: Command, config: AuditpackConfig | undefined, catalog: Catalog): F {
  if (!config) return flags;
  const fromCli = (name: string): boolean => cmd.getOptionValueSource(name) === 'cli';
  const pick = <K extends keyof F>(name: K, value: F[K] | undefined): Partial<F> => (fromCli(String(name)) || value === undefined ? {} : ({ [name]: value } as Partial<F>));
  let control = flags.control;
  if (!fromCli('control') && config.controls) {
    const include = config.controls.include ?? ['*'];
    const exclude = config.controls.exclude ?? [];
    control = catalog.controls.map((c) => c.definition.id).filter((id) => include.some((p) => idMatches(p, id)) && !exclude.some((p) => idMatches(p, id)));
  }
  const scope: Partial<F> = config.organization && !fromCli('accounts') ? ({ organization: true } as Partial<F>) : pick('accounts', config.accounts as F['accounts']);
  return {
    ...flags,
    ...pick('out', config.out as F['out']),
    ...pick('regions', config.regions as F['regions']),
    ...scope,
    ...pick('roleName', config.roleName as F['roleName']),
    ...pick('failOn', config.failOn as F['failOn']),
    ...pick('definition', config.report?.definition as F['definition']),
    ...pick('report', config.report?.enabled as F['report']),
    ...pick('previous', config.report?.previous as F['previous']),
    ...pick('history', config.report?.history as F['history']),
    ...pick('keys', config.signing?.keys as F['keys']),
    ...pick('signKmsKey', config.signing?.kmsKeyId as F['signKmsKey']),
    ...pick('waivers', config.waivers as F['waivers']),
    ...pick('attestations', config.attestations as F['attestations']),
    ...pick('pushSecurityhub', config.securityHub?.push as F['pushSecurityhub']),
    ...pick('source', config.evidence?.source as F['source']),
    ...pick('configMaxAge', config.evidence?.configMaxAge as F['configMaxAge']),
    ...pick('configAggregator', config.evidence?.configAggregator as F['configAggregator']),
    ...pick('aggregatorRegion', config.evidence?.aggregatorRegion as F['aggregatorRegion']),
    control,
    param: { ...(config.params ?? {}), ...(flags.param ?? {}) },
  };
}
