import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/core/json.js';
import { printJson } from '../../../src/cli/json-out.js';

describe('printJson', () => {
  it('prints canonicalJson\'s bytes in chunks, waiting for the stream to drain', async () => {
    const doc = { z: 1, a: Array.from({ length: 3000 }, (_, i) => ({ id: `r-${i}`, message: 'x'.repeat(500), status: i % 3 ? 'PASS' : 'FAIL' })) };
    const chunks: string[] = [];
    let drains = 0;
    const slow = new Writable({
      highWaterMark: 64 * 1024,
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString('utf8'));
        setImmediate(done);
      },
    });
    slow.on('drain', () => drains++);
    await printJson(doc, slow);
    expect(chunks.join('')).toBe(canonicalJson(doc));
    expect(chunks.length).toBeGreaterThan(1);
    expect(drains).toBeGreaterThan(0);
  });

  it('rejects instead of hanging when the reader goes away (a closed pipe)', async () => {
    const broken = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    broken.on('error', () => {});
    await expect(printJson({ a: 'x'.repeat(3 << 20) }, broken)).rejects.toThrow(/EPIPE/);
  });
});
