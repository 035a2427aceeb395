import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { YamlSource } from '../catalog/yaml-source.js';
import { describeSchemaError, errorPath, schemaValidator } from '../catalog/schema.js';
import { UserError, errorMessage } from '../core/errors.js';
import type { Severity } from '../core/types.js';

/** auditpack.yaml (schema in schemas/config.schema.json); paths in it are relative to the file. */
export interface AuditpackConfig {
  organisation?: string;
  accounts?: string[];
  organization?: boolean;
  roleName?: string;
  regions?: string[];
  out?: string;
  controls?: { include?: string[]; exclude?: string[] };
  params?: Record<string, Record<string, unknown>>;
  failOn?: Severity | 'none';
  report?: { definition?: string; enabled?: boolean; previous?: string; history?: string };
  signing?: { keys?: string; kmsKeyId?: string };
  waivers?: string;
  attestations?: string;
  securityHub?: { push?: boolean; previous?: string };
}

export const DEFAULT_CONFIG = 'auditpack.yaml';

function resolvePaths(config: AuditpackConfig, base: string): AuditpackConfig {
  const at = (p: string | undefined): string | undefined => (p === undefined || isAbsolute(p) ? p : join(base, p));
  return {
    ...config,
    ...(config.out ? { out: at(config.out) } : {}),
    ...(config.waivers ? { waivers: at(config.waivers) } : {}),
    ...(config.attestations ? { attestations: at(config.attestations) } : {}),
    ...(config.report ? { report: { ...config.report, definition: at(config.report.definition), previous: at(config.report.previous), history: at(config.report.history) } } : {}),
    ...(config.signing ? { signing: { ...config.signing, ...(config.signing.keys ? { keys: at(config.signing.keys) } : {}) } } : {}),
    ...(config.securityHub ? { securityHub: { ...config.securityHub, ...(config.securityHub.previous ? { previous: at(config.securityHub.previous) } : {}) } } : {}),
  };
}

/** Loads and validates a configuration file; a problem is one line naming file, line and field. */
export async function loadConfig(path: string): Promise<AuditpackConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`${path}: cannot read configuration: ${errorMessage(err)} (fix: pass an existing --config file)`);
  }
  const source = YamlSource.parse(path, text);
  const validate = schemaValidator('config.schema.json');
  if (!validate(source.value ?? {})) {
    const err = validate.errors![0]!;
    if (err.keyword === 'not') throw source.error(['organization'], 'cannot be combined with accounts', 'choose either accounts or organization');
    const { problem, fix } = describeSchemaError(err);
    throw source.error(errorPath(err), problem, fix === 'see schemas/control.schema.json' ? 'see schemas/config.schema.json' : fix);
  }
  return resolvePaths((source.value ?? {}) as AuditpackConfig, dirname(path));
}
