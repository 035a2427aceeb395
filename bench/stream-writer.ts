import { rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { collectors } from '../collectors/index.js';
import { loadCatalog } from '../src/catalog/load.js';
import { canonicalJson } from '../src/core/json.js';
import { hashFileUnder } from '../src/core/safe-stream.js';
import { writeCanonicalJson } from '../src/core/stream-write.js';
import { buildResults } from '../src/results/build.js';
import { readJsonStreamUnder } from '../src/verify/stream-read.js';
import type { Figure } from './collect-evaluate.js';
import { syntheticPack } from './synthetic.js';

/**
 * results.json beyond what one JavaScript string may hold: a synthetic, schema-valid results document of about
 * `targetMB` MB serialized is written by the streamed canonical-JSON writer, hashed, read back as a stream, and then
 * given to the old one-string writer (canonicalJson), which must fail. Run on its own (it needs a large heap):
 *   node --max-old-space-size=6144 --import tsx bench/stream-writer.ts [MB]
 */
export async function benchStreamWriter(targetMB = 600): Promise<Figure[]> {
  const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
  const catalog = await loadCatalog(undefined, collectors);
  const template = buildResults(
    { id: 'bench', startedAt: '2026-10-01T00:00:00.000Z', finishedAt: '2026-10-01T00:10:00.000Z', tool: { name: 'auditpack', version: 'bench' }, accounts: ['123456789000', '123456789001'], regions: ['us-east-1'], catalog: { digest: catalog.digest, frameworks: catalog.frameworks.versions } },
    [],
    catalog.frameworks,
  );
  // Size one control's worth, then scale the results per control to reach the target.
  const probe = syntheticPack(1, 1000, template).results.controls[0];
  const perResult = Buffer.byteLength(canonicalJson(probe)) / 1000;
  const controls = 100;
  const perControl = Math.ceil((targetMB * 1024 * 1024) / perResult / controls);
  const { results } = syntheticPack(controls, perControl, template);
  const dir = await mkdtemp(join(tmpdir(), 'auditpack-bench-stream-'));
  const file = join(dir, 'results.json');
  const figures: Figure[] = [{ name: 'resource results', value: controls * perControl, unit: '' }];
  try {
    const rssBefore = process.memoryUsage().rss;
    figures.push({ name: 'RSS holding the results objects, before writing', value: mb(rssBefore), unit: 'MB' });
    let t = performance.now();
    const written = await writeCanonicalJson(file, results);
    figures.push({ name: 'streamed write of results.json (hashed as written)', value: Math.round(performance.now() - t), unit: 'ms' });
    figures.push({ name: 'results.json size', value: mb(written.bytes), unit: 'MB' });
    figures.push({ name: 'peak RSS after the streamed write (process peak so far)', value: mb(process.resourceUsage().maxRSS * 1024), unit: 'MB' });
    t = performance.now();
    const hashed = await hashFileUnder(dir, 'results.json', written.bytes);
    figures.push({ name: 'streamed re-hash (verify, seal)', value: Math.round(performance.now() - t), unit: 'ms' });
    if (hashed.sha256 !== written.sha256) throw new Error('re-hash differs from the digest computed while writing');
    t = performance.now();
    const back = await readJsonStreamUnder<typeof results>(dir, 'results.json', written, 'results.schema.json');
    figures.push({ name: 'streamed verified read + schema validation (diff, push)', value: Math.round(performance.now() - t), unit: 'ms' });
    if (back.controls.length !== controls || back.controls[controls - 1]?.results.length !== perControl) throw new Error('streamed read lost results');
    figures.push({ name: 'peak RSS after the streamed read (two copies of the results objects)', value: mb(process.resourceUsage().maxRSS * 1024), unit: 'MB' });
    t = performance.now();
    let old = 'wrote it';
    try {
      canonicalJson(results);
    } catch (err) {
      old = `${(err as Error).name}: ${(err as Error).message}`;
    }
    figures.push({ name: `old one-string writer (canonicalJson): ${old}, after`, value: Math.round(performance.now() - t), unit: 'ms' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchStreamWriter(Number(process.argv[2] ?? 600));
  figures.push({ name: 'peak RSS of this run', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MB' });
  process.stdout.write(`${figures.map((f) => `${f.name}: ${f.value} ${f.unit}`).join('\n')}\n`);
}
