import { UserError } from '../core/errors.js';
import { relativePathProblem } from '../core/safe-fs.js';

/**
 * An S3 location `s3://bucket/prefix`, parsed strictly: it names S3 objects the CLI will write or download, so a
 * sloppy parse could write outside the intended prefix or read a pack the user did not name.
 */
export interface S3Location {
  bucket: string;
  /** The key prefix without leading or trailing '/', '' for the bucket's root. Every segment is a safe path segment. */
  prefix: string;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
/** Prefix segments: the characters S3 documents as safe for keys, so a prefix means the same to every tool. */
const SEGMENT = /^[A-Za-z0-9!_.*'()-]+$/;

function bad(arg: string, why: string): UserError {
  return new UserError(`${JSON.stringify(arg.slice(0, 200))}: not a valid S3 location: ${why} (fix: write s3://BUCKET/PREFIX, e.g. s3://my-audit-evidence/packs)`);
}

/**
 * Parses `s3://bucket[/prefix]`. `needsPrefix` (a pack, `s3://bucket/prefix/run-id`) requires at least one
 * segment. Refused: another scheme, an invalid bucket name (S3's general-purpose rules), empty, `.` or `..`
 * segments, characters outside S3's safe set, a query, fragment, user info or port.
 */
export function parseS3Location(arg: string, needsPrefix = false): S3Location {
  const match = /^s3:\/\/([^/]*)(?:\/([\s\S]*))?$/i.exec(arg);
  if (!match || !arg.startsWith('s3://')) throw bad(arg, 'it must start with s3:// (lowercase)');
  const bucket = match[1] ?? '';
  if (!BUCKET.test(bucket) || bucket.includes('..') || IP_ADDRESS.test(bucket) || bucket.startsWith('xn--') || bucket.endsWith('-s3alias')) {
    throw bad(arg, `"${bucket.slice(0, 80)}" is not an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens)`);
  }
  const prefix = (match[2] ?? '').replace(/\/$/, '');
  if (prefix) {
    const problem = relativePathProblem(prefix);
    if (problem) throw bad(arg, `the prefix ${problem}`);
    const odd = prefix.split('/').find((s) => !SEGMENT.test(s) || s === '..' || s === '.');
    if (odd !== undefined) throw bad(arg, `the prefix segment "${odd.slice(0, 80)}" is empty or has characters other than letters, digits and !_.*'()-`);
  }
  if (needsPrefix && !prefix) throw bad(arg, 'a pack is s3://BUCKET/PREFIX/RUN-ID, not a whole bucket');
  return { bucket, prefix };
}

/** The key of `rel` (a pack-relative path) under `prefix`. */
export function keyUnder(prefix: string, rel: string): string {
  return prefix ? `${prefix}/${rel}` : rel;
}

export function formatS3Location(loc: S3Location): string {
  return `s3://${loc.bucket}${loc.prefix ? `/${loc.prefix}` : ''}`;
}

/** The location of the pack folder `name` (its run id) under the parent location `parent`. */
export function childLocation(parent: S3Location, name: string): S3Location {
  return { bucket: parent.bucket, prefix: keyUnder(parent.prefix, name) };
}
