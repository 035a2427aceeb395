import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { diffResults } from '../../src/diff/diff.js';
import { readAssessedPack } from '../../src/diff/pack-input.js';
import { findingId } from '../../src/export/securityhub/asff.js';
import { FINDINGS_FILE } from '../../src/export/securityhub/lifecycle.js';
import { pushToSecurityHub } from '../../src/export/securityhub/push.js';
import { manifestMeta, PUSH_RECORDS, readManifest, writeManifest, writePackJson } from '../../src/locker/pack.js';
import { RUN_FILE, type RunRecord } from '../../src/locker/run-info.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ControlResult, ResultsDocument } from '../../src/results/types.js';
import { openVerifiedPack } from '../../src/verify/open-pack.js';
import { useMoto } from '../helpers/moto.js';

/**
 * results.json larger than the single-read limit must still be diffed and pushed: both read it as a stream. The
 * limit is lowered through the `readLimit` parameter (64 KiB) instead of writing 256 MiB, and results.json is grown
 * to over 1 MB with synthetic failing buckets, re-sealed as `assess` would seal it.
 */

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const CONTROLS = ['s3-bucket-versioning', 'iam-root-mfa'];
const SYNTHETIC = 2500;
const READ_LIMIT = 64 * 1024;

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Adds SYNTHETIC failing buckets to s3-bucket-versioning and re-seals the pack (unsigned, as `assess` leaves it). */
async function grow(packDir: string): Promise<void> {
  const results = JSON.parse(await readFile(join(packDir, 'results.json'), 'utf8')) as ResultsDocument;
  const control = results.controls.find((c) => c.id === 's3-bucket-versioning') as ControlResult;
  const template = control.results[0]!;
  for (let i = 0; i < SYNTHETIC; i++) {
    const name = `synthetic-${String(i).padStart(5, '0')}`;
    control.results.push({ ...template, resourceId: `arn:aws:s3:::${name}`, status: 'FAIL', message: `bucket ${name} does not have versioning enabled` });
  }
  await writePackJson(packDir, 'results.json', results);
  const run = JSON.parse(await readFile(join(packDir, RUN_FILE), 'utf8')) as RunRecord;
  const manifest = await readManifest(packDir);
  await writeManifest(packDir, manifestMeta(run, manifest.catalog?.digest));
}

describe('results.json over the single-read limit, read as a stream by diff and push (moto)', () => {
  const moto = useMoto();
  let out: string;
  let small: string;
  let large: string;

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'auditpack-streamed-'));
    const s3 = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true, maxAttempts: 2 });
    await s3.send(new CreateBucketCommand({ Bucket: 'streamed-unversioned' }));
    await new SecurityHubClient({ region: REGION, endpoint: moto.endpoint, maxAttempts: 2 }).send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    const audit = async (): Promise<string> => (await collectAndAssess({ out, regions: [REGION], endpoint: moto.endpoint, maxAttempts: 2, controlIds: CONTROLS })).packDir;
    small = await audit();
    large = await audit();
    await grow(large);
  }, 180_000);

  it('is refused whole over the limit, and read as a stream to the same value', async () => {
    const size = (await stat(join(large, 'results.json'))).size;
    expect(size).toBeGreaterThan(16 * READ_LIMIT);
    const pack = await openVerifiedPack(large, { purpose: 'test', readLimit: READ_LIMIT });
    await expect(pack.read('results.json')).rejects.toThrow(/more than the limit/);
    const streamed = await pack.readJsonStream<ResultsDocument>('results.json', 'results.schema.json');
    expect(streamed).toEqual(JSON.parse(await readFile(join(large, 'results.json'), 'utf8')));
  });

  it('diffs against it: every synthetic bucket is a new failing resource', async () => {
    const before = await readAssessedPack(small, {}, { readLimit: READ_LIMIT });
    const after = await readAssessedPack(large, {}, { readLimit: READ_LIMIT });
    const diff = diffResults(before.results, after.results, { newManifest: after.manifest });
    const synthetic = diff.newFailures.filter((c) => c.resourceId.startsWith('arn:aws:s3:::synthetic-'));
    expect(synthetic).toHaveLength(SYNTHETIC);
    expect(diff.newResources.filter((c) => c.resourceId.startsWith('arn:aws:s3:::synthetic-'))).toHaveLength(SYNTHETIC);
  });

  it('pushes it: every synthetic failure is imported, and findings.asff.json lists them', async () => {
    const outcome = await pushToSecurityHub(large, { endpoint: moto.endpoint, maxAttempts: 2, retryBaseMs: 20, readLimit: READ_LIMIT });
    expect(outcome.totals.failed).toBe(0);
    const synthetic = new Set(Array.from({ length: SYNTHETIC }, (_, i) => findingId('s3-bucket-versioning', ACCOUNT, REGION, `arn:aws:s3:::synthetic-${String(i).padStart(5, '0')}`)));
    expect(outcome.targets.flatMap((t) => t.imported).filter((id) => synthetic.has(id))).toHaveLength(SYNTHETIC);
    const written = JSON.parse(await readFile(join(large, FINDINGS_FILE), 'utf8')) as { Id: string; Compliance?: { Status?: string } }[];
    const writtenSynthetic = written.filter((f) => synthetic.has(f.Id));
    expect(writtenSynthetic).toHaveLength(SYNTHETIC);
    expect(new Set(writtenSynthetic.map((f) => f.Compliance?.Status))).toEqual(new Set(['FAILED']));
  }, 120_000);

  it('refuses a tampered large results.json before any Security Hub client exists or any finding is written', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'auditpack-streamed-tamper-'));
    await cp(large, copy, { recursive: true });
    for (const record of PUSH_RECORDS) await rm(join(copy, record), { force: true });
    const file = join(copy, 'results.json');
    const text = await readFile(file, 'utf8');
    // Same length, still valid JSON and schema-valid: one synthetic failure turned into a pass.
    const at = text.indexOf('"FAIL"', text.indexOf('synthetic-01234'));
    await writeFile(file, `${text.slice(0, at)}"PASS"${text.slice(at + 6)}`);
    let clients = 0;
    const push = pushToSecurityHub(copy, { endpoint: moto.endpoint, maxAttempts: 2, readLimit: READ_LIMIT, onClient: () => void clients++ });
    await expect(push).rejects.toThrow(/does not verify: results\.json: modified/);
    await expect(push).rejects.toSatisfy((err: unknown) => err instanceof UserError && err.exitCode === 4);
    expect(clients).toBe(0);
    expect(await exists(join(copy, FINDINGS_FILE))).toBe(false);
  });

  it('refuses bytes changed between verification and the streamed read (no value is returned)', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'auditpack-streamed-toctou-'));
    await cp(large, copy, { recursive: true });
    const pack = await openVerifiedPack(copy, { purpose: 'push', readLimit: READ_LIMIT });
    const file = join(copy, 'results.json');
    const text = await readFile(file, 'utf8');
    const at = text.lastIndexOf('"FAIL"');
    await writeFile(file, `${text.slice(0, at)}"PASS"${text.slice(at + 6)}`);
    await expect(pack.readJsonStream('results.json', 'results.schema.json')).rejects.toThrow(/changed while being read/);
    // Grown (a longer file than the manifest lists) is refused before parsing ends, too.
    await writeFile(file, `${text} `);
    await expect(pack.readJsonStream('results.json', 'results.schema.json')).rejects.toThrow(/larger than the manifest lists/);
  });
});
