import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { schemaValidator } from '../../src/core/schema.js';
import { clientsFor } from '../../src/collect/aws-access.js';
import { diffResults } from '../../src/diff/diff.js';
import { OSCAL_FILE } from '../../src/export/oscal/assessment-results.js';
import { oscalValidator } from '../../src/export/oscal/validate.js';
import { sha256Hex } from '../../src/core/fs.js';
import { UserError } from '../../src/core/errors.js';
import { buildDemoEstate, DEMO_ROLE, type DemoEstate } from '../../src/demo/estate.js';
import { compareExpectations, formatMismatch, loadExpectations, type Expectation } from '../../src/demo/expectations.js';
import { prepareDemoWorkflow } from '../../src/demo/workflow.js';
import { DUMMY_SECRET } from '../../src/demo/moto.js';
import { useMoto } from '../helpers/moto.js';
import type { Manifest } from '../../src/locker/pack.js';
import { assessPack } from '../../src/pipeline/assess.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';

/** The whole audit against the seeded demo organisation: what `npm run demo` does, with assertions. */
describe('end-to-end audit of the seeded organisation', () => {
  const moto = useMoto();
  let estate: DemoEstate;
  let expectations: Expectation[];
  let packDir: string;
  let results: ResultsDocument;

  beforeAll(async () => {
    estate = await buildDemoEstate(moto.endpoint);
    expectations = await loadExpectations(estate);
    const out = await mkdtemp(join(tmpdir(), 'auditpack-e2e-'));
    const workflow = await prepareDemoWorkflow(join(out, 'workflow'));
    ({ packDir, results } = await collectAndAssess({
      out,
      organization: true,
      roleName: DEMO_ROLE,
      regions: estate.regions,
      endpoint: moto.endpoint,
      maxAttempts: 2,
      waiversFile: workflow.waivers,
      attestationsDir: workflow.attestations,
    }));
  }, 240_000);

  it('audits both accounts of the organisation in both regions', () => {
    expect(results.run.accounts).toEqual([estate.management, estate.member].sort());
    expect(results.run.regions).toEqual([...estate.regions].sort());
  });

  it('gives every seeded resource exactly its expected status', () => {
    expect(expectations.length).toBeGreaterThan(50);
    expect(compareExpectations(results, expectations).map(formatMismatch)).toEqual([]);
  });

  it('writes results.json valid against the published schema', async () => {
    const validate = schemaValidator('results.schema.json');
    const onDisk = JSON.parse(await readFile(join(packDir, 'results.json'), 'utf8')) as unknown;
    expect(validate(onDisk), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('writes OSCAL assessment results valid against NIST\'s schema', async () => {
    const validate = oscalValidator();
    const doc = JSON.parse(await readFile(join(packDir, OSCAL_FILE), 'utf8')) as unknown;
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('records every file of the pack in the manifest with its SHA-256', async () => {
    const manifest = JSON.parse(await readFile(join(packDir, 'manifest.json'), 'utf8')) as Manifest;
    const paths = manifest.files.map((f) => f.path);
    expect(paths).toContain('results.json');
    expect(paths).toContain('run.json');
    expect(paths.filter((p) => p.startsWith('evidence/')).length).toBeGreaterThan(40);
    for (const file of manifest.files) {
      const bytes = await readFile(join(packDir, file.path));
      expect(sha256Hex(bytes), file.path).toBe(file.sha256);
      expect(bytes.length).toBe(file.bytes);
    }
  });

  it('links each result to evidence files listed in the manifest', async () => {
    const manifest = JSON.parse(await readFile(join(packDir, 'manifest.json'), 'utf8')) as Manifest;
    const hashes = new Set(manifest.files.map((f) => `sha256:${f.sha256}`));
    const automated = results.controls.filter((c) => c.kind === 'automated');
    for (const c of automated) for (const r of c.results) for (const h of r.evidence) expect(hashes.has(h), `${c.id} ${h}`).toBe(true);
  });

  it('keeps unattested manual controls MANUAL and inherited ones INHERITED, never PASS', () => {
    for (const c of results.controls.filter((x) => x.kind !== 'automated' && x.id !== 'manual-incident-response-plan')) expect(['MANUAL', 'INHERITED']).toContain(c.status);
  });

  it('applies the demo workflow: an attested manual control, a waiver, an expired waiver flagged', () => {
    expect(results.controls.find((c) => c.id === 'manual-incident-response-plan')?.status).toBe('PASS');
    const waived = results.controls.find((c) => c.id === 's3-bucket-access-logging')!.results.filter((r) => r.status === 'WAIVED');
    expect(waived.length).toBeGreaterThan(0);
    expect(waived.every((r) => r.originalStatus === 'FAIL' && r.resourceId.startsWith('arn:aws:s3:::auditpack-logs-'))).toBe(true);
    expect(results.summary.waivers.map((w) => [w.id, w.state])).toEqual([
      ['RISK-DEMO-001', 'active'],
      ['RISK-DEMO-002', 'expired'],
    ]);
  });

  it('re-assesses the pack offline into byte-identical results.json', async () => {
    const before = await readFile(join(packDir, 'results.json'));
    const copy = await mkdtemp(join(tmpdir(), 'auditpack-reassess-'));
    await cp(packDir, copy, { recursive: true });
    delete process.env.AWS_ENDPOINT_URL; // offline: nothing may reach AWS (or moto)
    await assessPack(copy);
    process.env.AWS_ENDPOINT_URL = moto.endpoint;
    expect((await readFile(join(copy, 'results.json'))).equals(before)).toBe(true);
  });

  it('refuses to assess a pack whose evidence was changed', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'auditpack-tamper-'));
    await cp(packDir, copy, { recursive: true });
    const manifest = JSON.parse(await readFile(join(copy, 'manifest.json'), 'utf8')) as Manifest;
    const target = manifest.files.find((f) => f.path.endsWith('iam.account-summary.json'))!;
    const text = await readFile(join(copy, target.path), 'utf8');
    await writeFile(join(copy, target.path), text.replace('"rootMfaEnabled": false', '"rootMfaEnabled": true'));
    const err = await assessPack(copy).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).exitCode).toBe(4);
    expect((err as Error).message).toContain(`refusing to assess a pack that does not verify: ${target.path}: modified`);
  });

  it('diffs against a second audit after fixing one seeded resource and breaking another through the API', async () => {
    const versioning = results.controls.find((c) => c.id === 's3-bucket-versioning')!.results;
    const failing = versioning.find((r) => r.status === 'FAIL')!;
    const passing = versioning.find((r) => r.status === 'PASS')!;
    const bucket = (arn: string): string => arn.replace('arn:aws:s3:::', '');
    for (const [target, status] of [
      [failing, 'Enabled'],
      [passing, 'Suspended'],
    ] as const) {
      const clients = clientsFor({ account: target.account, endpoint: moto.endpoint, maxAttempts: 2, roleName: target.account === estate.management ? undefined : DEMO_ROLE });
      await clients.forRegion(target.region).get(S3Client).send(new PutBucketVersioningCommand({ Bucket: bucket(target.resourceId), VersioningConfiguration: { Status: status } }));
    }
    const out = await mkdtemp(join(tmpdir(), 'auditpack-e2e-second-'));
    const second = await collectAndAssess({ out, organization: true, roleName: DEMO_ROLE, regions: estate.regions, endpoint: moto.endpoint, maxAttempts: 2, controlIds: ['s3-bucket-versioning'] });
    const diff = diffResults({ ...results, controls: results.controls.filter((c) => c.id === 's3-bucket-versioning') }, second.results);
    expect(diff.fixed.map((c) => [c.control, c.resourceId])).toEqual([['s3-bucket-versioning', failing.resourceId]]);
    expect(diff.regressed.map((c) => [c.control, c.resourceId])).toEqual([['s3-bucket-versioning', passing.resourceId]]);
  });

  it('never writes a credential into the pack', async () => {
    const manifest = JSON.parse(await readFile(join(packDir, 'manifest.json'), 'utf8')) as Manifest;
    for (const file of manifest.files) {
      const text = await readFile(join(packDir, file.path), 'utf8');
      expect(text, file.path).not.toMatch(/"SecretAccessKey":\s*"(?!<redacted>)/);
      expect(text, file.path).not.toContain(DUMMY_SECRET);
      expect(text, file.path).not.toContain('moto-dummy-session-token');
    }
  });
});
