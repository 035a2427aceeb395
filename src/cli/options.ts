import { InvalidArgumentError } from 'commander';
import { SEVERITIES, type Severity } from '../core/types.js';
import { durationSeconds } from '../collect/duration.js';

export function parseList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

export function parseSeverity(value: string): Severity | 'none' {
  if (value === 'none' || (SEVERITIES as readonly string[]).includes(value)) return value as Severity | 'none';
  throw new InvalidArgumentError(`--fail-on must be one of ${SEVERITIES.join(', ')}, none`);
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/** --param control-id.name=value (value parsed as JSON when it is JSON, else kept as a string). */
export function parseParam(value: string, previous: Record<string, Record<string, unknown>> = {}): Record<string, Record<string, unknown>> {
  const match = /^([a-z0-9-]+)\.([A-Za-z0-9_]+)=(.*)$/.exec(value);
  if (!match) throw new InvalidArgumentError(`--param "${value}" must look like control-id.name=value (e.g. iam-access-key-age.max_access_key_age_days=45)`);
  const [, control, name, raw] = match as unknown as [string, string, string, string];
  let parsed: unknown = raw;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // a plain string
  }
  return { ...previous, [control]: { ...(previous[control] ?? {}), [name]: parsed } };
}

/** --config-max-age: a duration such as 24h, 90m or 2d (kept as given; the pipeline records it in seconds). */
export function parseDuration(value: string): string {
  if (durationSeconds(value) === undefined) throw new InvalidArgumentError(`expected a duration such as 24h, 90m or 2d (s, m, h, d; at most 366d), got "${value.slice(0, 40)}"`);
  return value;
}
