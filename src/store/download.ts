import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, type GetObjectCommandOutput } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { UserError, errorMessage } from '../core/errors.js';
import { LIMITS, relativePathProblem } from '../core/safe-fs.js';
import { oneLine } from '../core/text.js';
import { UNLISTED } from '../locker/pack.js';
import { PackError } from '../locker/records.js';
import type { ObjectRetention } from './retention.js';
import type { BucketClient } from './s3-client.js';
import { storeError } from './s3-client.js';
import { formatS3Location, type S3Location } from './s3-location.js';
import { SHA256_METADATA, type ReadLimits } from './types.js';

/** One object of a pack as listed: its key, the pack-relative path it becomes, and its listed size. */
export interface ListedObject {
  key: string;
  rel: string;
  size: number;
}

export interface DownloadedObject extends ObjectRetention {
  rel: string;
  bytes: number;
  /** Which S3 SHA-256 the downloaded bytes were compared with: the object's checksum, the metadata (multipart), or none. */
  checkedBy: 'checksum' | 'metadata' | 'none';
}

const RESTORE = 'restore the pack in S3 from its original copy';

/**
 * Defaults: the files a pack may list plus the unlisted ones (manifest, signatures, reports, push records); any one
 * object up to the pack's total, since downloads stream and results.json is read as a stream (it may exceed the
 * single-read limit); the pack's total.
 */
function limitsOf(limits: ReadLimits = {}): Required<ReadLimits> {
  return { objects: limits.objects ?? LIMITS.packFiles + UNLISTED.size, totalBytes: limits.totalBytes ?? LIMITS.packTotalBytes, objectBytes: limits.objectBytes ?? LIMITS.packTotalBytes };
}

const shownKey = (key: string): string => JSON.stringify(key.slice(0, 200));

/**
 * Every object under `<prefix>/`, treated as untrusted: bounded count, per-object and total size (refused at the
 * first object past a bound, without listing further); each key must become a safe relative path
 * (relativePathProblem: no `..`, absolute path, control character, backslash, empty segment or folder marker), and
 * no two keys may collide once Unicode-normalised and case-folded, nor be both a file and a folder.
 */
export async function listPack(bc: BucketClient, loc: S3Location, readLimits?: ReadLimits): Promise<ListedObject[]> {
  const limits = limitsOf(readLimits);
  const where = formatS3Location(loc);
  const base = `${loc.prefix}/`;
  const out: ListedObject[] = [];
  const folded = new Map<string, string>();
  let total = 0;
  let token: string | undefined;
  do {
    let page;
    try {
      page = await bc.client.send(new ListObjectsV2Command({ Bucket: bc.bucket, Prefix: base, ...(token ? { ContinuationToken: token } : {}) }));
    } catch (err) {
      throw storeError(`${where}: ListObjectsV2 failed`, err, 'allow s3:ListBucket on the bucket to the caller\'s credentials');
    }
    for (const o of page.Contents ?? []) {
      const key = o.Key ?? '';
      if (!key.startsWith(base)) throw new PackError(`${where}: the listing returned key ${shownKey(key)} outside the prefix (fix: check the endpoint)`);
      const rel = key.slice(base.length);
      const problem = relativePathProblem(rel);
      if (problem) throw new PackError(`${where}: object ${shownKey(key)} cannot be a pack file: its path ${problem} (fix: ${RESTORE}; remove that object)`);
      const fold = rel.normalize('NFC').toLowerCase();
      const twin = folded.get(fold);
      if (twin !== undefined) throw new PackError(`${where}: objects ${shownKey(twin)} and ${shownKey(rel)} name the same file once normalised (fix: ${RESTORE}; remove the copy)`);
      folded.set(fold, rel);
      const size = o.Size ?? 0;
      if (out.length + 1 > limits.objects) throw new PackError(`${where}: holds more than ${limits.objects} objects, more than a pack may (fix: ${RESTORE}; name the pack's own prefix)`);
      if (size > limits.objectBytes) throw new PackError(`${where}: object ${shownKey(key)} is ${size} bytes, more than the limit of ${limits.objectBytes} (fix: ${RESTORE})`);
      total += size;
      if (total > limits.totalBytes) throw new PackError(`${where}: its objects exceed ${limits.totalBytes} bytes in total (fix: ${RESTORE})`);
      out.push({ key, rel, size });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  // A key that is also a folder of another key (a and a/b) cannot be laid out as files.
  const folders = new Set<string>();
  for (const o of out) {
    const parts = o.rel.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/').normalize('NFC').toLowerCase());
  }
  const clash = out.find((o) => folders.has(o.rel.normalize('NFC').toLowerCase()));
  if (clash) throw new PackError(`${where}: object ${shownKey(clash.key)} is both a file and a folder of other objects (fix: ${RESTORE})`);
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** The SHA-256 (hex) S3 holds for the object: its own checksum when it covers the whole object, else the metadata. */
function s3Sha256(out: GetObjectCommandOutput): { hex?: string; by: DownloadedObject['checkedBy']; meta?: string } {
  const meta = out.Metadata?.[SHA256_METADATA];
  const sum = out.ChecksumSHA256;
  // A multipart object's checksum covers its parts' checksums, not the file: S3 marks it COMPOSITE with a -N
  // suffix; moto omits both (a moto gap), so the multipart ETag (md5-N) decides too.
  const multipart = out.ChecksumType === 'COMPOSITE' || sum?.includes('-') === true || /-\d+"?$/.test(out.ETag ?? '');
  if (sum && !multipart) return { hex: Buffer.from(sum, 'base64').toString('hex'), by: 'checksum', ...(meta ? { meta } : {}) };
  if (meta) return { hex: meta, by: 'metadata', meta };
  return { by: 'none' };
}

async function fetchOne(bc: BucketClient, loc: S3Location, dest: string, o: ListedObject): Promise<DownloadedObject> {
  const where = `s3://${bc.bucket}/${o.key}`;
  let out: GetObjectCommandOutput;
  try {
    out = await bc.client.send(new GetObjectCommand({ Bucket: bc.bucket, Key: o.key, ChecksumMode: 'ENABLED' }));
  } catch (err) {
    throw storeError(`${where}: GetObject failed`, err, `allow s3:GetObject on ${formatS3Location(loc)}/* to the caller's credentials`);
  }
  const path = join(dest, o.rel);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of out.Body as Readable) {
      const buf = chunk as Buffer;
      bytes += buf.length;
      // The listing bounded the pack; an object that grew since is refused before it is stored.
      if (bytes > o.size) throw new PackError(`${where}: changed while being downloaded (more bytes than listed) (fix: ${RESTORE})`);
      hash.update(buf);
      await handle.write(buf);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    // The SDK validates the object's checksum as it streams (ChecksumMode ENABLED) and fails on a mismatch.
    if (/checksum/i.test(errorMessage(err))) throw new PackError(`${where}: the bytes downloaded do not match the object's SHA-256 checksum in S3: ${oneLine(errorMessage(err), 200)} (fix: ${RESTORE})`);
    throw storeError(`${where}: download failed`, err, 'check the network and try again');
  } finally {
    await handle.close();
  }
  if (bytes !== o.size) throw new PackError(`${where}: changed while being downloaded (${bytes} bytes, listed ${o.size}) (fix: ${RESTORE})`);
  const actual = hash.digest('hex');
  const s3 = s3Sha256(out);
  if ((s3.hex !== undefined && s3.hex !== actual) || (s3.meta !== undefined && s3.meta !== actual)) {
    throw new PackError(`${where}: tampered: the bytes downloaded (sha256 ${actual}) do not match the SHA-256 S3 holds for the object (${s3.hex !== actual ? s3.hex : s3.meta}) (fix: ${RESTORE})`);
  }
  return {
    key: o.key,
    rel: o.rel,
    bytes,
    checkedBy: s3.by,
    ...(out.ObjectLockMode ? { mode: out.ObjectLockMode } : {}),
    ...(out.ObjectLockRetainUntilDate ? { retainUntil: new Date(out.ObjectLockRetainUntilDate) } : {}),
  };
}

/**
 * Downloads the pack at `loc` into the private folder `dest` (made by the caller, mode 0700, empty): every file is
 * created exclusively, never through a link, and compared with the SHA-256 S3 holds for it. Nothing is trusted
 * beyond that: the caller verifies the folder exactly like a local pack.
 */
export async function downloadPack(bc: BucketClient, loc: S3Location, dest: string, options: { limits?: ReadLimits; concurrency?: number } = {}): Promise<DownloadedObject[]> {
  const listed = await listPack(bc, loc, options.limits);
  if (listed.length === 0) throw new UserError(`${formatS3Location(loc)}: no pack there (no objects under this prefix) (fix: give s3://BUCKET/PREFIX/RUN-ID of a published pack)`);
  const limit = pLimit(options.concurrency ?? 8);
  // Every transfer settles before the first failure is thrown, so the caller removes a folder nothing still writes.
  let failure: { reason: unknown } | undefined;
  const out: DownloadedObject[] = [];
  await Promise.allSettled(
    listed.map((o) =>
      limit(async () => {
        if (failure) return;
        try {
          out.push(await fetchOne(bc, loc, dest, o));
        } catch (reason) {
          failure ??= { reason };
        }
      }),
    ),
  );
  if (failure) throw failure.reason;
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
