import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { findingBytes, fitFinding, LIMITS } from './asff.js';

/** BatchImportFindings limits: at most 100 findings and 6 MB per request, 240 KB per finding. */
export const BATCH_LIMITS = {
  maxFindings: 100,
  maxRequestBytes: 6 * 1024 * 1024,
  maxFindingBytes: LIMITS.findingBytes,
} as const;

export interface BatchLimits {
  maxFindings: number;
  maxRequestBytes: number;
  maxFindingBytes: number;
}

/** A finding that cannot be sent at all (it does not fit even after trimming). */
export interface OversizedFinding {
  id: string;
  bytes: number;
}

export interface Batches {
  batches: AwsSecurityFinding[][];
  oversized: OversizedFinding[];
}

/** `{"Findings":[` + `]}` around the comma-separated findings. */
const REQUEST_OVERHEAD = Buffer.byteLength('{"Findings":[]}');

/**
 * Splits findings into BatchImportFindings requests, in order: each request holds at most `maxFindings`
 * findings and its JSON body stays under `maxRequestBytes`. Findings over the per-finding limit are trimmed
 * (fitFinding); those that still do not fit are returned as oversized so the caller can report them.
 */
export function splitIntoBatches(findings: readonly AwsSecurityFinding[], limits: BatchLimits = BATCH_LIMITS): Batches {
  const batches: AwsSecurityFinding[][] = [];
  const oversized: OversizedFinding[] = [];
  let current: AwsSecurityFinding[] = [];
  let currentBytes = REQUEST_OVERHEAD;
  for (const original of findings) {
    const finding = fitFinding(original, limits.maxFindingBytes);
    if (!finding) {
      oversized.push({ id: original.Id ?? '', bytes: findingBytes(original) });
      continue;
    }
    const bytes = findingBytes(finding) + 1; // the separating comma
    if (current.length && (current.length >= limits.maxFindings || currentBytes + bytes > limits.maxRequestBytes)) {
      batches.push(current);
      current = [];
      currentBytes = REQUEST_OVERHEAD;
    }
    current.push(finding);
    currentBytes += bytes;
  }
  if (current.length) batches.push(current);
  return { batches, oversized };
}

/** Splits any list into chunks of at most `size` (BatchUpdateFindings takes 100 identifiers). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
