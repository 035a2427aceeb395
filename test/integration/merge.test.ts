import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLS_DIR } from '../../src/core/defaults.js';
import { DEMO_REGIONS, DEMO_ROLE } from '../../src/demo/estate.js';
import { MANIFEST, readManifest, writeManifest, type Manifest } from '../../src/locker/pack.js';
import type { RunRecord } from '../../src/locker/run-info.js';
import { SHARD_SCHEME, shardAccounts } from '../../src/pipeline/shard.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { cliInProcess, expectRefusal, type CliResult } from '../helpers/cli.js';
import { useSeededEstate } from '../helpers/estate.js';
import { comparable, growOrganisation, shardTestControls } from '../helpers/shard-estate.js';

/**
 * `run --shard I/N` + `auditpack merge` against a moto organisation of at least three accounts: the merged pack
 * verifies with the pinned key and its results equal one single-process run of the same organisation. Then the
 * attacks: a shard tampered after sealing, a shard given twice or missing, a shard of another population, a shard
 * assessed with another catalog, and signed shards that hold evidence outside their partition.
 */
const seeded = useSeededEstate('s3');
const run = (args: string[]): Promise<CliResult> => cliInProcess(args, { CI: 'true' });
const json = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;
const onlyChild = async (dir: string): Promise<string> => {
  const entries = (await readdir(dir)).filter((e) => !e.startsWith('.'));
  expect(entries, dir).toHaveLength(1);
  return join(dir, entries[0] as string);
};

describe('sharded run, then merge', () => {
  let work: string;
  let keys: string;
  let pub: string;
  let population: string[];
  let scope: string[];
  let whole: string;
  const shard: Record<number, string> = {};
  let merged: string;
  let mergeResult: CliResult;

  /** A copy of a pack, changed by `mutate` and sealed and signed again with the test's key: a shard producer that lies. */
  async function forged(from: string, name: string, mutate: (dir: string) => Promise<void>): Promise<string> {
    const dir = join(work, 'forged', name);
    await cp(from, dir, { recursive: true });
    const manifest: Manifest = await readManifest(dir);
    for (const f of ['manifest.sig', 'signature.json', 'report.html', 'report.html.sig', 'report.pdf']) await rm(join(dir, f), { force: true });
    await mutate(dir);
    const { signing: _signing, files: _files, schemaVersion: _v, ...meta } = manifest;
    await writeManifest(dir, meta);
    const signed = await run(['report', dir, '--keys', keys]);
    expect(signed.code, signed.stderr).toBe(0);
    return dir;
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'auditpack-merge-'));
    keys = join(work, 'keys');
    pub = join(keys, 'manifest-signing.pub.pem');
    expect((await run(['keys', 'generate', '--out', keys])).code).toBe(0);
    population = await growOrganisation(seeded.moto.endpoint, [seeded.estate.management, seeded.estate.member]);
    const controls = await shardTestControls();
    scope = ['--organization', '--role-name', DEMO_ROLE, '--regions', DEMO_REGIONS.join(','), '--max-attempts', '2', '--control', controls.join(','), '--fail-on', 'none', '--keys', keys];
    const single = await run(['run', ...scope, '--out', join(work, 'whole')]);
    expect(single.code, single.stderr).toBe(0);
    whole = await onlyChild(join(work, 'whole'));
    for (const index of [1, 2]) {
      const result = await run(['run', ...scope, '--shard', `${index}/2`, '--out', join(work, `shard-${index}`)]);
      expect(result.code, result.stderr).toBe(0);
      shard[index] = await onlyChild(join(work, `shard-${index}`));
      // The shards start more than a second apart, so the --max-spread 1s refusal below never depends on the pace.
      if (index === 1) await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
    // Given in reverse order: merge sorts by shard index.
    mergeResult = await run(['merge', '--out', join(work, 'merged'), '--keys', keys, '--public-key', pub, shard[2] as string, shard[1] as string]);
    expect(mergeResult.code, mergeResult.stderr).toBe(0);
    merged = await onlyChild(join(work, 'merged'));
  }, 600_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('records each shard: index, count, scheme, the sorted population, and exactly its partition', async () => {
    expect(population.length).toBeGreaterThanOrEqual(3);
    for (const index of [1, 2]) {
      const record = await json<RunRecord>(join(shard[index] as string, 'run.json'));
      expect(record.shard).toEqual({ index, count: 2, scheme: SHARD_SCHEME, population });
      expect(record.accounts).toEqual(shardAccounts(population, { index, count: 2 }));
      expect(record.accounts.length).toBeGreaterThan(0);
    }
  });

  it('gives the merged pack the organisation, the earliest start, the latest finish and the shards it came from', async () => {
    const record = await json<RunRecord>(join(merged, 'run.json'));
    const shards = await Promise.all([1, 2].map((i) => json<RunRecord>(join(shard[i] as string, 'run.json'))));
    expect(record.accounts).toEqual(population);
    expect(record.shard).toBeUndefined();
    expect(record.startedAt).toBe(shards.map((s) => s.startedAt).sort()[0]);
    expect(record.finishedAt).toBe(shards.map((s) => s.finishedAt).sort()[1]);
    const digests = await Promise.all([1, 2].map(async (i) => execFileSync('sha256sum', [join(shard[i] as string, MANIFEST)], { encoding: 'utf8' }).split(' ')[0]));
    expect(record.merged).toEqual(shards.map((s, i) => ({ runId: s.id, shard: i + 1, manifestSha256: digests[i] })));
  });

  it('copies every shard evidence file byte for byte', async () => {
    const manifest = await readManifest(merged);
    const evidence = manifest.files.filter((f) => f.path.startsWith('evidence/'));
    const fromShards = (await Promise.all([1, 2].map((i) => readManifest(shard[i] as string)))).flatMap((m) => m.files.filter((f) => f.path.startsWith('evidence/')));
    expect(evidence.map((f) => [f.path, f.sha256]).sort()).toEqual(fromShards.map((f) => [f.path, f.sha256]).sort());
  });

  it('has the results of one single-process run of the same organisation (apart from run id and times)', async () => {
    const single = await json<ResultsDocument>(join(whole, 'results.json'));
    const mergedResults = await json<ResultsDocument>(join(merged, 'results.json'));
    expect(single.controls.length).toBeGreaterThan(0);
    expect(single.controls.flatMap((c) => c.results).length).toBeGreaterThan(population.length);
    expect(comparable(mergedResults)).toEqual(comparable(single));
  });

  it('verifies with the pinned key, and pdfsig accepts its PDF', async () => {
    const verified = await run(['verify', merged, '--public-key', pub]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/pack verified/);
    const files = await readdir(merged);
    expect(files).toContain('report.pdf');
    expect(execFileSync('pdfsig', [join(merged, 'report.pdf')], { encoding: 'utf8' })).toContain('Signature is Valid.');
  });

  it('refuses a shard tampered after sealing', async () => {
    const copy = join(work, 'tampered');
    await cp(shard[1] as string, copy, { recursive: true });
    const evidence = (await readManifest(copy)).files.find((f) => f.path.startsWith('evidence/'));
    const path = join(copy, evidence?.path ?? 'missing');
    await writeFile(path, `${await readFile(path, 'utf8')} `);
    expectRefusal(await run(['merge', '--out', join(work, 'refused'), '--public-key', pub, copy, shard[2] as string]), 4, /refusing to merge a pack that does not verify/);
  });

  it('refuses the same shard twice, and a missing shard', async () => {
    expectRefusal(await run(['merge', '--out', join(work, 'refused'), '--public-key', pub, shard[1] as string, shard[1] as string]), 2, /shard 1\/2 is given twice/);
    expectRefusal(await run(['merge', '--out', join(work, 'refused'), '--public-key', pub, shard[2] as string]), 2, /shard 1\/2 is missing/);
  });

  it('refuses a shard of another account list', async () => {
    // Shard 2 of a population without the member account: same command otherwise, so only the population differs.
    const fewer = population.filter((a) => a !== seeded.estate.member);
    const other = await run(['run', ...scope.filter((a) => a !== '--organization'), '--accounts', fewer.join(','), '--shard', '2/2', '--out', join(work, 'other-org')]);
    expect(other.code, other.stderr).toBe(0);
    const result = await run(['merge', '--out', join(work, 'refused'), '--public-key', pub, shard[1] as string, await onlyChild(join(work, 'other-org'))]);
    expectRefusal(result, 2, /field "shard\.population": differs from .*shard-1/);
  }, 120_000);

  it('refuses a shard assessed with another catalog, and a merge with another catalog than the shards\'', async () => {
    const controls = join(work, 'other-controls');
    await cp(DEFAULT_CONTROLS_DIR, controls, { recursive: true });
    const file = join(controls, 's3', 's3-bucket-versioning.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^title: (.*)$/m, 'title: $1 (edited)'));
    const copy = join(work, 'other-catalog');
    await cp(shard[2] as string, copy, { recursive: true });
    expect((await run(['assess', copy, '--controls-dir', controls, '--public-key', pub, '--fail-on', 'none'])).code).toBe(0);
    expect((await run(['report', copy, '--keys', keys])).code).toBe(0);
    expectRefusal(await run(['merge', '--out', join(work, 'refused'), '--public-key', pub, shard[1] as string, copy]), 2, /field "catalog\.digest": differs/);
    expectRefusal(await run(['merge', '--out', join(work, 'refused'), '--controls-dir', controls, '--public-key', pub, shard[1] as string, shard[2] as string]), 2, /--controls-dir is sha256:/);
  });

  it('refuses a signed shard holding evidence of an account outside its partition', async () => {
    const second = await json<RunRecord>(join(shard[2] as string, 'run.json'));
    const foreign = second.accounts[0] as string;
    const extra = await forged(shard[1] as string, 'extra-evidence', async (dir) => {
      await cp(join(shard[2] as string, 'evidence', foreign), join(dir, 'evidence', foreign), { recursive: true });
    });
    expect((await run(['verify', extra, '--public-key', pub])).code).toBe(0);
    expectRefusal(await run(['merge', '--out', join(work, 'refused'), '--public-key', pub, extra, shard[2] as string]), 4, new RegExp(`evidence/${foreign}/.*not evidence of this shard`));
    // The same account claimed in run.json too: the shards overlap.
    const overlap = await forged(extra, 'overlap', async (dir) => {
      const record = await json<RunRecord>(join(dir, 'run.json'));
      await writeFile(join(dir, 'run.json'), JSON.stringify({ ...record, accounts: [...record.accounts, foreign].sort() }));
    });
    expectRefusal(await run(['merge', '--out', join(work, 'refused'), '--public-key', pub, overlap, shard[2] as string]), 4, new RegExp(`account ${foreign} is also in`));
    // A shard that dropped one of its accounts: its partition is incomplete.
    const dropped = await forged(shard[1] as string, 'dropped', async (dir) => {
      const record = await json<RunRecord>(join(dir, 'run.json'));
      const gone = record.accounts[0] as string;
      await writeFile(join(dir, 'run.json'), JSON.stringify({ ...record, accounts: record.accounts.slice(1) }));
      await rm(join(dir, 'evidence', gone), { recursive: true });
    });
    expectRefusal(await run(['merge', '--out', join(work, 'refused'), '--public-key', pub, dropped, shard[2] as string]), 4, /field "accounts": not shard 1\/2/);
    expect((await readdir(join(work, 'refused')).catch(() => [])).length).toBe(0);
  });

  it('refuses shards started further apart than --max-spread, and unsigned shards when a key is pinned', async () => {
    expectRefusal(await run(['merge', '--out', join(work, 'refused'), '--max-spread', '1s', '--public-key', pub, shard[1] as string, shard[2] as string]), 2, /field "startedAt".*not one audit period/);
    const unsigned = join(work, 'unsigned');
    await cp(shard[1] as string, unsigned, { recursive: true });
    expect((await run(['assess', unsigned, '--fail-on', 'none'])).code).toBe(0);
    expectRefusal(await run(['merge', '--out', join(work, 'refused'), '--public-key', pub, unsigned, shard[2] as string]), 4);
  });
});
