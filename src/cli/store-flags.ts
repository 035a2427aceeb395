import { InvalidArgumentError, Option, type Command } from 'commander';
import { UserError } from '../core/errors.js';
import type { StoreOptions } from '../store/location.js';

/** The evidence-store options shared by `run`, `collect`, `merge`, `assess` and `report` (S3 Object Lock). */
export interface StoreFlags {
  retentionMode?: 'GOVERNANCE' | 'COMPLIANCE';
  retainDays?: number;
  retainUntil?: Date;
}

const MAX_RETAIN_DAYS = 36_500;

function parseRetainDays(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_RETAIN_DAYS) throw new InvalidArgumentError(`--retain-days expects a whole number of days from 1 to ${MAX_RETAIN_DAYS}, got "${value.slice(0, 40)}"`);
  return n;
}

function parseRetainUntil(value: string): Date {
  const at = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value) ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : new Date(NaN);
  if (Number.isNaN(at.getTime())) throw new InvalidArgumentError(`--retain-until expects a date such as 2027-03-31 or 2027-03-31T00:00:00Z, got "${value.slice(0, 40)}"`);
  return at;
}

export function storeOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--retention-mode <mode>', 'S3 Object Lock retention on every object written to an s3:// pack').choices(['GOVERNANCE', 'COMPLIANCE']))
    .option('--retain-days <n>', 'Object Lock retention: days from now (with --retention-mode)', parseRetainDays)
    .option('--retain-until <date>', 'Object Lock retention: until this date (with --retention-mode)', parseRetainUntil);
}

/** StoreOptions from the flags: retention needs a mode and exactly one of --retain-days / --retain-until, in the future. */
export function storeOptionsFrom(flags: StoreFlags & { endpoint?: string }, now: Date = new Date()): StoreOptions {
  const { retentionMode: mode, retainDays, retainUntil } = flags;
  const endpoint = flags.endpoint ? { endpoint: flags.endpoint } : {};
  if (!mode) {
    if (retainDays !== undefined || retainUntil !== undefined) throw new UserError('--retain-days/--retain-until need --retention-mode (fix: add --retention-mode GOVERNANCE or COMPLIANCE)');
    return endpoint;
  }
  if ((retainDays === undefined) === (retainUntil === undefined)) throw new UserError('--retention-mode needs exactly one of --retain-days N or --retain-until DATE (fix: give one of them)');
  const until = retainUntil ?? new Date(now.getTime() + (retainDays ?? 0) * 86_400_000);
  if (until.getTime() <= now.getTime()) throw new UserError(`--retain-until ${until.toISOString()} is not in the future (fix: give a later date)`);
  return { ...endpoint, retention: { mode, retainUntil: until } };
}
