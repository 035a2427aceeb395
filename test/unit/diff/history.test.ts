import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { loadHistory } from '../../../src/diff/history.js';
import { readAssessedPack } from '../../../src/diff/pack-input.js';
import { control, result, results, sealedPack } from './fixtures.js';

async function writePack(dir: string, files: Record<string, string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
}

const AT = '2026-01-01T00:00:00.000Z';

describe('loadHistory', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auditpack-history-'));
    // Directory names sort opposite to run time: the order must come from run.startedAt.
    await sealedPack(join(dir, 'a-latest'), AT, { 'results.json': JSON.stringify(results('run-3', '2026-11-01T00:00:00.000Z', [control('c', [result('x', 'FAIL')])], 25)) });
    await sealedPack(join(dir, 'b-first'), AT, { 'results.json': JSON.stringify(results('run-1', '2026-05-01T00:00:00.000Z', [control('c', [result('x', 'PASS')])], 100)) });
    await sealedPack(join(dir, 'c-middle'), AT, { 'results.json': JSON.stringify(results('run-2', '2026-08-01T00:00:00.000Z', [], null)) });
    await sealedPack(join(dir, 'd-broken-json'), AT, { 'results.json': '{"run": ' });
    await sealedPack(join(dir, 'e-not-results'), AT, { 'results.json': '{"hello": "world"}' });
    await writePack(join(dir, 'f-bad-manifest'), { 'manifest.json': 'not json', 'results.json': JSON.stringify(results('run-x', '2026-01-01T00:00:00.000Z', [])) });
    // Tampered after sealing: left out of the trend with a warning, never read.
    await sealedPack(join(dir, 'f2-tampered'), AT, { 'results.json': JSON.stringify(results('run-t', '2026-09-01T00:00:00.000Z', [], 0)) });
    await writeFile(join(dir, 'f2-tampered', 'results.json'), JSON.stringify(results('run-t', '2026-09-01T00:00:00.000Z', [], 100)));
    await writePack(join(dir, 'g-collected-only'), { 'run.json': '{}' });
    await writePack(join(dir, 'demo-keys'), { 'manifest-signing.pub.pem': 'x' });
    await writeFile(join(dir, 'notes.txt'), 'not a pack');
  });

  it('returns one point per readable pack, oldest run first', async () => {
    const { points } = await loadHistory(dir);
    expect(points.map((p) => [p.runId, p.startedAt, p.score])).toEqual([
      ['run-1', '2026-05-01T00:00:00.000Z', 100],
      ['run-2', '2026-08-01T00:00:00.000Z', null],
      ['run-3', '2026-11-01T00:00:00.000Z', 25],
    ]);
    expect(points[2]!.byStatus).toMatchObject({ FAIL: 1, PASS: 0, ERROR: 0 });
  });

  it('skips broken packs with one warning each, and ignores directories that are not packs', async () => {
    const { warnings } = await loadHistory(dir);
    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toMatch(/^skipped .*d-broken-json: .*results\.json: not valid JSON/);
    expect(warnings[1]).toMatch(/^skipped .*e-not-results: .*results\.json: field .*is required but missing/);
    expect(warnings[2]).toMatch(/^skipped .*f-bad-manifest: .*manifest\.json: not valid JSON/);
    expect(warnings[3]).toMatch(/^skipped .*f2-tampered: .*results\.json: modified/);
  });

  it('is an empty trend for an empty directory, and a one-line user error for a missing one', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'auditpack-history-empty-'));
    expect(await loadHistory(empty)).toEqual({ points: [], warnings: [] });
    const missing = join(empty, 'nope');
    await expect(loadHistory(missing)).rejects.toThrow(UserError);
    await expect(loadHistory(missing)).rejects.toThrow(new RegExp(`^${missing}: cannot read history directory`));
  });
});

describe('readAssessedPack', () => {
  it('names the path when the directory is not a pack or not assessed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-pack-input-'));
    await expect(readAssessedPack(join(dir, 'missing'))).rejects.toThrow(/missing: no such directory/);
    await sealedPack(join(dir, 'collected'), AT, {});
    await expect(readAssessedPack(join(dir, 'collected'))).rejects.toThrow(/collected\/results\.json: no results in this pack/);
  });
});
