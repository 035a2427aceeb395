import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { schemaValidator } from '../../src/core/schema.js';
import { UserError } from '../../src/core/errors.js';
import { useMoto } from '../helpers/moto.js';
import type { Manifest } from '../../src/locker/pack.js';
import { assessPack } from '../../src/pipeline/assess.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { recordAttestation } from '../../src/workflow/attestations.js';

const CONTROLS = ['s3-bucket-versioning', 'manual-threat-model', 'manual-security-training', 'inherited-physical-security'];

/** Waivers and attestations through the real pipeline: what applies, what expires, what lands in the manifest. */
describe('audit workflow: waivers and attestations', () => {
  const moto = useMoto();
  let work: string;
  let packDir: string;
  let results: ResultsDocument;

  const control = (r: ResultsDocument, id: string) => r.controls.find((c) => c.id === id)!;

  beforeAll(async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true });
    for (const name of ['legacy-archive-1', 'prod-data']) await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(new CreateBucketCommand({ Bucket: 'versioned' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'versioned', VersioningConfiguration: { Status: 'Enabled' } }));
    work = await mkdtemp(join(tmpdir(), 'auditpack-workflow-'));
    const store = join(work, 'attestations');
    const doc = join(work, 'threat-model-2026.pdf');
    await writeFile(doc, '%PDF-1.4 threat model of the payments workload (stand-in document)');
    await recordAttestation({ control: { id: 'manual-threat-model', kind: 'manual' }, controlId: 'manual-threat-model', by: 'Jane Doe (CISO)', file: doc, expires: '2099-12-31', statement: 'Threat model reviewed for every production workload this quarter.', store });
    // Made years ago and expired since: must fall back to MANUAL.
    await recordAttestation({ control: { id: 'manual-security-training', kind: 'manual' }, controlId: 'manual-security-training', by: 'HR Training Team', file: doc, expires: '2021-01-01', statement: 'All engineers completed secure coding training.', store, now: new Date('2020-01-01T00:00:00Z') });
    await recordAttestation({ control: { id: 'inherited-physical-security', kind: 'inherited' }, controlId: 'inherited-physical-security', by: 'Audit Team', file: doc, expires: '2099-12-31', period: '2025-10-01 to 2026-09-30', statement: 'AWS SOC 2 Type II report downloaded from AWS Artifact.', store });
    const waivers = join(work, 'waivers.yaml');
    await writeFile(
      waivers,
      `waivers:
  - id: RISK-2026-014
    control: s3-bucket-versioning
    resources: ["arn:aws:s3:::legacy-*"]
    justification: Legacy archive buckets are write-once by bucket policy and scheduled for deletion.
    approver: Jane Doe (CISO)
    approved: 2020-01-01
    expires: 2099-12-31
  - id: RISK-2026-015
    control: s3-bucket-versioning
    resources: ["arn:aws:s3:::no-such-bucket"]
    justification: A waiver for a bucket that does not exist, to be flagged as matching nothing.
    approver: Jane Doe (CISO)
    approved: 2020-01-01
    expires: 2099-12-31
`,
    );
    ({ packDir, results } = await collectAndAssess({ out: work, regions: ['us-east-1'], endpoint: moto.endpoint, maxAttempts: 1, controlIds: CONTROLS, waiversFile: waivers, attestationsDir: store }));
  }, 120_000);

  it('waives the covered failure, keeps its original status, and leaves the rest alone', () => {
    const byId = Object.fromEntries(control(results, 's3-bucket-versioning').results.map((r) => [r.resourceId, r]));
    expect(byId['arn:aws:s3:::legacy-archive-1']).toMatchObject({ status: 'WAIVED', originalStatus: 'FAIL', waiver: { id: 'RISK-2026-014', approver: 'Jane Doe (CISO)' } });
    expect(byId['arn:aws:s3:::prod-data']?.status).toBe('FAIL');
    expect(byId['arn:aws:s3:::versioned']?.status).toBe('PASS');
    expect(control(results, 's3-bucket-versioning').status).toBe('FAIL');
    expect(results.summary.waivers.map((w) => [w.id, w.state, w.matched])).toEqual([
      ['RISK-2026-014', 'active', 1],
      ['RISK-2026-015', 'unmatched', 0],
    ]);
  });

  it('turns a validly attested manual control into its attested result, and an expired one back to MANUAL', () => {
    const attested = control(results, 'manual-threat-model');
    expect(attested.status).toBe('PASS');
    expect(attested.results[0]?.message).toMatch(/attested by Jane Doe \(CISO\).*threat-model-2026\.pdf, sha256 [0-9a-f]{64}/);
    expect(control(results, 'manual-security-training').status).toBe('MANUAL');
    expect(results.summary.attestations.map((a) => [a.control, a.state])).toEqual([
      ['inherited-physical-security', 'valid'],
      ['manual-security-training', 'expired'],
      ['manual-threat-model', 'valid'],
    ]);
    const inherited = control(results, 'inherited-physical-security');
    expect(inherited.status).toBe('INHERITED');
    expect(inherited.results[0]?.message).toMatch(/period 2025-10-01 to 2026-09-30/);
  });

  it('hashes the waivers file, the attestation records and their documents into the manifest', async () => {
    const manifest = JSON.parse(await readFile(join(packDir, 'manifest.json'), 'utf8')) as Manifest;
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toContain('waivers.yaml');
    expect(paths.filter((p) => p.startsWith('attestations/manual-threat-model/') && p.endsWith('.yaml'))).toHaveLength(1);
    expect(paths.some((p) => p.startsWith('attestations/manual-threat-model/documents/'))).toBe(true);
    const hashes = new Set(manifest.files.map((f) => `sha256:${f.sha256}`));
    for (const e of control(results, 'manual-threat-model').results[0]!.evidence) expect(hashes.has(e)).toBe(true);
  });

  it('writes results valid against the schema, and re-assesses offline to the same bytes', async () => {
    const validate = schemaValidator('results.schema.json');
    expect(validate(results), JSON.stringify(validate.errors?.slice(0, 2))).toBe(true);
    const before = await readFile(join(packDir, 'results.json'));
    await assessPack(packDir);
    expect((await readFile(join(packDir, 'results.json'))).equals(before)).toBe(true);
  });

  it('stops applying a waiver once it has expired, and flags it', async () => {
    const expired = join(work, 'expired.yaml');
    await writeFile(expired, (await readFile(join(packDir, 'waivers.yaml'), 'utf8')).replaceAll('2099-12-31', '2020-06-30'));
    const again = await assessPack(packDir, { waiversFile: expired });
    expect(control(again, 's3-bucket-versioning').results.find((r) => r.resourceId === 'arn:aws:s3:::legacy-archive-1')?.status).toBe('FAIL');
    expect(again.summary.waivers.map((w) => w.state)).toEqual(['expired', 'expired']);
  });

  it.each([
    ['an unknown control', { control: undefined, controlId: 'nope' }, /--control "nope" is not a known control/],
    ['an automated control', { control: { id: 'iam-root-mfa', kind: 'automated' as const }, controlId: 'iam-root-mfa' }, /is automated/],
    ['a missing document', { file: '/nonexistent/plan.pdf' }, /--file \/nonexistent\/plan\.pdf cannot be read/],
    ['a past expiry', { expires: '2001-01-01' }, /--expires 2001-01-01 is in the past/],
    ['a short statement', { statement: 'ok' }, /--statement is too short/],
    ['a bad result', { result: 'MAYBE' as 'PASS' }, /--result "MAYBE" is not PASS, FAIL or INHERITED/],
  ])('rejects an attestation with %s in one line', async (_name, over, pattern) => {
    const doc = join(work, 'doc.txt');
    await writeFile(doc, 'evidence');
    const err = await recordAttestation({ control: { id: 'manual-threat-model', kind: 'manual' }, controlId: 'manual-threat-model', by: 'Jane Doe', file: doc, expires: '2099-01-01', statement: 'A statement that is long enough.', store: join(work, 'bad'), ...over }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message.split('\n')).toHaveLength(1);
    expect((err as Error).message).toMatch(pattern);
  });
});
