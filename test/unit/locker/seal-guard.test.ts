import { mkdtemp, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest, writeManifest, type Manifest } from '../../../src/locker/pack.js';
import { PackError, jsonDepthExceeds } from '../../../src/locker/records.js';
import { withRollback } from '../../../src/locker/rollback.js';

const META: Omit<Manifest, 'schemaVersion' | 'files'> = {
  tool: { name: 'auditpack', version: '0.0.0' },
  run: { id: 'r1', startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:01:00.000Z', accounts: ['111111111111'], regions: ['us-east-1'] },
};

async function pack(): Promise<{ dir: string; verified: Manifest }> {
  const dir = await mkdtemp(join(tmpdir(), 'auditpack-guard-'));
  await mkdir(join(dir, 'evidence'), { recursive: true });
  await writeFile(join(dir, 'evidence', 'a.json'), '{"collectedAt":"2026-01-01T00:00:00.000Z"}');
  await writeFile(join(dir, 'results.json'), '{}');
  await writeManifest(dir, META);
  return { dir, verified: await readManifest(dir) };
}

/** A writer racing a command between its verification and its seal must not get its change sealed. */
describe('sealing a verified pack', () => {
  it('refuses a file changed, added or removed after verification, and seals what the command wrote', async () => {
    const cases: [string, (dir: string) => Promise<void>, RegExp][] = [
      ['changed', (d) => writeFile(join(d, 'evidence', 'a.json'), '{"collectedAt":"2026-01-01T00:00:00.000Z","x":1}'), /evidence\/a\.json: changed after the pack was verified/],
      ['added', (d) => writeFile(join(d, 'evidence', 'b.json'), '{}'), /evidence\/b\.json: appeared after the pack was verified/],
      ['removed', async (d) => (await import('node:fs/promises')).rm(join(d, 'evidence', 'a.json')), /evidence\/a\.json: disappeared after the pack was verified/],
    ];
    for (const [label, race, message] of cases) {
      const { dir, verified } = await pack();
      const manifestBefore = await readFile(join(dir, 'manifest.json'));
      await race(dir);
      const err = await writeManifest(dir, META, { verified, written: new Set(['results.json']), dropped: new Set() }).catch((e: unknown) => e);
      expect(err, label).toBeInstanceOf(PackError);
      expect((err as Error).message, label).toMatch(message);
      expect((await readFile(join(dir, 'manifest.json'))).equals(manifestBefore), label).toBe(true);
    }
    const { dir, verified } = await pack();
    await writeFile(join(dir, 'results.json'), '{"new":true}');
    const sealed = await writeManifest(dir, META, { verified, written: new Set(['results.json']), dropped: new Set() });
    expect(sealed.files.map((f) => f.path)).toEqual(['evidence/a.json', 'results.json']);
  });

  it('puts every file back when the work fails half-way', async () => {
    const { dir } = await pack();
    const manifest = await readFile(join(dir, 'manifest.json'));
    await writeFile(join(dir, 'report.html'), 'old report');
    const err = await withRollback(dir, ['manifest.json', 'report.html', 'report.pdf'], async () => {
      await writeFile(join(dir, 'manifest.json'), 'half-written');
      await writeFile(join(dir, 'report.pdf'), 'new');
      await (await import('node:fs/promises')).rm(join(dir, 'report.html'));
      throw new Error('render failed');
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('render failed');
    expect((await readFile(join(dir, 'manifest.json'))).equals(manifest)).toBe(true);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toBe('old report');
    await expect(readFile(join(dir, 'report.pdf'))).rejects.toThrow(/ENOENT/);
  });

  it('measures JSON depth outside strings only, in one pass', () => {
    expect(jsonDepthExceeds(Buffer.from('{"a":[[1]]}'), 3)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('{"a":[[[1]]]}'), 3)).toBe(true);
    expect(jsonDepthExceeds(Buffer.from(`{"a":"${'['.repeat(1000)}\\"["}`), 3)).toBe(false);
    expect(jsonDepthExceeds(Buffer.from('['.repeat(1_000_000)), 64)).toBe(true);
  });
});
