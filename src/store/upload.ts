import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand, type CompletedPart } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { UserError } from '../core/errors.js';
import { LIMITS, SafeFsError, readFileUnder, relativePathProblem } from '../core/safe-fs.js';
import { MANIFEST } from '../locker/pack.js';
import { lockParams } from './retention.js';
import type { BucketClient } from './s3-client.js';
import { storeError } from './s3-client.js';
import { keyUnder, type S3Location } from './s3-location.js';
import { SHA256_METADATA, type RetentionOptions, type TransferOptions } from './types.js';

const MiB = 1024 * 1024;
/** At most concurrency × threshold bytes of file data are in memory at once (128 MiB with these defaults). */
const DEFAULTS = { multipartThreshold: 16 * MiB, partSize: 16 * MiB, concurrency: 8 };
/** S3 allows at most 10,000 parts; the part size grows for larger files so every file fits. */
const MAX_PARTS = 10_000;
/** The manifest's signatures, written after every other file and before the manifest itself. */
const SIGNATURES = new Set(['manifest.sig', 'signature.json']);

function envBytes(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) throw new UserError(`${name}="${raw.slice(0, 40)}" is not a positive whole number of bytes (fix: unset it or give e.g. 67108864)`);
  return n;
}

export function transferSettings(options: TransferOptions = {}): Required<TransferOptions> {
  return {
    multipartThreshold: options.multipartThreshold ?? envBytes('AUDITPACK_S3_MULTIPART_THRESHOLD') ?? DEFAULTS.multipartThreshold,
    partSize: options.partSize ?? envBytes('AUDITPACK_S3_PART_SIZE') ?? DEFAULTS.partSize,
    concurrency: options.concurrency ?? DEFAULTS.concurrency,
  };
}

export interface UploadPlan {
  /** Pack-relative paths of the files to write. */
  files: readonly string[];
  /** SHA-256 (hex) the manifest lists for a file: the checksum S3 must verify on write. */
  expected: ReadonlyMap<string, string>;
  retention?: RetentionOptions;
  /** A new pack: every write is conditional on the key being absent (If-None-Match: *), never an overwrite. */
  createOnly: boolean;
  transfer?: TransferOptions;
}

/** Evidence and records first, then the signatures, then manifest.json alone: no reader sees a manifest before its files. */
export function uploadPhases(files: readonly string[]): string[][] {
  const sorted = [...files].sort();
  return [sorted.filter((f) => f !== MANIFEST && !SIGNATURES.has(f)), sorted.filter((f) => SIGNATURES.has(f)), sorted.filter((f) => f === MANIFEST)].filter((p) => p.length > 0);
}

const b64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

interface FileUpload {
  bc: BucketClient;
  key: string;
  /** The local pack folder, and the file's absolute path in it. */
  root: string;
  path: string;
  rel: string;
  plan: UploadPlan;
  settings: Required<TransferOptions>;
}

async function putSingle(u: FileUpload, data: Buffer, sha256: string): Promise<void> {
  await u.bc.client.send(
    new PutObjectCommand({
      Bucket: u.bc.bucket,
      Key: u.key,
      Body: data,
      ContentLength: data.length,
      ChecksumAlgorithm: 'SHA256',
      ChecksumSHA256: b64(sha256),
      Metadata: { [SHA256_METADATA]: sha256 },
      ...lockParams(u.plan.retention),
      ...(u.plan.createOnly ? { IfNoneMatch: '*' } : {}),
    }),
  );
}

/** SHA-256 of a regular file read in chunks, never through a symlink (bounded memory whatever its size). */
export async function hashFile(path: string, chunk: number = 8 * MiB): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buf = Buffer.alloc(Math.min(chunk, 8 * MiB));
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/**
 * Multipart: each part carries its own ChecksumSHA256 (S3 verifies it), the whole file's SHA-256 goes into the
 * object's metadata (S3's checksum of a multipart object is a checksum of part checksums, not of the file) and is
 * re-computed from the parts sent before completing; on any failure the upload is aborted, leaving no parts.
 */
async function putMultipart(u: FileUpload, size: number, sha256: string): Promise<void> {
  const partSize = Math.max(u.settings.partSize, Math.ceil(size / MAX_PARTS));
  const { bc, key } = u;
  let uploadId: string | undefined;
  try {
    const created = await bc.client.send(
      new CreateMultipartUploadCommand({ Bucket: bc.bucket, Key: key, ChecksumAlgorithm: 'SHA256', Metadata: { [SHA256_METADATA]: sha256 }, ...lockParams(u.plan.retention) }),
    );
    uploadId = created.UploadId;
    if (!uploadId) throw new Error('CreateMultipartUpload returned no UploadId');
    const whole = createHash('sha256');
    const parts: CompletedPart[] = [];
    const handle = await open(u.path, 'r');
    try {
      let offset = 0;
      for (let n = 1; offset < size; n++) {
        const buf = Buffer.alloc(Math.min(partSize, size - offset));
        const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
        if (bytesRead !== buf.length) throw new UserError(`${u.path}: changed size while being uploaded (fix: make sure nothing else writes the pack)`);
        whole.update(buf);
        const partSha = createHash('sha256').update(buf).digest('base64');
        const out = await bc.client.send(new UploadPartCommand({ Bucket: bc.bucket, Key: key, UploadId: uploadId, PartNumber: n, Body: buf, ContentLength: buf.length, ChecksumAlgorithm: 'SHA256', ChecksumSHA256: partSha }));
        parts.push({ PartNumber: n, ETag: out.ETag, ChecksumSHA256: out.ChecksumSHA256 ?? partSha });
        offset += buf.length;
      }
    } finally {
      await handle.close();
    }
    const actual = whole.digest('hex');
    if (actual !== sha256) throw new UserError(`${u.path}: sha256 ${actual} differs from the manifest's ${sha256}; nothing was published for it (fix: restore the pack; it changed after sealing)`);
    await bc.client.send(
      new CompleteMultipartUploadCommand({ Bucket: bc.bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts }, ...(u.plan.createOnly ? { IfNoneMatch: '*' } : {}) }),
    );
  } catch (err) {
    if (uploadId) await bc.client.send(new AbortMultipartUploadCommand({ Bucket: bc.bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    throw err;
  }
}

async function uploadOne(u: FileUpload): Promise<void> {
  const problem = relativePathProblem(u.rel);
  if (problem) throw new UserError(`${u.path}: path ${problem}; not published (fix: remove it from the pack)`);
  const expected = u.plan.expected.get(u.rel);
  const handle = await open(u.path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new UserError(`${u.path}: cannot be read for upload (${err.code ?? 'error'})`);
  });
  const size = await handle.stat().then((s) => s.size).finally(() => handle.close());
  try {
    if (size < u.settings.multipartThreshold) {
      // Read as untrusted (no symlink, regular file, bounded): the pack is ours, but the folder may not be.
      const data = await readFileUnder(u.root, u.rel, LIMITS.packFileBytes);
      const sha256 = createHash('sha256').update(data).digest('hex');
      if (expected && expected !== sha256) throw new UserError(`${u.path}: sha256 ${sha256} differs from the manifest's ${expected}; nothing was published for it (fix: restore the pack; it changed after sealing)`);
      await putSingle(u, data, expected ?? sha256);
    } else {
      await putMultipart(u, size, expected ?? (await hashFile(u.path, u.settings.partSize)));
    }
  } catch (err) {
    if (err instanceof SafeFsError) throw new UserError(`${err.message} (fix: a pack holds regular files only)`);
    if (err instanceof UserError) throw err;
    throw storeError(`s3://${u.bc.bucket}/${u.key}: upload failed`, err, 'check the bucket policy, Object Lock settings and network, then publish again');
  }
}

/**
 * Writes `plan.files` of the local pack `localDir` to `loc` (the pack's prefix) in phases (uploadPhases), each
 * with bounded concurrency; a phase starts only once the one before it is complete.
 */
export async function uploadPack(bc: BucketClient, loc: S3Location, localDir: string, plan: UploadPlan): Promise<number> {
  const settings = transferSettings(plan.transfer);
  const limit = pLimit(settings.concurrency);
  let written = 0;
  for (const phase of uploadPhases(plan.files)) {
    // A failure stops the queue (nothing not yet started is sent) and is thrown once the transfers under way settle.
    let failure: { reason: unknown } | undefined;
    await Promise.allSettled(
      phase.map((rel) =>
        limit(async () => {
          if (failure) return;
          try {
            await uploadOne({ bc, key: keyUnder(loc.prefix, rel), root: localDir, path: join(localDir, rel), rel, plan, settings });
            written++;
          } catch (reason) {
            failure ??= { reason };
          }
        }),
      ),
    );
    if (failure) throw failure.reason;
  }
  return written;
}
