import { DeleteObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { UserError } from '../core/errors.js';
import { readFileUnder, walkTree } from '../core/safe-fs.js';
import { INCOMPLETE_FILE } from '../locker/layout.js';
import { MANIFEST, parseManifest } from '../locker/pack.js';
import { downloadPack, type DownloadedObject } from './download.js';
import { checkObjectLock, summariseRetention, type RetentionSummary } from './retention.js';
import { bucketClient, storeError, type BucketClient } from './s3-client.js';
import { childLocation, formatS3Location, keyUnder, parseS3Location, type S3Location } from './s3-location.js';
import type { ReadLimits, RetentionOptions, TransferOptions } from './types.js';
import { hashFile, uploadPack } from './upload.js';

/** The S3 side of location.ts, loaded only when a location is s3:// (it brings the AWS SDK). */

export interface S3StoreOptions {
  retention?: RetentionOptions;
  endpoint?: string;
  transfer?: TransferOptions;
  limits?: ReadLimits;
}

/** What reading a pack from S3 established, beyond what local verification checks. */
export interface StoreReadInfo {
  location: string;
  objects: number;
  bytes: number;
  /** Object Lock retention over every object of the pack. */
  retention: RetentionSummary;
  /** Objects for which S3 held no SHA-256 (neither checksum nor metadata), so only the manifest vouches for them. */
  unchecksummed: number;
}

function readInfo(location: string, objects: readonly DownloadedObject[]): StoreReadInfo {
  return {
    location,
    objects: objects.length,
    bytes: objects.reduce((n, o) => n + o.bytes, 0),
    retention: summariseRetention(objects.map((o) => ({ ...o, key: o.rel }))),
    unchecksummed: objects.filter((o) => o.checkedBy === 'none').length,
  };
}

/** Errors of the local work name the private copy; the user gave the S3 location, so they name that instead. */
function renamed(err: unknown, localDir: string, location: string): unknown {
  if (err instanceof Error && err.message.includes(localDir)) err.message = err.message.split(localDir).join(location);
  return err;
}

async function privateDir(): Promise<string> {
  // mkdtemp creates the folder with mode 0700: nobody else can plant a file or link in the copy.
  return mkdtemp(join(tmpdir(), 'auditpack-s3-'));
}

/** The pack's files (regular files only: anything else is refused, never published). */
async function packFiles(dir: string): Promise<string[]> {
  const entries = await walkTree(dir);
  const odd = entries.find((e) => e.kind !== 'file');
  if (odd) throw new UserError(`${join(dir, odd.path)}: is a ${odd.detail}; a pack holds regular files only, so nothing was written to S3`);
  return entries.map((e) => e.path);
}

/** path -> SHA-256 of every file, hashed in chunks (a large file is never held in memory whole). */
async function hashes(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of await packFiles(dir)) out.set(path, await hashFile(join(dir, path)));
  return out;
}

function manifestHashes(dir: string, files: { has(path: string): boolean }, bytes: Buffer | undefined): Map<string, string> {
  if (!files.has(MANIFEST) || !bytes) return new Map();
  return new Map(parseManifest(dir, bytes).files.map((f) => [f.path, f.sha256] as const));
}

async function withDownloaded<T>(location: string, options: S3StoreOptions, fn: (dir: string, info: StoreReadInfo, bc: BucketClient, loc: S3Location) => Promise<T>): Promise<T> {
  const loc = parseS3Location(location, true);
  const bc = await bucketClient(loc.bucket, options);
  const tmp = await privateDir();
  const dir = join(tmp, basename(loc.prefix));
  const shown = formatS3Location(loc);
  try {
    await checkObjectLock(bc, options.retention, 'nothing was read or written');
    await mkdir(dir, { mode: 0o700 });
    const objects = await downloadPack(bc, loc, dir, { ...(options.limits ? { limits: options.limits } : {}), ...(options.transfer?.concurrency ? { concurrency: options.transfer.concurrency } : {}) });
    return await fn(dir, readInfo(shown, objects), bc, loc);
  } catch (err) {
    throw renamed(err, dir, shown);
  } finally {
    await rm(tmp, { recursive: true, force: true });
    bc.client.destroy();
  }
}

export async function withS3PackInput<T>(location: string, _purpose: string, fn: (dir: string, info: StoreReadInfo) => Promise<T>, options: S3StoreOptions = {}): Promise<T> {
  return withDownloaded(location, options, (dir, info) => fn(dir, info));
}

/**
 * Downloads, lets `fn` rewrite the copy (assess, report, push), then writes back what changed: new and changed
 * files (with retention when asked: each becomes a new object version, and Object Lock keeps the old versions),
 * deletes of files `fn` removed (a delete marker; locked versions stay), and the manifest last.
 */
export async function withS3PackUpdate<T>(location: string, _purpose: string, fn: (dir: string, info: StoreReadInfo) => Promise<T>, options: S3StoreOptions = {}): Promise<T> {
  return withDownloaded(location, options, async (dir, info, bc, loc) => {
    const before = await hashes(dir);
    const result = await fn(dir, info);
    const after = await hashes(dir);
    if (after.has(INCOMPLETE_FILE)) throw new UserError(`${dir}: the pack is incomplete after the update; nothing was written back`);
    const changed = [...after].filter(([p, h]) => before.get(p) !== h).map(([p]) => p);
    const removed = [...before.keys()].filter((p) => !after.has(p)).sort();
    const manifestBytes = after.has(MANIFEST) ? await readFileUnder(dir, MANIFEST) : undefined;
    const expected = manifestHashes(dir, after, manifestBytes);
    const plan = { expected, createOnly: false, ...(options.retention ? { retention: options.retention } : {}), ...(options.transfer ? { transfer: options.transfer } : {}) };
    await uploadPack(bc, loc, dir, { ...plan, files: changed.filter((p) => p !== MANIFEST) });
    for (const rel of removed) {
      const key = keyUnder(loc.prefix, rel);
      await bc.client.send(new DeleteObjectCommand({ Bucket: bc.bucket, Key: key })).catch((err: unknown) => {
        throw storeError(`s3://${bc.bucket}/${key}: DeleteObject failed`, err, 'allow s3:DeleteObject on the pack prefix, or remove the stale object by hand');
      });
    }
    if (changed.includes(MANIFEST)) await uploadPack(bc, loc, dir, { ...plan, files: [MANIFEST] });
    return result;
  });
}

async function prefixHasObjects(bc: BucketClient, loc: S3Location): Promise<boolean> {
  try {
    const page = await bc.client.send(new ListObjectsV2Command({ Bucket: bc.bucket, Prefix: `${loc.prefix}/`, MaxKeys: 1 }));
    return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
  } catch (err) {
    throw storeError(`${formatS3Location(loc)}: ListObjectsV2 failed`, err, "allow s3:ListBucket on the bucket to the caller's credentials");
  }
}

/** Publishes the sealed local pack `packDir` to `target`, never over an existing pack; returns the objects written. */
export async function publishPack(bc: BucketClient, target: S3Location, packDir: string, options: S3StoreOptions): Promise<number> {
  const shown = formatS3Location(target);
  if (await prefixHasObjects(bc, target)) throw new UserError(`${shown}: already holds objects; auditpack never overwrites a pack (fix: give another --out prefix, or remove that prefix if it is not a pack)`);
  const files = new Set(await packFiles(packDir));
  if (files.has(INCOMPLETE_FILE)) throw new UserError(`${packDir}: the pack is incomplete, so it was not published (fix: finish it with --resume, then publish)`);
  if (!files.has(MANIFEST)) throw new UserError(`${packDir}: the pack has no manifest, so it was not published`);
  const expected = manifestHashes(packDir, files, await readFileUnder(packDir, MANIFEST));
  return uploadPack(bc, target, packDir, { files: [...files.keys()], expected, createOnly: true, ...(options.retention ? { retention: options.retention } : {}), ...(options.transfer ? { transfer: options.transfer } : {}) });
}

/**
 * `--out s3://bucket/prefix`: the bucket is checked before `fn` runs (reachable, Object Lock when retention is
 * asked), so a bad bucket costs no collection; `fn` builds the pack in a private staging folder; the pack is then
 * published to `<prefix>/<pack folder name>/`. When publishing fails, the complete pack is kept and named.
 */
export async function withS3PackOutput<T extends { packDir: string }>(out: string, options: S3StoreOptions, fn: (parentDir: string) => Promise<T>): Promise<T & { location: string }> {
  const parent = parseS3Location(out);
  const bc = await bucketClient(parent.bucket, options);
  let staging: string | undefined;
  try {
    await checkObjectLock(bc, options.retention);
    staging = await privateDir();
    let result: T;
    try {
      result = await fn(staging);
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      staging = undefined;
      throw err;
    }
    const name = relative(staging, result.packDir);
    if (!name || name.includes('/') || name.startsWith('.')) throw new UserError(`${result.packDir}: not a pack folder directly under the staging folder; nothing was published`);
    const target = parseS3Location(formatS3Location(childLocation(parent, name)), true);
    try {
      await publishPack(bc, target, result.packDir, options);
    } catch (err) {
      if (err instanceof Error) err.message += ` (the complete pack is kept at ${result.packDir}; nothing else was changed locally)`;
      staging = undefined;
      throw err;
    }
    await rm(staging, { recursive: true, force: true });
    staging = undefined;
    return { ...result, location: formatS3Location(target) };
  } finally {
    bc.client.destroy();
  }
}
