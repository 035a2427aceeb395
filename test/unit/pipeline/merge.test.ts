import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectors as allCollectors } from '../../../collectors/index.js';
import { loadCatalog, type Catalog } from '../../../src/catalog/load.js';
import { UserError } from '../../../src/core/errors.js';
import { TOOL_VERSION } from '../../../src/core/version.js';
import { manifestMeta, writeManifest, writePackJson } from '../../../src/locker/pack.js';
import type { RunRecord } from '../../../src/locker/run-info.js';
import { mergeShards } from '../../../src/pipeline/merge.js';
import { shardAccounts, shardRecord } from '../../../src/pipeline/shard.js';

/**
 * Every field two shards must agree on, one at a time, on synthetic sealed shard packs (no AWS, no evidence): the
 * merge refuses naming the pack and the field, before anything is written under --out.
 */
const POPULATION = ['111111111111', '222222222222', '333333333333', '444444444444', '555555555555', '666666666666'];
const COLLECTORS = allCollectors.filter((c) => c.id === 's3.buckets' || c.id === 'sns.topics');

let work: string;
let catalog: Catalog;
let counter = 0;

interface ShardOptions {
  index: number;
  count?: number;
  population?: string[];
  run?: (run: RunRecord) => RunRecord;
  files?: Record<string, string>;
}

/** A sealed shard pack with no evidence (every collector run missing: merge does not need evidence to check the set). */
async function shardPack(options: ShardOptions): Promise<string> {
  const count = options.count ?? 2;
  const population = options.population ?? POPULATION;
  const shard = { index: options.index, count };
  const dir = join(work, `pack-${++counter}`);
  await mkdir(dir, { recursive: true });
  const base: RunRecord = {
    schemaVersion: '1',
    id: `shard-${counter}`,
    startedAt: '2026-12-01T10:00:00.000Z',
    finishedAt: '2026-12-01T10:30:00.000Z',
    tool: { name: 'auditpack', version: TOOL_VERSION },
    accounts: shardAccounts(population, shard),
    regions: ['eu-west-1', 'us-east-1'],
    homeRegion: 'us-east-1',
    collectors: COLLECTORS.map((c) => ({ id: c.id, version: c.version, scope: c.scope, permissions: [...c.permissions].sort() })),
    evidenceSource: { source: 'api', configMaxAgeSeconds: 86_400 },
    controlIds: ['s3-bucket-versioning'],
    shard: shardRecord(population, shard),
  };
  const run = options.run ? options.run(base) : base;
  for (const [path, text] of Object.entries(options.files ?? {})) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  await writePackJson(dir, 'run.json', run);
  await writeManifest(dir, manifestMeta(run));
  return dir;
}

async function refusal(packs: string[], options: { maxSpreadSeconds?: number } = {}): Promise<UserError> {
  const out = join(work, `out-${++counter}`);
  const err = await mergeShards({ packs, out, catalog, ...options }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).message).not.toContain('\n');
  // Nothing is written under --out for a refused set.
  expect(await readdir(out).catch(() => [])).toEqual([]);
  return err as UserError;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'auditpack-merge-unit-'));
  catalog = await loadCatalog(undefined, allCollectors);
  // The fixture needs both shards non-empty.
  for (const index of [1, 2]) expect(shardAccounts(POPULATION, { index, count: 2 }).length).toBeGreaterThan(0);
}, 60_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('merge: the shard set', () => {
  it('merges a consistent set into the population\'s pack, recording the shards, and leaves no staging folder', async () => {
    const out = join(work, 'merged');
    const packs = [await shardPack({ index: 2, run: (r) => ({ ...r, startedAt: '2026-12-01T09:00:00.000Z' }) }), await shardPack({ index: 1 })];
    const merged = await mergeShards({ packs, out, catalog });
    expect(merged.run.accounts).toEqual(POPULATION);
    expect(merged.run.startedAt).toBe('2026-12-01T09:00:00.000Z');
    expect(merged.run.merged?.map((m) => m.shard)).toEqual([1, 2]);
    expect(merged.run.controlIds).toEqual(['s3-bucket-versioning']);
    expect(merged.results.run.accounts).toEqual(POPULATION);
    expect(merged.warnings.join(' ')).toMatch(/--public-key or --fingerprint/);
    expect(await readdir(out)).toEqual([merged.run.id]);
  });

  it.each<[string, ShardOptions, RegExp]>([
    ['shard count', { index: 2, count: 3 }, /field "shard\.count"/],
    ['population', { index: 2, population: POPULATION.slice(1) }, /field "shard\.population"/],
    ['regions', { index: 2, run: (r) => ({ ...r, regions: ['us-east-1'] }) }, /field "regions"/],
    ['home region', { index: 2, run: (r) => ({ ...r, homeRegion: 'eu-west-1' }) }, /field "homeRegion"/],
    ['collector version', { index: 2, run: (r) => ({ ...r, collectors: r.collectors.map((c, i) => (i === 0 ? { ...c, version: `${c.version}.1` } : c)) }) }, /field "collectors"/],
    ['collector permissions', { index: 2, run: (r) => ({ ...r, collectors: r.collectors.map((c, i) => (i === 0 ? { ...c, permissions: [...c.permissions, 's3:GetObject'] } : c)) }) }, /field "collectors"/],
    ['control selection', { index: 2, run: (r) => ({ ...r, controlIds: ['s3-bucket-versioning', 'sns-topic-encrypted'] }) }, /field "controlIds"/],
    ['control selection (all vs some)', { index: 2, run: ({ controlIds: _c, ...r }) => r }, /field "controlIds"/],
    ['evidence source', { index: 2, run: (r) => ({ ...r, evidenceSource: { source: 'config', configMaxAgeSeconds: 86_400 } }) }, /field "evidenceSource"/],
    ['tool version', { index: 2, run: (r) => ({ ...r, tool: { name: 'auditpack', version: '0.0.1' } }) }, /field "tool\.version"/],
    ['waivers', { index: 2, files: { 'waivers.yaml': 'waivers: []\n' } }, /field "waivers\.yaml"/],
    ['attestations', { index: 2, files: { 'attestations/records/a.json': '{}' } }, /field "attestations"/],
  ])('refuses a shard with another %s, naming the pack and the field', async (_name, second, pattern) => {
    const first = await shardPack({ index: 1 });
    const other = await shardPack(second);
    const err = await refusal([first, other]);
    expect(err.message).toMatch(pattern);
    expect(err.message.startsWith(other)).toBe(true);
    expect(err.exitCode).toBe(2);
  });

  it('refuses a pack that is not a shard, and a merged pack given as a shard', async () => {
    const plain = await shardPack({ index: 1, run: ({ shard: _s, ...r }) => r });
    expect((await refusal([plain, await shardPack({ index: 2 })])).message).toMatch(/field "run\.json shard": missing: this pack is not a shard/);
    const merged = await shardPack({ index: 1, run: (r) => ({ ...r, merged: [{ runId: 'x', shard: 1, manifestSha256: 'a'.repeat(64) }] }) });
    expect((await refusal([merged, await shardPack({ index: 2 })])).message).toMatch(/is itself a merge/);
  });

  it('refuses shards started further apart than the window', async () => {
    const late = await shardPack({ index: 2, run: (r) => ({ ...r, startedAt: '2026-12-03T10:00:01.000Z', finishedAt: '2026-12-03T11:00:00.000Z' }) });
    expect((await refusal([await shardPack({ index: 1 }), late])).message).toMatch(/field "startedAt".*more than 86400 s after/);
    const near = await shardPack({ index: 2, run: (r) => ({ ...r, startedAt: '2026-12-01T10:00:05.000Z' }) });
    expect((await refusal([await shardPack({ index: 1 }), near], { maxSpreadSeconds: 1 })).message).toMatch(/field "startedAt"/);
  });

  it('refuses a shard whose run.json accounts are not its partition, and an empty set', async () => {
    const wrong = await shardPack({ index: 2, run: (r) => ({ ...r, accounts: shardAccounts(POPULATION, { index: 1, count: 2 }) }) });
    const err = await refusal([await shardPack({ index: 1 }), wrong]);
    expect(err.message).toMatch(/account \d{12} is also in/);
    expect(err.exitCode).toBe(4);
    await expect(mergeShards({ packs: [], out: join(work, 'none'), catalog })).rejects.toThrow(/no shard packs given/);
  });
});
