import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/core/fs.js';
import type { EvidenceRecord } from '../../../src/core/types.js';
import { INCOMPLETE_FILE } from '../../../src/locker/layout.js';
import { PackError, writePackJson } from '../../../src/locker/pack.js';
import { scanIncompletePack, type PlannedRun, type ScanOptions } from '../../../src/locker/resume-scan.js';

const A = '111111111111';
const B = '222222222222';
const STARTED = '2026-01-01T00:00:00.000Z';
const NOW = new Date('2026-01-01T01:00:00.000Z');

function run(account: string, region: string, id: string): PlannedRun {
  return { path: `evidence/${account}/${region}/${id}.json`, account, region, collector: { id, version: '1' } };
}

const PLAN: PlannedRun[] = [run(A, 'global', 'iam.account-summary'), run(A, 'us-east-1', 'kms.keys'), run(B, 'global', 'iam.account-summary'), run(B, 'us-east-1', 'kms.keys')];

function record(r: PlannedRun, overrides: Partial<EvidenceRecord> = {}): EvidenceRecord {
  return { schemaVersion: '1', collector: r.collector, account: r.account, region: r.region, collectedAt: '2026-01-01T00:10:00.000Z', status: 'ok', calls: [], resources: [], raw: {}, ...overrides };
}

async function pack(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'auditpack-scan-'));
  await writeFile(join(dir, INCOMPLETE_FILE), '{}');
  return dir;
}

const options = (over: Partial<ScanOptions> = {}): ScanOptions => ({ planned: PLAN, startedAt: STARTED, now: NOW, regenerated: ['run.json', 'manifest.json'], regeneratedDirs: [], ...over });

async function refused(dir: string, pattern: RegExp, over: Partial<ScanOptions> = {}): Promise<void> {
  const err = await scanIncompletePack(dir, options(over)).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(PackError);
  expect((err as Error).message).toMatch(pattern);
  expect((err as Error).message).not.toMatch(/\n/);
}

describe('scanning an interrupted pack', () => {
  it('keeps valid ok evidence (with its digest), and sorts the rest into missing and errored', async () => {
    const dir = await pack();
    const [a, b] = PLAN as [PlannedRun, PlannedRun];
    const kept = await writePackJson(dir, a.path, record(a));
    await writePackJson(dir, b.path, record(b, { status: 'error', error: { code: 'AccessDenied', message: 'no' } }));
    const scan = await scanIncompletePack(dir, options());
    expect(scan.kept).toEqual([{ path: a.path, sha256: kept.sha256, bytes: kept.bytes }]);
    expect(sha256Hex(await readFile(join(dir, a.path)))).toBe(kept.sha256);
    expect(scan.errored).toEqual([b]);
    expect(scan.missing).toEqual(PLAN.slice(2));
    expect(scan.invalid).toEqual([]);
    expect(scan.stale).toEqual([]);
  });

  it('collects again what is not this run\'s valid evidence: truncated, another account\'s, another version, outside the run\'s time, too large', async () => {
    const dir = await pack();
    const [a, b, c, d] = PLAN as [PlannedRun, PlannedRun, PlannedRun, PlannedRun];
    const whole = JSON.stringify(record(a));
    await mkdir(join(dir, 'evidence', A, 'global'), { recursive: true });
    await writeFile(join(dir, a.path), whole.slice(0, whole.length / 2));
    // B's file holds A's evidence: copied across accounts, it must not be judged as B's.
    await writePackJson(dir, c.path, record(a));
    await writePackJson(dir, b.path, record(b, { collector: { id: 'kms.keys', version: '0' } }));
    // A 300 MB sparse file: refused by its size, never read.
    await mkdir(join(dir, 'evidence', B, 'us-east-1'), { recursive: true });
    await writeFile(join(dir, d.path), '');
    await truncate(join(dir, d.path), 300 * 1024 * 1024);
    const scan = await scanIncompletePack(dir, options());
    expect(scan.kept).toEqual([]);
    expect(scan.invalid.map((i) => [i.run.path, i.reason])).toEqual([
      [a.path, expect.stringMatching(/^not valid JSON/)],
      [b.path, 'written by version 0 of kms.keys; this run uses version 1'],
      [c.path, `holds the evidence of ${A}/global/iam.account-summary, not of ${B}/global/iam.account-summary`],
      [d.path, expect.stringMatching(/is 314572800 bytes, more than the limit of 268435456/)],
    ]);
    for (const [collectedAt, label] of [['2025-12-31T23:59:59.000Z', 'before the start'], ['2026-01-01T02:00:00.000Z', 'after now']]) {
      await writePackJson(dir, a.path, record(a, { collectedAt }));
      const again = await scanIncompletePack(dir, options());
      expect(again.invalid[0]?.reason, label).toBe(`collected at ${collectedAt}, outside this run (${STARTED} to ${NOW.toISOString()})`);
    }
  });

  it('removes leftovers of interrupted atomic writes and the records the seal rewrites, unread', async () => {
    const dir = await pack();
    const [a] = PLAN as [PlannedRun];
    await mkdir(join(dir, 'evidence', A, 'global'), { recursive: true });
    const leftovers = [`${a.path}.4242.0123456789ab.tmp`, 'run.json', 'run.json.77.abcdefabcdef.tmp', 'manifest.json', `${INCOMPLETE_FILE}.1.ffffffffffff.tmp`, 'attestations/c/a.yaml'];
    for (const file of leftovers) {
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), 'half');
    }
    const scan = await scanIncompletePack(dir, options({ regeneratedDirs: ['attestations'] }));
    expect([...scan.stale].sort()).toEqual([...leftovers].sort());
    expect(scan.missing).toEqual(PLAN);
    // Without an attestation store in the plan, attestations/ is not the run's.
    await refused(dir, /attestations\/c\/a\.yaml: is not part of the interrupted run/);
  });

  it('refuses what auditpack never writes: a symlinked evidence file or folder, a FIFO, an unplanned file', async () => {
    const [a] = PLAN as [PlannedRun];
    const link = await pack();
    await mkdir(join(link, 'evidence', A, 'global'), { recursive: true });
    await symlink('/etc/passwd', join(link, a.path));
    await refused(link, /evidence\/111111111111\/global\/iam\.account-summary\.json: is a symbolic link; auditpack never writes one into a pack \(fix: remove it and resume again, or start a new run\)$/);

    const folder = await pack();
    const outside = await mkdtemp(join(tmpdir(), 'auditpack-outside-'));
    await mkdir(join(folder, 'evidence'));
    await symlink(outside, join(folder, 'evidence', A));
    await refused(folder, /evidence\/111111111111: is a symbolic link/);

    const fifo = await pack();
    await mkdir(join(fifo, 'evidence', A, 'global'), { recursive: true });
    execFileSync('mkfifo', [join(fifo, a.path)]);
    await refused(fifo, /is a FIFO/);

    for (const file of ['results.json', `evidence/${A}/us-east-1/extra.json`, `evidence/333333333333/global/iam.account-summary.json`, 'evidence/x.json.1.0123456789ab.tmp']) {
      const dir = await pack();
      await mkdir(join(dir, file, '..'), { recursive: true });
      await writeFile(join(dir, file), '{}');
      await refused(dir, /: is not part of the interrupted run \(not in the plan of incomplete\.json\)/);
      await rm(dir, { recursive: true });
    }
  });
});
