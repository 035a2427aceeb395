import { GetAccountPasswordPolicyCommand, IAMClient, UpdateAccountPasswordPolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientsFor } from '../../src/collect/aws-access.js';
import { useMoto } from '../helpers/moto.js';
import { diffResults } from '../../src/diff/diff.js';
import { loadHistory } from '../../src/diff/history.js';
import type { PackDiff, ResultChange } from '../../src/diff/types.js';
import { renderReports, type ReportOutcome } from '../../src/pipeline/report.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';

/**
 * Quarter over quarter against moto: audit, fix one seeded resource and break another through the API, audit
 * again; the diff must list exactly the fixed and the regressed results, and the report must show them.
 */

const ACCOUNT = '123456789012';
const CONTROLS = ['s3-bucket-versioning', 'iam-password-min-length', 'iam-root-mfa'];
const BUCKETS = { versioned: 'diff-test-versioned', unversioned: 'diff-test-unversioned', added: 'diff-test-added' };

const brief = (changes: ResultChange[]): string[] => changes.map((c) => `${c.control} ${c.account} ${c.resourceId} ${c.before ?? 'absent'}->${c.after ?? 'absent'}`);

describe('diff of two audits (moto)', () => {
  const moto = useMoto();
  let out: string;
  let first: { packDir: string; results: ResultsDocument };
  let second: { packDir: string; results: ResultsDocument };
  let diff: PackDiff;
  let outcome: ReportOutcome;

  const audit = async (): Promise<{ packDir: string; results: ResultsDocument }> =>
    collectAndAssess({ out, regions: ['us-east-1'], endpoint: moto.endpoint, maxAttempts: 2, controlIds: CONTROLS });

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'auditpack-diff-'));
    const clients = clientsFor({ account: ACCOUNT, endpoint: moto.endpoint, maxAttempts: 2 }).forRegion('us-east-1');
    const s3 = clients.get(S3Client);
    const iam = clients.get(IAMClient);

    // Quarter 1: one compliant and one non-compliant bucket, and a weak password policy.
    await s3.send(new CreateBucketCommand({ Bucket: BUCKETS.versioned }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKETS.versioned, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKETS.unversioned }));
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 8 }));
    first = await audit();

    // Between the quarters: FIX the password policy, BREAK the versioned bucket, and add a new bucket.
    await iam.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 14 }));
    expect((await iam.send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy?.MinimumPasswordLength).toBe(14);
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKETS.versioned, VersioningConfiguration: { Status: 'Suspended' } }));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKETS.added }));
    second = await audit();

    diff = diffResults(first.results, second.results);
    outcome = await renderReports(second.packDir, { previousPack: first.packDir, historyDir: out, noSign: true });
  }, 180_000);

  it('assessed the seeded estate as expected in the first run', () => {
    const status = (control: string, resourceId: string): string | undefined =>
      first.results.controls.find((c) => c.id === control)?.results.find((r) => r.resourceId === resourceId)?.status;
    expect(status('s3-bucket-versioning', `arn:aws:s3:::${BUCKETS.versioned}`)).toBe('PASS');
    expect(status('s3-bucket-versioning', `arn:aws:s3:::${BUCKETS.unversioned}`)).toBe('FAIL');
    expect(status('iam-password-min-length', `AWS::::Account:${ACCOUNT}`)).toBe('FAIL');
  });

  it('lists exactly the fixed and the regressed results', () => {
    expect(brief(diff.fixed)).toEqual([`iam-password-min-length ${ACCOUNT} AWS::::Account:${ACCOUNT} FAIL->PASS`]);
    expect(brief(diff.regressed)).toEqual([`s3-bucket-versioning ${ACCOUNT} arn:aws:s3:::${BUCKETS.versioned} PASS->FAIL`]);
    expect(diff.regressed[0]!.message).toContain('Suspended');
  });

  it('lists the new bucket as a new resource and a new failure, and nothing else changed', () => {
    expect(brief(diff.newResources)).toEqual([`s3-bucket-versioning ${ACCOUNT} arn:aws:s3:::${BUCKETS.added} absent->FAIL`]);
    expect(brief(diff.newFailures)).toEqual([
      `s3-bucket-versioning ${ACCOUNT} arn:aws:s3:::${BUCKETS.added} absent->FAIL`,
      `s3-bucket-versioning ${ACCOUNT} arn:aws:s3:::${BUCKETS.versioned} PASS->FAIL`,
    ]);
    expect([diff.newErrors, diff.newlyWaived, diff.waiversExpired, diff.removedResources, diff.controlsAdded, diff.controlsRemoved]).toEqual([[], [], [], [], [], []]);
    expect(diff.old.runId).toBe(first.results.run.id);
    expect(diff.new.runId).toBe(second.results.run.id);
  });

  it('finds both packs in the history directory, oldest first', async () => {
    const history = await loadHistory(out);
    expect(history.warnings).toEqual([]);
    expect(history.points.map((p) => p.runId)).toEqual([first.results.run.id, second.results.run.id]);
  });

  it('renders the changes section with the diff and an SVG score trend', async () => {
    expect(outcome.warnings).toEqual([]);
    expect(outcome.outputs).toEqual(['report.html', 'report.pdf', 'results.csv']);
    const html = await readFile(join(second.packDir, 'report.html'), 'utf8');
    const section = /<section id="changes"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(section).toContain(`<code>${first.results.run.id}</code>`);
    expect(section).toMatch(/<h3 id="changes-fixed">Fixed \(1\)<\/h3>/);
    expect(section).toMatch(/<h3 id="changes-regressed">Regressed \(1\)<\/h3>/);
    expect(section).toContain(`arn:aws:s3:::${BUCKETS.versioned}`);
    expect(section).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="chart chart-trend"[\s\S]*<polyline/);
    expect(section).toContain('None: every evidence file was collected within 90 days of this run.');
    expect((await stat(join(second.packDir, 'report.pdf'))).size).toBeGreaterThan(1000);
  });

  it('refuses a previous pack that does not exist, naming it, before touching the reports', async () => {
    const missing = join(out, 'no-such-pack');
    await expect(renderReports(second.packDir, { previousPack: missing, noSign: true })).rejects.toThrow(`${missing}: no such directory`);
    expect((await stat(join(second.packDir, 'report.html'))).isFile()).toBe(true);
  });
});
