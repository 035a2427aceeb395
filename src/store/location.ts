/**
 * Where a pack lives: a local folder, or (issue 14) an S3 prefix `s3://bucket/prefix`. Every command that reads or
 * writes a pack resolves its argument through this module, so S3 support lives in one place.
 *
 * CONTRACT (shared by the shard/merge and S3 work; keep the signatures):
 * - `isS3Location(arg)`: is the argument an s3:// location?
 * - `withPackInput(location, purpose, fn)`: gives `fn` a local folder holding the pack (the folder itself when local;
 *   a private temporary copy when in S3, removed afterwards). The pack is NOT verified here: callers verify the local
 *   folder as before (openVerifiedPack), so an S3 pack passes exactly the checks a local one does.
 * - `withPackUpdate(location, purpose, fn, options)`: as withPackInput, for commands that rewrite a pack (assess,
 *   report): afterwards the changed files are written back to the store.
 * - `withPackOutput(out, options, fn)`: `out` is the parent of new packs (`--out`): a local folder as given, or for
 *   s3:// a local staging folder; `fn` returns the pack folder it created under it, which is then published to
 *   `<out>/<pack folder name>/` and the S3 location returned.
 *
 * This module stays light (no AWS SDK): the S3 implementation (s3-store.ts) is loaded only for an s3:// location.
 */
import { UserError } from '../core/errors.js';
import type { StoreReadInfo } from './s3-store.js';
import type { ReadLimits, RetentionOptions, TransferOptions } from './types.js';

export type { ReadLimits, RetentionOptions, TransferOptions };
export type { StoreReadInfo };

export interface StoreOptions {
  /** Object Lock retention for every object written (S3 only; refused for a local folder). */
  retention?: RetentionOptions;
  /** Endpoint override (tests, the demo): defaults to AWS_ENDPOINT_URL. */
  endpoint?: string;
  /** Multipart threshold, part size and concurrency of transfers (tests shrink them). */
  transfer?: TransferOptions;
  /** Bounds on a pack read from S3 (default: LIMITS of core/safe-fs.ts). */
  limits?: ReadLimits;
}

export function isS3Location(location: string): boolean {
  return /^s3:\/\//i.test(location);
}

function localOnly(location: string, options?: StoreOptions): void {
  if (options?.retention) throw new UserError(`${location}: --retention-mode applies to an s3:// pack location only; a local folder has no Object Lock (fix: drop --retention-mode/--retain-days/--retain-until, or write to s3://BUCKET/PREFIX)`);
}

/** `fn` gets a local folder holding the pack; for s3:// also what reading it from S3 established (`info`). */
export async function withPackInput<T>(location: string, purpose: string, fn: (dir: string, info?: StoreReadInfo) => Promise<T>, options?: StoreOptions): Promise<T> {
  if (isS3Location(location)) return (await import('./s3-store.js')).withS3PackInput(location, purpose, fn, options);
  localOnly(location, options);
  return fn(location);
}

/** withPackInput for an optional location (e.g. --previous): `fn` gets undefined when none was given. */
export async function withOptionalPackInput<T>(location: string | undefined, purpose: string, fn: (dir: string | undefined) => Promise<T>, options?: StoreOptions): Promise<T> {
  return location === undefined ? fn(undefined) : withPackInput(location, purpose, (dir) => fn(dir), options);
}

export async function withPackUpdate<T>(location: string, purpose: string, fn: (dir: string) => Promise<T>, options?: StoreOptions): Promise<T> {
  if (isS3Location(location)) return (await import('./s3-store.js')).withS3PackUpdate(location, purpose, (dir) => fn(dir), options);
  localOnly(location, options);
  return fn(location);
}

/** Returns fn's result and the pack's final location (the local pack folder, or its s3:// location). */
export async function withPackOutput<T extends { packDir: string }>(out: string, options: StoreOptions, fn: (parentDir: string) => Promise<T>): Promise<T & { location: string }> {
  if (isS3Location(out)) return (await import('./s3-store.js')).withS3PackOutput(out, options, fn);
  localOnly(out, options);
  const result = await fn(out);
  return { ...result, location: result.packDir };
}
