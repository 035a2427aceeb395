import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { INCOMPLETE_FILE, incompleteState, readIncompleteMarker, removeIncompleteMarker, writeIncompleteMarker, type IncompleteMarker } from '../../../src/locker/incomplete.js';
import { MANIFEST, PackError, readManifest, writeManifest, writePackJson } from '../../../src/locker/pack.js';
import { verifyPack } from '../../../src/verify/verify.js';
import { openVerifiedPack } from '../../../src/verify/open-pack.js';

const A = '111111111111';
const B = '222222222222';

function marker(overrides: Partial<IncompleteMarker> = {}): IncompleteMarker {
  return {
    schemaVersion: '1',
    runId: '20260101T000000Z-abcdef',
    startedAt: '2026-01-01T00:00:00.000Z',
    tool: { name: 'auditpack', version: '0.1.0' },
    caller: A,
    accounts: [A, B],
    regions: ['eu-west-1', 'us-east-1'],
    homeRegion: 'us-east-1',
    roleName: 'AuditpackReadOnly',
    collectors: [
      { id: 'iam.account-summary', version: '1', scope: 'account' },
      { id: 'kms.keys', version: '1', scope: 'region' },
    ],
    ...overrides,
  };
}

async function packWith(m: IncompleteMarker = marker()): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'auditpack-incomplete-'));
  await writeIncompleteMarker(dir, m);
  return dir;
}

/** A UserError's message and exit code, or a failure when `work` does not throw one. */
async function refusal(work: () => Promise<unknown>): Promise<{ message: string; code: number }> {
  try {
    await work();
  } catch (err) {
    if (err instanceof UserError) return { message: err.message, code: err.exitCode };
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('the incomplete marker', () => {
  it('round-trips, and counts the planned runs already recorded (and only those)', async () => {
    const dir = await packWith();
    expect(await readIncompleteMarker(dir)).toEqual(marker());
    await writePackJson(dir, `evidence/${A}/global/iam.account-summary.json`, { any: 'thing' });
    await writePackJson(dir, `evidence/${B}/eu-west-1/kms.keys.json`, {});
    // Not in the plan: another account, a region-scope collector under global, an unknown collector.
    await writePackJson(dir, `evidence/333333333333/global/iam.account-summary.json`, {});
    await writePackJson(dir, `evidence/${A}/global/kms.keys.json`, {});
    await writePackJson(dir, `evidence/${A}/us-east-1/s3.buckets.json`, {});
    // 2 accounts x (1 account-scope + 1 region-scope x 2 regions)
    expect(await incompleteState(dir)).toEqual({ startedAt: '2026-01-01T00:00:00.000Z', recorded: 2, planned: 6 });
  });

  it('refuses to write a plan a resume could not read: a hostile role name, a plan no pack can hold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-incomplete-'));
    const badRole = await refusal(() => writeIncompleteMarker(dir, marker({ roleName: 'Audit\nRole' })));
    expect(badRole.code).toBe(2);
    expect(badRole.message).toMatch(/^--role-name: must match pattern/);
    const accounts = Array.from({ length: 100_000 }, (_, i) => String(100000000000 + i));
    const huge = await refusal(() => writeIncompleteMarker(dir, marker({ accounts, regions: Array.from({ length: 20 }, (_, i) => `eu-west-${i + 1}`) })));
    expect(huge.message).toMatch(/the plan makes 2100000 collector runs, more than the 1500000 one pack can hold \(fix: split the audit/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('checks the largest marker the schema allows in bounded time (no quadratic uniqueness check)', async () => {
    const accounts = Array.from({ length: 100_000 }, (_, i) => String(100000000000 + i));
    const dir = await packWith(marker({ accounts, caller: accounts[0] }));
    const started = Date.now();
    expect(await incompleteState(dir)).toMatchObject({ recorded: 0, planned: 300_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reads a hostile marker as untrusted: traversal ids, duplicate collectors, a missing role are refused', async () => {
    for (const [name, value] of [
      ['traversal', { ...marker(), collectors: [{ id: '../../../etc/passwd', version: '1', scope: 'account' }] }],
      ['duplicate', { ...marker(), collectors: [marker().collectors[0], marker().collectors[0]] }],
      ['no role', { ...marker(), roleName: undefined }],
      ['unknown field', { ...marker(), endpoint: 'http://attacker' }],
    ] as const) {
      const dir = await mkdtemp(join(tmpdir(), 'auditpack-incomplete-'));
      await writeFile(join(dir, INCOMPLETE_FILE), JSON.stringify(value));
      const refused = await refusal(() => readIncompleteMarker(dir));
      expect(refused.code, name).toBe(4);
      expect(refused.message, name).toMatch(/incomplete\.json: field "(collectors\.0\.id|collectors\.1\.id|roleName|endpoint)"/);
    }
  });

  it('removes the marker only after the manifest is there, and then verify accepts the pack', async () => {
    const dir = await packWith();
    await writePackJson(dir, 'run.json', { x: 1 });
    await writeManifest(dir, { tool: { name: 'auditpack', version: '0.1.0' }, run: { id: 'r', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z', accounts: [A], regions: ['us-east-1'] } });
    // Never listed: the marker is gone right after the manifest is written.
    expect((await readManifest(dir)).files.map((f) => f.path)).toEqual(['run.json']);
    await removeIncompleteMarker(dir);
    expect(await readdir(dir)).toEqual([MANIFEST, 'run.json']);
    const report = await verifyPack(dir, { allowUnsigned: true });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
  });
});

describe('verify refuses an incomplete pack', () => {
  const refusedAsIncomplete = async (dir: string, pattern: RegExp): Promise<void> => {
    for (const work of [() => verifyPack(dir, { allowUnsigned: true }), () => openVerifiedPack(dir, { purpose: 'assess' })]) {
      const refused = await refusal(work);
      expect(refused.code).toBe(4);
      expect(refused.message).toMatch(/: incomplete pack \(/);
      expect(refused.message).toMatch(pattern);
      expect(refused.message).toMatch(new RegExp(`— not a complete audit \\(fix: auditpack run --resume ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)$`));
      expect(refused.message).not.toMatch(/\n/);
    }
  };

  it('with no manifest: says when the collection started and how far it got', async () => {
    const dir = await packWith();
    await writePackJson(dir, `evidence/${A}/global/iam.account-summary.json`, {});
    await refusedAsIncomplete(dir, /collection started 2026-01-01T00:00:00.000Z was interrupted; 1 of 6 collector runs recorded/);
  });

  it('with a manifest too (a crash between writing it and removing the marker): the marker decides', async () => {
    const dir = await packWith();
    await writePackJson(dir, 'run.json', {});
    await writeManifest(dir, { tool: { name: 'auditpack', version: '0.1.0' }, run: { id: 'r', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z', accounts: [A], regions: ['us-east-1'] } });
    await refusedAsIncomplete(dir, /0 of 6 collector runs recorded/);
  });

  it('with a marker that is garbage, a symlink to /etc/passwd, or a FIFO: still incomplete, never followed or blocked on', async () => {
    const garbage = await mkdtemp(join(tmpdir(), 'auditpack-incomplete-'));
    await writeFile(join(garbage, INCOMPLETE_FILE), '{"schemaVersion": "1", "runId": ');
    await refusedAsIncomplete(garbage, /collection interrupted; incomplete\.json: not valid JSON/);
    const link = await mkdtemp(join(tmpdir(), 'auditpack-incomplete-'));
    await symlink('/etc/passwd', join(link, INCOMPLETE_FILE));
    await refusedAsIncomplete(link, /incomplete\.json: is a symbolic link/);
    const fifo = await mkdtemp(join(tmpdir(), 'auditpack-incomplete-'));
    execFileSync('mkfifo', [join(fifo, INCOMPLETE_FILE)]);
    await refusedAsIncomplete(fifo, /incomplete\.json: is a FIFO, not a regular file/);
  });

  it('a PackError, so the CLI exits 4 like any pack that is not as auditpack writes a complete one', async () => {
    const dir = await packWith();
    await mkdir(join(dir, 'evidence'));
    await expect(verifyPack(dir)).rejects.toBeInstanceOf(PackError);
  });
});
