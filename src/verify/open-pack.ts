import { join } from 'node:path';
import { sha256Hex } from '../core/fs.js';
import { LIMITS } from '../core/safe-fs.js';
import { PackError, parsePackJson, readPackBytes } from '../locker/records.js';
import type { Manifest } from '../locker/pack.js';
import { readJsonStreamUnder } from './stream-read.js';
import { verifyPack, type Authenticity } from './verify.js';

/** Listed JSON files up to this size are read whole by readJsonStream (one JSON.parse); larger ones are streamed. */
export const WHOLE_JSON_BYTES = 32 * 1024 * 1024;

/** A pack that passed verification: reads of its listed files are re-checked against the manifest. */
export interface VerifiedPack {
  dir: string;
  manifest: Manifest;
  manifestBytes: Buffer;
  manifestSha256: string;
  authenticity: Authenticity;
  signerFingerprint?: string;
  /** Is `path` listed in the manifest? */
  has(path: string): boolean;
  /** The bytes of a listed file, refused unless they still hash to the manifest's value (no read-after-check gap). */
  read(path: string): Promise<Buffer>;
  /** A listed JSON file, parsed and validated against schemas/SCHEMA. */
  readJson<T>(path: string, schema: string): Promise<T>;
  /**
   * A listed JSON file that may exceed the single-read limit (results.json): over WHOLE_JSON_BYTES it is read as a
   * stream (verify/stream-read.ts), bounded by the manifest's size only, never one string, and the value is returned
   * only once the bytes it was parsed from hash to the manifest's value; smaller files go through `readJson`.
   */
  readJsonStream<T>(path: string, schema: string): Promise<T>;
}

/** The key a pack must be signed by (PEM, or its SHA256:<hex> fingerprint), when the user pinned one. */
export interface PackTrust {
  publicKeyPem?: string;
  fingerprint?: string;
}

export interface OpenPackOptions extends PackTrust {
  /* Without publicKeyPem/fingerprint, a signed pack is checked against its embedded key and an unsigned one by its hashes. */
  /** What the command is about to do, for the refusal message ("assess", "render reports of", ...). */
  purpose: string;
  /** Largest file `read` and `readJson` take whole (default LIMITS.packFileBytes); tests lower it. */
  readLimit?: number;
}

/**
 * The gate every command passes before it reads a pack (assess, report, diff, push): the same checks as
 * `auditpack verify`, where a signed pack must verify with its embedded key (or the pinned one) and an unsigned pack
 * needs intact hashes. The first problem is refused with exit 4; tampered content is never re-sealed or re-signed.
 */
export async function openVerifiedPack(dir: string, options: OpenPackOptions): Promise<VerifiedPack> {
  const pinned = options.publicKeyPem !== undefined || options.fingerprint !== undefined;
  const report = await verifyPack(dir, {
    allowUnsigned: !pinned,
    trustEmbeddedKey: true,
    ...(options.publicKeyPem !== undefined ? { publicKeyPem: options.publicKeyPem } : {}),
    ...(options.fingerprint !== undefined ? { fingerprint: options.fingerprint } : {}),
  });
  const failed = report.checks.filter((c) => !c.ok);
  const first = failed[0];
  if (first || !report.manifest || !report.manifestBytes) {
    const more = failed.length > 1 ? ` (and ${failed.length - 1} more problem${failed.length > 2 ? 's' : ''})` : '';
    // The detail may carry its own "(fix: …)"; the refusal gives one fix for the whole pack.
    const what = first ? `${first.subject}: ${first.detail.replace(/ \(fix: [^()]*\)$/, '')}` : 'manifest.json: unreadable';
    throw new PackError(`${dir}: refusing to ${options.purpose} a pack that does not verify: ${what}${more} (fix: restore the original pack; \`auditpack verify ${dir}\` lists every problem)`);
  }
  const manifest = report.manifest;
  const manifestBytes = report.manifestBytes;
  const listed = new Map(manifest.files.map((f) => [f.path, f] as const));
  const read = async (path: string): Promise<Buffer> => {
    const entry = listed.get(path);
    if (!entry) throw new PackError(`${join(dir, path)}: not listed in the pack's manifest (fix: restore the original pack)`);
    const bytes = await readPackBytes(dir, path, Math.min(entry.bytes, options.readLimit ?? LIMITS.packFileBytes));
    if (bytes.length !== entry.bytes || sha256Hex(bytes) !== entry.sha256) throw new PackError(`${join(dir, path)}: changed while being read (fix: restore the original pack)`);
    return bytes;
  };
  return {
    dir,
    manifest,
    manifestBytes,
    manifestSha256: sha256Hex(manifestBytes),
    authenticity: report.authenticity,
    ...(report.signerFingerprint ? { signerFingerprint: report.signerFingerprint } : {}),
    has: (path) => listed.has(path),
    read,
    readJson: async <T>(path: string, schema: string): Promise<T> => parsePackJson<T>(join(dir, path), await read(path), schema),
    readJsonStream: async <T>(path: string, schema: string): Promise<T> => {
      const entry = listed.get(path);
      if (!entry) throw new PackError(`${join(dir, path)}: not listed in the pack's manifest (fix: restore the original pack)`);
      // JSON.parse is several times faster than a streaming parser: small files are read whole, with the same checks.
      if (entry.bytes <= Math.min(options.readLimit ?? LIMITS.packFileBytes, WHOLE_JSON_BYTES)) return parsePackJson<T>(join(dir, path), await read(path), schema);
      return readJsonStreamUnder<T>(dir, path, entry, schema);
    },
  };
}
