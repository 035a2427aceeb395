import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalJsonArrayChunks, canonicalJsonChunks, canonicalJsonSha256 } from '../../../src/core/json.js';
import { writeCanonicalJson, writeStreamAtomic } from '../../../src/core/stream-write.js';
import { prng } from '../../helpers/prng.js';

/**
 * The streamed canonical-JSON writer must give exactly canonicalJson's bytes (results.json and the OSCAL document
 * are compared byte for byte across versions), whatever the value and wherever the chunks are cut.
 */

const STRINGS = ['', 'a', 'é', '日本語', '😀', '\ud83d', '\ude00', 'a\ud800b', '"', '\\', '\n\r\t\b\f', '\u0000\u001f\u007f', '\u2028\u2029', '</script>', 'x'.repeat(300), '{"a":1}'];
const NUMBERS = [0, -0, 1, -1, 0.1, 1e21, 1e-7, -1.5e-300, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity, 123456789.12345679, 2 ** 53 + 2];
const KEYS = ['a', 'b', 'B', '_', 'é', '0', '1', '2', '10', '01', '-1', '1.5', '4294967294', '4294967295', '9007199254740993', '', ' ', '__proto__', 'constructor', 'toString', 'z😀', 'aa', 'a\u0000'];

/** A random value of the shapes results.json and OSCAL hold, plus the awkward cases canonicalJson meets. */
function randomValue(next: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const roll = next();
  if (depth > 5 || roll < 0.35) {
    const kind = Math.floor(next() * 9);
    if (kind === 0) return pick(STRINGS);
    if (kind === 1) return pick(NUMBERS);
    if (kind === 2) return next() < 0.5;
    if (kind === 3) return null;
    if (kind === 4) return undefined;
    if (kind === 5) return new Date(Date.UTC(2026, 0, 1) + Math.floor(next() * 1e9));
    if (kind === 6) return BigInt(Math.floor(next() * 1e6));
    if (kind === 7) return String.fromCharCode(...Array.from({ length: 8 }, () => Math.floor(next() * 0x10000)));
    return Math.floor(next() * 1e9) / 7;
  }
  const size = Math.floor(next() * 6);
  if (roll < 0.65) return Array.from({ length: size }, () => randomValue(next, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) {
    const key = pick(KEYS);
    // An own "__proto__" property, as JSON.parse makes one (a plain assignment would set the prototype).
    Object.defineProperty(out, key, { value: randomValue(next, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

const joined = (value: unknown, chunkChars?: number): string => [...canonicalJsonChunks(value, chunkChars)].join('');

describe('canonicalJsonChunks', () => {
  it('gives canonicalJson bytes for 2,000 random nested values, however the chunks are cut', () => {
    const next = prng(20261201);
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(next, 0);
      if (value === undefined) continue; // not a document: refused (below), where canonicalJson writes "undefined"
      const expected = canonicalJson(value);
      for (const size of [1, 7, 64, undefined]) expect(joined(value, size), `case ${i}, chunks of ${size ?? 'default'}`).toBe(expected);
    }
  });

  it('matches on the edge cases one by one: key order of index-like keys, __proto__, holes, functions, symbols, boxed values', () => {
    const parsed = JSON.parse('{"__proto__":{"x":1},"b":[1,{"__proto__":2}],"10":1,"2":2,"a":0,"01":3}') as unknown;
    const sparse: unknown[] = [1];
    sparse[3] = 2;
    const cases: unknown[] = [
      parsed,
      sparse,
      { f: () => 1, s: Symbol('s'), u: undefined, n: null, arr: [() => 1, Symbol('t'), undefined] },
      [new Date(0), 10n, { d: new Date(86_400_000) }],
      { boxed: [new String('ab'), new Number(3), new Boolean(false)] },
      new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
      {},
      [],
      [[], {}, [[]], { a: {} }],
      'top-level string',
      42,
      null,
      Object.create(null) as object,
      Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 }),
    ];
    for (const value of cases) expect(joined(value, 3)).toBe(canonicalJson(value));
  });

  it('writes an array from items that come one by one (a generator) as canonicalJson of the whole array', () => {
    const next = prng(99);
    for (let i = 0; i < 300; i++) {
      const items = Array.from({ length: Math.floor(next() * 6) }, () => randomValue(next, 1));
      function* oneByOne(): Generator<unknown> {
        yield* items;
      }
      expect([...canonicalJsonArrayChunks(oneByOne(), 5)].join(''), `case ${i}`).toBe(canonicalJson(items));
    }
  });

  it('refuses a top-level value that is no JSON document (canonicalJson would write the text "undefined")', () => {
    for (const value of [undefined, () => 1, Symbol('s')]) expect(() => joined(value)).toThrow(TypeError);
  });

  it('never holds more than about one chunk of text: no chunk is much longer than the chunk size', () => {
    const results = Array.from({ length: 20_000 }, (_, i) => ({ resourceId: `arn:aws:s3:::bucket-${i}`, status: i % 3 ? 'PASS' : 'FAIL', message: `bucket ${i} ${'é'.repeat(i % 50)}`, evidence: [`sha256:${'ab'.repeat(32)}`] }));
    const chunkChars = 4096;
    let longest = 0;
    let total = 0;
    for (const chunk of canonicalJsonChunks({ controls: [{ id: 'c', results }] }, chunkChars)) {
      longest = Math.max(longest, chunk.length);
      total += chunk.length;
    }
    expect(total).toBe(canonicalJson({ controls: [{ id: 'c', results }] }).length);
    expect(total).toBeGreaterThan(100 * chunkChars);
    // A chunk is handed on once it reaches the size; it can overrun by at most one scalar and its framing.
    expect(longest).toBeLessThan(chunkChars + 400);
  });

  it('hashes to the SHA-256 of canonicalJson', () => {
    const value = randomValue(prng(7), 0);
    expect(canonicalJsonSha256(value)).toBe(createHash('sha256').update(canonicalJson(value)).digest('hex'));
  });
});

describe('writeCanonicalJson', () => {
  it('writes canonicalJson bytes atomically and reports their SHA-256 and size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-jsonstream-'));
    const value = { b: [1, 'é😀', { z: null, a: new Date(0) }], a: 'x'.repeat(3_000_000) };
    const file = join(dir, 'nested', 'results.json');
    const written = await writeCanonicalJson(file, value);
    const bytes = await readFile(file);
    expect(bytes.toString('utf8')).toBe(canonicalJson(value));
    expect(written).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
    expect(await readdir(join(dir, 'nested'))).toEqual(['results.json']);
  });

  it('leaves the previous file untouched and no temporary file when the value fails half-way', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-jsonstream-'));
    const file = join(dir, 'results.json');
    await writeFile(file, 'previous\n');
    const big = Array.from({ length: 200_000 }, (_, i) => ({ i, text: 'y'.repeat(20) }));
    // A getter that throws once most of the document was written (well past the first flush to disk).
    const hostile = { a: big, get z(): never {
      throw new Error('boom');
    } };
    await expect(writeCanonicalJson(file, hostile)).rejects.toThrow('boom');
    expect(await readFile(file, 'utf8')).toBe('previous\n');
    expect(await readdir(dir)).toEqual(['results.json']);
  });

  it('removes its temporary file when the chunk source fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-jsonstream-'));
    const file = join(dir, 'out.csv');
    async function* failing(): AsyncGenerator<string> {
      yield 'a,b\r\n';
      throw new Error('source failed');
    }
    await expect(writeStreamAtomic(file, failing())).rejects.toThrow('source failed');
    expect(await readdir(dir)).toEqual([]);
  });
});
