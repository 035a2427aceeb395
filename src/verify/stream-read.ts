import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { parser, type Token } from 'stream-json/parser.js';
import { Assembler } from 'stream-json/assembler.js';
import { errorMessage } from '../core/errors.js';
import { fileChunksUnder, hashFileUnder } from '../core/safe-stream.js';
import { SafeFsError } from '../core/safe-fs.js';
import { describeSchemaError, errorPath, schemaValidator } from '../core/schema.js';
import { oneLine } from '../core/text.js';
import { MAX_JSON_DEPTH, PackError } from '../locker/records.js';

/**
 * A listed JSON file of a verified pack, read as a stream (stream-json's tokenizer and assembler): no single string
 * or buffer of the whole file is ever made, so results.json may be larger than the single-read limit
 * (LIMITS.packFileBytes) and than V8's longest string. The values it holds are built in memory.
 *
 * TOCTOU: the bytes are read once, through one descriptor opened with the checks of readFileUnder, and the very
 * same bytes feed the SHA-256 and the parser. The parsed value is returned only after the whole file was read and
 * its digest and size equal the manifest's, so no caller (a push!) ever acts on bytes the manifest does not vouch
 * for; a tampered file is refused with exit 4 and the partial value dropped.
 */

const RESTORE = 'restore the original pack';

export interface StreamedJsonExpectation {
  sha256: string;
  bytes: number;
}

/** Parses JSON text chunks into a value, refusing nesting deeper than MAX_JSON_DEPTH as it goes. */
function assemblingSink(label: string): { sink: Writable; result(): unknown } {
  const assembler = new Assembler();
  let depth = 0;
  const sink = new Writable({
    objectMode: true,
    write(token: Token, _encoding, done) {
      if (token.name === 'startObject' || token.name === 'startArray') {
        if (++depth > MAX_JSON_DEPTH) return done(new PackError(`${label}: nests deeper than ${MAX_JSON_DEPTH} levels, which auditpack never writes (fix: ${RESTORE})`));
      } else if (token.name === 'endObject' || token.name === 'endArray') depth--;
      assembler.consume(token);
      done();
    },
  });
  return { sink, result: () => (assembler.done ? assembler.current : undefined) };
}

/**
 * Reads `relPath` of the pack at `dir` as a stream, checks it against `expected` (size bound first, digest at the
 * end) and returns the parsed value validated against schemas/`schema`. Every failure is a one-line PackError.
 */
export async function readJsonStreamUnder<T>(dir: string, relPath: string, expected: StreamedJsonExpectation, schema: string): Promise<T> {
  const label = join(dir, relPath);
  let file;
  try {
    file = await fileChunksUnder(dir, relPath, expected.bytes);
  } catch (err) {
    if (err instanceof SafeFsError) throw new PackError(`${label}: ${err.problem === 'too-large' ? 'changed since the pack was verified (larger than the manifest lists)' : err.message.replace(/^[^:]*: /, '')} (fix: ${RESTORE})`);
    throw err;
  }
  const { sink, result } = assemblingSink(label);
  try {
    await pipeline(Readable.from(file.chunks), parser.asStream({ packValues: true, streamValues: false, ignoreBOM: true }), sink);
  } catch (err) {
    if (err instanceof PackError) throw err;
    if (err instanceof SafeFsError) throw new PackError(`${label}: changed while being read (fix: ${RESTORE})`);
    // Invalid JSON: say so only if the bytes are the sealed ones; otherwise the file was changed, and that is the news.
    const digest = await hashFileUnder(dir, relPath, expected.bytes).catch(() => undefined);
    if (digest?.sha256 !== expected.sha256 || digest.bytes !== expected.bytes) throw new PackError(`${label}: changed while being read (fix: ${RESTORE})`);
    throw new PackError(`${label}: not valid JSON: ${oneLine(errorMessage(err), 160)} (fix: ${RESTORE})`);
  }
  const digest = file.digest();
  if (digest.sha256 !== expected.sha256 || digest.bytes !== expected.bytes) throw new PackError(`${label}: changed while being read (fix: ${RESTORE})`);
  const value = result();
  if (value === undefined) throw new PackError(`${label}: not valid JSON: no value (fix: ${RESTORE})`);
  const validate = schemaValidator(schema);
  if (!validate(value)) {
    const error = validate.errors?.[0];
    const field = error ? errorPath(error).join('.') || '(document)' : '(document)';
    const problem = error ? oneLine(describeSchemaError(error).problem, 160) : 'is invalid';
    throw new PackError(`${label}: field "${field}": ${problem} (fix: ${RESTORE}; schema: schemas/${schema})`);
  }
  return value as T;
}
