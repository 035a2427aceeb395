/** Options of the evidence store shared by its modules (location.ts re-exports them as the public contract). */

export interface RetentionOptions {
  mode: 'GOVERNANCE' | 'COMPLIANCE';
  /** Absolute retain-until date (from --retain-until, or now + --retain-days). */
  retainUntil: Date;
}

/** Transfer tuning; defaults suit AWS, tests shrink them (or set AUDITPACK_S3_MULTIPART_THRESHOLD / _PART_SIZE). */
export interface TransferOptions {
  /** Files of at least this many bytes go up as a multipart upload (default 16 MiB). */
  multipartThreshold?: number;
  /** Part size of a multipart upload (default 16 MiB; S3's minimum is 5 MiB but for the last part). */
  partSize?: number;
  /** Objects transferred at once (default 8). */
  concurrency?: number;
}

/** Bounds on reading a pack from S3 (defaults from LIMITS in core/safe-fs.ts; tests shrink them). */
export interface ReadLimits {
  objects?: number;
  totalBytes?: number;
  objectBytes?: number;
}

export const SHA256_METADATA = 'auditpack-sha256';
