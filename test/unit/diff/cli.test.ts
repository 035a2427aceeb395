import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { formatDiff, registerDiffCommand } from '../../../src/cli/commands/diff.js';
import { UserError } from '../../../src/core/errors.js';
import { diffResults } from '../../../src/diff/diff.js';
import type { PackDiff } from '../../../src/diff/types.js';
import { control, result, results, sealedPack } from './fixtures.js';

const OLD = results('run-old', '2026-08-01T10:00:00.000Z', [control('s3-versioning', [result('arn:aws:s3:::a', 'FAIL'), result('arn:aws:s3:::b', 'PASS')])], 40);
const NEW = results('run-new', '2026-11-01T10:00:00.000Z', [control('s3-versioning', [result('arn:aws:s3:::a', 'PASS'), result('arn:aws:s3:::b', 'FAIL')])], 60);

async function pack(dir: string, doc: typeof OLD, collectedAt: string): Promise<string> {
  return sealedPack(dir, doc.run.finishedAt, { 'evidence/111111111111/us-east-1/s3.buckets.json': JSON.stringify({ collectedAt }), 'results.json': JSON.stringify(doc) });
}

async function run(args: string[]): Promise<string> {
  const program = new Command('auditpack').exitOverride().configureOutput({ writeErr: () => undefined });
  registerDiffCommand(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'auditpack', 'diff', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('auditpack diff', () => {
  let root: string;
  let oldPack: string;
  let newPack: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'auditpack-diff-cli-'));
    oldPack = await pack(join(root, 'old'), OLD, '2026-08-01T10:00:10.000Z');
    newPack = await pack(join(root, 'new'), NEW, '2026-05-01T00:00:00.000Z');
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('prints counts and every list', async () => {
    const out = await run([oldPack, newPack]);
    expect(out).toContain('score: 40.0 -> 60.0 (+20.0)');
    expect(out).toMatch(/^Fixed\s+1$/m);
    expect(out).toMatch(/^Regressed\s+1$/m);
    expect(out).toContain('  s3-versioning  111111111111 us-east-1  arn:aws:s3:::a  FAIL -> PASS  arn:aws:s3:::a is PASS');
    expect(out).toMatch(/^Stale evidence\s+1 {2}\(older than 90 days\)$/m);
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('prints JSON with --json, honouring --stale-after-days, and the trend with --history', async () => {
    const parsed = JSON.parse(await run([oldPack, newPack, '--json', '--stale-after-days', '365'])) as PackDiff;
    expect(parsed.fixed.map((c) => c.resourceId)).toEqual(['arn:aws:s3:::a']);
    expect(parsed.regressed.map((c) => c.resourceId)).toEqual(['arn:aws:s3:::b']);
    expect(parsed.staleAfterDays).toBe(365);
    expect(parsed.staleEvidence).toEqual([]);
    const withTrend = JSON.parse(await run([oldPack, newPack, '--json', '--history', root])) as PackDiff & { trend: { runId: string }[] };
    expect(withTrend.trend.map((p) => p.runId)).toEqual(['run-old', 'run-new']);
  });

  it('fails with a one-line user error naming a bad pack path', async () => {
    const missing = join(root, 'nope');
    const err = await run([oldPack, missing]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain(`${missing}: no such directory`);
    expect((err as UserError).message).not.toContain('\n');
  });

  it('refuses a stale-after-days that is not a whole number', async () => {
    await expect(run([oldPack, newPack, '--stale-after-days', 'soon'])).rejects.toThrow(/not a whole number of days/);
  });

  it('formats a diff with no changes', () => {
    expect(formatDiff(diffResults(NEW, NEW))).toMatch(/^New failures\s+0$/m);
  });
});
