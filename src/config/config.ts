import { dirname } from 'node:path';
import { YamlSource } from '../core/yaml-source.js';
import { describeSchemaError, errorPath, schemaValidator } from '../core/schema.js';
import { UserError, errorMessage } from '../core/errors.js';
import { LIMITS, SafeFsError, readInputFile } from '../core/safe-fs.js';
import type { Severity } from '../core/types.js';
import { confinePaths } from './config-paths.js';

/** auditpack.yaml (schema in schemas/config.schema.json); paths in it are relative to the file and stay inside its folder. */
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
  evidence?: { source?: 'auto' | 'api' | 'config'; configMaxAge?: string; configAggregator?: string; aggregatorRegion?: string };
}

export { DEFAULT_CONFIG } from '../core/defaults.js';

/** Parses the file; whatever the parser throws (e.g. on an alias bomb) is a one-line error naming the file. */
function parseConfig(path: string, text: string): YamlSource {
  try {
    return YamlSource.parse(path, text);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${path}: not a usable configuration: ${errorMessage(err).split('\n')[0]} (fix: write plain YAML; see schemas/config.schema.json)`);
  }
}

/** Loads and validates a configuration file; a problem is one line naming file, line and field. */
export async function loadConfig(path: string): Promise<AuditpackConfig> {
  let text: string;
  try {
    // A regular file only, bounded: a config named as a FIFO or a device must not hang or flood the run.
    text = (await readInputFile(path, LIMITS.inputBytes)).toString('utf8');
  } catch (err) {
    const reason = err instanceof SafeFsError ? err.message.slice(err.message.indexOf(': ') + 2) : errorMessage(err);
    throw new UserError(`${path}: cannot read configuration: ${reason} (fix: pass an existing, regular --config file)`);
  }
  const source = parseConfig(path, text);
  const validate = schemaValidator('config.schema.json');
  if (!validate(source.value ?? {})) {
    const err = validate.errors![0]!;
    if (err.keyword === 'not') throw source.error(['organization'], 'cannot be combined with accounts', 'choose either accounts or organization');
    const { problem, fix } = describeSchemaError(err);
    throw source.error(errorPath(err), problem, fix === 'see schemas/control.schema.json' ? 'see schemas/config.schema.json' : fix);
  }
  return confinePaths(source, (source.value ?? {}) as AuditpackConfig, dirname(path));
}
