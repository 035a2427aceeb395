import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/core/json.js';
import { hashFileUnder } from '../../../src/core/safe-stream.js';
import { PackError } from '../../../src/locker/records.js';
import { readJsonStreamUnder } from '../../../src/verify/stream-read.js';

/** The streamed reader of pack JSON: same value as JSON.parse, and every hostile file refused in one line, exit 4. */

const expectation = (text: string | Buffer) => ({ sha256: createHash('sha256').update(text).digest('hex'), bytes: Buffer.byteLength(text) });

/** A minimal document valid against schemas/securityhub-pushed.schema.json (small and strict). */
function pushRecord(findings = 0): unknown {
  return {
    schemaVersion: '1',
    runId: '20260101T000000Z-abcdef',
    manifestSha256: 'a'.repeat(64),
    pushedAt: '2026-01-01T00:00:00.000Z',
    findings: Array.from({ length: findings }, (_, i) => ({
      id: `auditpack/c/123456789012/us-east-1/${i.toString(16).padStart(24, '0')}`,
      account: '123456789012',
      region: 'us-east-1',
      productArn: 'arn:aws:securityhub:us-east-1:123456789012:product/123456789012/default',
      generatorId: 'auditpack/c',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      recordState: 'ACTIVE',
      waived: false,
      resourceType: 'AwsS3Bucket',
      resourceId: `arn:aws:s3:::b${i} é😀 "quoted" \\ \n`,
      title: 'title',
    })),
  };
}

async function packWith(name: string, content: string | Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'auditpack-streamread-'));
  await writeFile(join(dir, name), content);
  return dir;
}

const SCHEMA = 'securityhub-pushed.schema.json';

describe('readJsonStreamUnder', () => {
  it('returns what JSON.parse returns, for a document spread over many read chunks', async () => {
    const text = canonicalJson(pushRecord(6000));
    expect(text.length).toBeGreaterThan(3 * 1024 * 1024); // several 1 MiB reads, multi-byte characters across their edges
    const dir = await packWith('doc.json', text);
    expect(await readJsonStreamUnder(dir, 'doc.json', expectation(text), SCHEMA)).toEqual(JSON.parse(text));
  });

  it('refuses bytes that do not hash to the expected value, even valid and schema-valid ones', async () => {
    const sealed = canonicalJson(pushRecord(3));
    const swapped = sealed.replace('"waived": false', '"waived": true '); // same length
    expect(swapped.length).toBe(sealed.length);
    const dir = await packWith('doc.json', swapped);
    await expect(readJsonStreamUnder(dir, 'doc.json', expectation(sealed), SCHEMA)).rejects.toThrow(/doc\.json: changed while being read/);
  });

  it('refuses a file larger than the manifest lists before reading it', async () => {
    const sealed = canonicalJson(pushRecord(1));
    const dir = await packWith('doc.json', `${sealed}${' '.repeat(10)}`);
    await expect(readJsonStreamUnder(dir, 'doc.json', expectation(sealed), SCHEMA)).rejects.toThrow(/larger than the manifest lists/);
  });

  it('refuses nesting deeper than 64 levels as it parses (a stack bomb never reaches the assembler whole)', async () => {
    const bomb = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const dir = await packWith('doc.json', bomb);
    const err = await readJsonStreamUnder(dir, 'doc.json', expectation(bomb), SCHEMA).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PackError);
    expect((err as PackError).message).toMatch(/nests deeper than 64 levels/);
    expect((err as PackError).message).not.toContain('\n');
  });

  it('says "not valid JSON" for sealed bytes that do not parse (truncated, trailing garbage, a BOM), and names the field a schema refuses', async () => {
    for (const bad of ['{"a": 1', '{"a": 1} x', '\ufeff{}', '', '{"a": tru}']) {
      const dir = await packWith('doc.json', bad);
      await expect(readJsonStreamUnder(dir, 'doc.json', expectation(bad), SCHEMA), JSON.stringify(bad)).rejects.toThrow(/not valid JSON/);
    }
    const wrong = canonicalJson({ ...(pushRecord(0) as object), schemaVersion: '2' });
    const dir = await packWith('doc.json', wrong);
    await expect(readJsonStreamUnder(dir, 'doc.json', expectation(wrong), SCHEMA)).rejects.toThrow(/field "schemaVersion"/);
  });

  it('refuses a symlink and a FIFO without following or blocking', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-streamread-'));
    const text = canonicalJson(pushRecord(0));
    await writeFile(join(dir, 'real.json'), text);
    await symlink(join(dir, 'real.json'), join(dir, 'link.json'));
    await expect(readJsonStreamUnder(dir, 'link.json', expectation(text), SCHEMA)).rejects.toThrow(/symbolic link/);
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    await expect(readJsonStreamUnder(dir, 'fifo.json', expectation(text), SCHEMA)).rejects.toThrow(/not a regular file/);
    await mkdir(join(dir, 'sub'));
    await symlink(dir, join(dir, 'sub', 'loop'));
    await expect(readJsonStreamUnder(dir, 'sub/loop/real.json', expectation(text), SCHEMA)).rejects.toThrow(/goes through a symbolic link/);
    await expect(readJsonStreamUnder(dir, '../real.json', expectation(text), SCHEMA)).rejects.toThrow(/leaves its folder/);
  });
});

describe('hashFileUnder', () => {
  it('hashes in chunks to the SHA-256 and size of the whole file', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 0xab);
    const dir = await packWith('big.bin', data);
    expect(await hashFileUnder(dir, 'big.bin', data.length)).toEqual(expectation(data));
    await expect(hashFileUnder(dir, 'big.bin', data.length - 1)).rejects.toThrow(/more than the limit/);
  });
});
