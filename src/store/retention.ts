import { GetObjectLockConfigurationCommand } from '@aws-sdk/client-s3';
import { UserError } from '../core/errors.js';
import type { BucketClient } from './s3-client.js';
import { awsCode, httpStatus, storeError } from './s3-client.js';
import type { RetentionOptions } from './types.js';

/** The Object Lock headers of a write: every object (single or multipart) carries the mode and the date. */
export function lockParams(retention: RetentionOptions | undefined): { ObjectLockMode?: RetentionOptions['mode']; ObjectLockRetainUntilDate?: Date } {
  return retention ? { ObjectLockMode: retention.mode, ObjectLockRetainUntilDate: retention.retainUntil } : {};
}

const ENABLE_FIX = 'create the bucket with Object Lock enabled (aws s3api create-bucket --object-lock-enabled-for-bucket) or enable Object Lock on it (aws s3api put-object-lock-configuration --object-lock-configuration ObjectLockEnabled=Enabled)';

/**
 * Before anything is collected or written: when retention is asked for, the bucket must have Object Lock enabled
 * (without it S3 refuses every locked write, which would fail only after a long collection). A missing
 * configuration and a refusal to read it are both errors: retention that cannot be confirmed is not promised.
 */
export async function checkObjectLock(bc: BucketClient, retention: RetentionOptions | undefined, consequence = 'nothing was collected'): Promise<void> {
  if (!retention) return;
  let enabled: string | undefined;
  try {
    const out = await bc.client.send(new GetObjectLockConfigurationCommand({ Bucket: bc.bucket }));
    enabled = out.ObjectLockConfiguration?.ObjectLockEnabled;
  } catch (err) {
    if (awsCode(err) === 'ObjectLockConfigurationNotFoundError') enabled = undefined;
    else if (httpStatus(err) === 403) throw new UserError(`s3://${bc.bucket}: cannot read the bucket's Object Lock configuration (AccessDenied) (fix: allow s3:GetBucketObjectLockConfiguration to the caller's credentials)`);
    else throw storeError(`s3://${bc.bucket}: GetObjectLockConfiguration failed`, err, 'check the bucket, network and credentials');
  }
  if (enabled !== 'Enabled') throw new UserError(`s3://${bc.bucket}: Object Lock is not enabled on this bucket, so --retention-mode ${retention.mode} cannot be applied; ${consequence} (fix: ${ENABLE_FIX})`);
}

/** Retention of one object as S3 reported it on GetObject/HeadObject. */
export interface ObjectRetention {
  key: string;
  mode?: string;
  retainUntil?: Date;
}

export interface RetentionSummary {
  objects: number;
  /** Objects with a retention mode and a retain-until date still in the future. */
  retained: number;
  modes: string[];
  /** Earliest retain-until over the retained objects. */
  earliest?: Date;
  /** Up to 3 keys of objects without retention in force. */
  unretained: string[];
}

/** What verify prints: retention of the pack as a whole is only as strong as its least-retained object. */
export function summariseRetention(objects: readonly ObjectRetention[], now: Date = new Date()): RetentionSummary {
  const modes = new Set<string>();
  let earliest: Date | undefined;
  let retained = 0;
  const unretained: string[] = [];
  for (const o of objects) {
    if (o.mode && o.retainUntil && o.retainUntil.getTime() > now.getTime()) {
      retained++;
      modes.add(o.mode);
      if (!earliest || o.retainUntil.getTime() < earliest.getTime()) earliest = o.retainUntil;
    } else if (unretained.length < 3) unretained.push(o.key);
  }
  return { objects: objects.length, retained, modes: [...modes].sort(), ...(earliest ? { earliest } : {}), unretained };
}
