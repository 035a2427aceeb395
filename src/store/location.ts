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
 */

export interface RetentionOptions {
  mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Absolute retain-until date (from --retain-until, or now + --retain-days). */
  retainUntil: Date;
}

export interface StoreOptions {
  /** Object Lock retention for every object written (S3 only; refused for a local folder). */
  retention?: RetentionOptions;
  /** Endpoint override (tests, the demo): defaults to AWS_ENDPOINT_URL. */
  endpoint?: string;
}

export function isS3Location(location: string): boolean {
  return /^s3:\/\//i.test(location);
}

function localOnly(location: string, options?: StoreOptions): void {
  if (isS3Location(location)) throw new Error(`${location}: S3 pack locations are not supported yet`);
  if (options?.retention) throw new Error('--retention-mode applies to an s3:// location only');
}

export async function withPackInput<T>(location: string, _purpose: string, fn: (dir: string) => Promise<T>, options?: StoreOptions): Promise<T> {
  localOnly(location, options);
  return fn(location);
}

export async function withPackUpdate<T>(location: string, _purpose: string, fn: (dir: string) => Promise<T>, options?: StoreOptions): Promise<T> {
  localOnly(location, options);
  return fn(location);
}

/** Returns fn's result and the pack's final location (the local pack folder, or its s3:// location). */
export async function withPackOutput<T extends { packDir: string }>(out: string, options: StoreOptions, fn: (parentDir: string) => Promise<T>): Promise<T & { location: string }> {
  localOnly(out, options);
  const result = await fn(out);
  return { ...result, location: result.packDir };
}
