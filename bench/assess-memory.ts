import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { collectors } from '../collectors/index.js';
import { loadCatalog } from '../src/catalog/load.js';
import { sha256Hex } from '../src/core/fs.js';
import { evaluateControl } from '../src/evaluate/evaluate.js';
import { EvidenceIndex } from '../src/evaluate/evidence-index.js';
import { parseEvidenceRecord } from '../src/locker/evidence-record.js';
import { manifestMeta, writeManifest } from '../src/locker/pack.js';
import { RUN_FILE, type RunRecord } from '../src/locker/run-info.js';
import { assessPack, evaluateByAccount, selectControls } from '../src/pipeline/assess.js';
import { openVerifiedPack } from '../src/verify/open-pack.js';

/**
 * Peak memory of assessment as the organisation grows: a sealed pack is cloned into `accounts` accounts (each a copy
 * of one of the source pack's accounts, account ids rewritten), then assessed in one of two ways, each in its own
 * process so the peak is its own:
 *   by-account  assessPack as shipped: one account's evidence in memory at a time, outputs written;
 *   by-account-eval  its evaluation alone (evaluateByAccount), comparable with `whole`;
 *   whole       the previous shape: every evidence record loaded into one EvidenceIndex, then every control
 *               evaluated over it (evaluation only, no outputs written: a lower bound of the old peak).
 *   node --import tsx bench/assess-memory.ts SOURCE_PACK ACCOUNTS by-account|by-account-eval|whole
 */

async function clonePack(source: string, accounts: number): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'auditpack-bench-assess-')), 'pack');
  await cp(source, dir, { recursive: true });
  const run = JSON.parse(await readFile(join(dir, RUN_FILE), 'utf8')) as RunRecord;
  const originals = run.accounts;
  for (const name of await readdir(dir)) if (!['evidence', RUN_FILE].includes(name)) await rm(join(dir, name), { recursive: true, force: true });
  const ids = Array.from({ length: accounts }, (_, i) => String(100_000_000_000 + i));
  for (const [i, id] of ids.entries()) {
    const from = originals[i % originals.length] as string;
    const files = (await readdir(join(source, 'evidence', from), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    for (const f of files) {
      const rel = join(f.parentPath ?? f.path, f.name).slice(join(source, 'evidence', from).length + 1);
      const text = (await readFile(join(source, 'evidence', from, rel), 'utf8')).replaceAll(from, id);
      await cp(join(source, 'evidence', from, rel), join(dir, 'evidence', id, rel)); // makes the folders
      await writeFile(join(dir, 'evidence', id, rel), text);
    }
  }
  for (const from of originals) await rm(join(dir, 'evidence', from), { recursive: true, force: true });
  const cloned: RunRecord = { ...run, accounts: ids };
  await writeFile(join(dir, RUN_FILE), `${JSON.stringify(cloned, null, 2)}\n`);
  await writeManifest(dir, manifestMeta(cloned));
  return dir;
}

async function whole(dir: string): Promise<number> {
  const pack = await openVerifiedPack(dir, { purpose: 'assess' });
  const run = await pack.readJson<RunRecord>(RUN_FILE, 'run.schema.json');
  const catalog = await loadCatalog(undefined, collectors);
  const index = new EvidenceIndex();
  for (const account of run.accounts) {
    for (const c of run.collectors) {
      for (const region of c.scope === 'account' ? ['global'] : run.regions) {
        const path = `evidence/${account}/${region}/${c.id}.json`;
        if (!pack.has(path)) continue;
        const bytes = await pack.read(path);
        index.add({ record: parseEvidenceRecord(join(dir, path), bytes, { account, region, collector: c.id }), path, sha256: sha256Hex(bytes) });
      }
    }
  }
  const scopes = new Map(run.collectors.map((c) => [c.id, c.scope] as const));
  const outcomes = selectControls(catalog, run.controlIds).map((control) => evaluateControl(control, index, run, scopes));
  return outcomes.reduce((n, o) => n + o.results.length, 0);
}

/** Evaluation only, as assessPack does it (one account's evidence at a time): comparable with `whole`. */
async function byAccountEvaluation(dir: string): Promise<number> {
  const pack = await openVerifiedPack(dir, { purpose: 'assess' });
  const run = await pack.readJson<RunRecord>(RUN_FILE, 'run.schema.json');
  const catalog = await loadCatalog(undefined, collectors);
  const { outcomes } = await evaluateByAccount(pack, run, selectControls(catalog, run.controlIds), {});
  return outcomes.reduce((n, o) => n + o.results.length, 0);
}

async function main(): Promise<void> {
  const [source, count, mode] = process.argv.slice(2) as [string, string, string];
  const dir = await clonePack(source, Number(count));
  const t = performance.now();
  const results = mode === 'whole' ? await whole(dir) : mode === 'by-account-eval' ? await byAccountEvaluation(dir) : (await assessPack(dir)).controls.reduce((n, c) => n + c.results.length, 0);
  const ms = Math.round(performance.now() - t);
  process.stdout.write(`${mode} accounts=${count} results=${results} ms=${ms} peakRSS=${Math.round(process.resourceUsage().maxRSS / 1024)}MB heapUsed=${Math.round(process.memoryUsage().heapUsed / 1048576)}MB\n`);
  await rm(join(dir, '..'), { recursive: true, force: true });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
