import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_VERSION } from '../../src/core/version.js';
import { DEMO_ROLE } from '../../src/demo/estate.js';
import { writeIncompleteMarker, type IncompleteMarker } from '../../src/locker/incomplete.js';
import type { RunRecord } from '../../src/locker/run-info.js';
import { resumeCollect } from '../../src/pipeline/resume.js';
import { shardAccounts, shardRecord } from '../../src/pipeline/shard.js';
import { verifyPack } from '../../src/verify/verify.js';
import { useMoto } from '../helpers/moto.js';
import { SHARD_TEST_COLLECTORS } from '../helpers/shard-estate.js';

/**
 * A shard interrupted before anything was collected (its marker written, nothing else), then resumed: the resume
 * keeps the shard (run.json records it), audits exactly the accounts of its partition, refuses a different
 * --shard, and refuses a marker whose accounts are not the partition it claims (a planted or edited marker would
 * otherwise make the merge lose accounts, or audit some twice).
 */
const moto = useMoto();
/** moto's default caller, and member accounts reached through the role (moto makes any account on AssumeRole). */
const CALLER = '123456789012';
const POPULATION = [CALLER, '210987654321', '333333333333', '444444444444', '555555555555', '666666666666'].sort();
const SHARD = { index: 2, count: 3 };

describe('resuming an interrupted shard', () => {
  let work: string;
  const marker = (accounts: string[]): IncompleteMarker => ({
    schemaVersion: '1',
    runId: 'shard-resume-test',
    startedAt: new Date().toISOString(),
    tool: { name: 'auditpack', version: TOOL_VERSION },
    caller: CALLER,
    accounts,
    organization: true,
    regions: ['us-east-1'],
    homeRegion: 'us-east-1',
    roleName: DEMO_ROLE,
    collectors: SHARD_TEST_COLLECTORS.map((c) => ({ id: c.id, version: c.version, scope: c.scope })),
    evidenceSource: { source: 'api', configMaxAgeSeconds: 86_400 },
    shard: shardRecord(POPULATION, SHARD),
  });
  const interrupted = async (name: string, accounts: string[]): Promise<string> => {
    const dir = join(work, name);
    await writeIncompleteMarker(dir, marker(accounts));
    return dir;
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'auditpack-shard-resume-'));
  });
  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('keeps the shard and audits exactly its partition', async () => {
    const part = shardAccounts(POPULATION, SHARD);
    expect(part.length).toBeGreaterThan(0);
    const dir = await interrupted('ok', part);
    // --shard auto/3 needs the engine's index: without it the resume is refused before anything changes.
    await expect(resumeCollect({ pack: dir, endpoint: moto.endpoint, available: SHARD_TEST_COLLECTORS, shard: { index: 'auto', count: 3 } })).rejects.toThrow(/AWS_BATCH_JOB_ARRAY_INDEX/);
    const resumed = await resumeCollect({ pack: dir, endpoint: moto.endpoint, maxAttempts: 2, available: SHARD_TEST_COLLECTORS, shard: SHARD });
    const run = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as RunRecord;
    expect(run.shard).toEqual({ index: 2, count: 3, scheme: 'sha256-mod-v1', population: POPULATION });
    expect(run.accounts).toEqual(part);
    expect(resumed.summary).toBeDefined();
    const { checks } = await verifyPack(dir, { allowUnsigned: true });
    expect(checks.filter((c) => !c.ok)).toEqual([]);
  });

  it('refuses another --shard than the interrupted run\'s', async () => {
    const dir = await interrupted('other-shard', shardAccounts(POPULATION, SHARD));
    await expect(resumeCollect({ pack: dir, endpoint: moto.endpoint, available: SHARD_TEST_COLLECTORS, shard: { index: 1, count: 3 } })).rejects.toThrow(/--shard: the interrupted run .* covers shard 2\/3/);
  });

  it('refuses a marker whose accounts are not its shard\'s partition', async () => {
    const part = shardAccounts(POPULATION, SHARD);
    const other = POPULATION.filter((a) => !part.includes(a));
    for (const [name, accounts] of [
      ['extra', [...part, other[0] as string].sort()],
      ['foreign', other.slice(0, 1)],
      ...(part.length > 1 ? [['missing', part.slice(1)] as const] : []),
    ] as const) {
      const dir = await interrupted(`bad-${name}`, [...accounts]);
      await expect(resumeCollect({ pack: dir, endpoint: moto.endpoint, available: SHARD_TEST_COLLECTORS })).rejects.toThrow(/field "accounts": not shard 2\/3 of its population/);
    }
  });
});
