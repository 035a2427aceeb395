import { join } from 'node:path';
import { describeSchemaError, errorPath, schemaValidator } from '../core/schema.js';
import { UserError, errorMessage } from '../core/errors.js';
import { LIMITS, SafeFsError, readFileUnder } from '../core/safe-fs.js';
import { oneLine } from '../core/text.js';

/** A pack file that is not as auditpack writes it: the pack was tampered with or damaged (exit 4). */
export class PackError extends UserError {
  constructor(message: string) {
    super(message, 4);
    this.name = 'PackError';
  }
}

const RESTORE = 'restore the pack from its original copy';

/**
 * Deepest nesting a pack's JSON may have. auditpack writes at most about a dozen levels (AWS policy documents
 * inside API responses); recursive code downstream (canonical JSON, rendering, JSON.stringify) must never meet a
 * document deep enough to overflow the stack.
 */
export const MAX_JSON_DEPTH = 64;

/** How deep `bytes` (JSON text) nests, scanning bytes once outside strings; stops counting past `limit`. */
export function jsonDepthExceeds(bytes: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/**
 * Parses a JSON record of a pack and validates it against one of the published schemas (schemas/NAME). Anything
 * else is a PackError naming the file and the first field that is wrong, in one line.
 */
export function parsePackJson<T>(path: string, bytes: Buffer, schema: string): T {
  if (jsonDepthExceeds(bytes, MAX_JSON_DEPTH)) throw new PackError(`${path}: nests deeper than ${MAX_JSON_DEPTH} levels, which auditpack never writes (fix: ${RESTORE})`);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new PackError(`${path}: not valid JSON: ${oneLine(errorMessage(err), 160)} (fix: ${RESTORE})`);
  }
  const validate = schemaValidator(schema);
  if (!validate(value)) {
    const error = validate.errors?.[0];
    const field = error ? errorPath(error).join('.') || '(document)' : '(document)';
    const problem = error ? oneLine(describeSchemaError(error).problem, 160) : 'is invalid';
    throw new PackError(`${path}: field "${field}": ${problem} (fix: ${RESTORE}; schema: schemas/${schema})`);
  }
  return value as T;
}

/** Reads a pack record as untrusted (no symlink, FIFO or device, bounded), then parses and validates it. */
export async function readPackRecord<T>(packDir: string, file: string, schema: string, maxBytes: number = LIMITS.recordBytes): Promise<T> {
  return parsePackJson<T>(join(packDir, file), await readPackBytes(packDir, file, maxBytes), schema);
}

/** Reads one file of a pack as untrusted; a missing file says what to do, any other problem is a PackError. */
export async function readPackBytes(packDir: string, file: string, maxBytes: number = LIMITS.packFileBytes, missingFix = RESTORE): Promise<Buffer> {
  try {
    return await readFileUnder(packDir, file, maxBytes);
  } catch (err) {
    if (!(err instanceof SafeFsError)) throw err;
    if (err.problem === 'missing') throw new UserError(`${join(packDir, file)}: missing (fix: ${missingFix})`, 4);
    throw new PackError(`${join(packDir, file)}: ${err.message.replace(/^[^:]*: /, '')} (fix: ${RESTORE})`);
  }
}
