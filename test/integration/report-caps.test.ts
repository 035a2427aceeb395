import { execFileSync, spawnSync } from 'node:child_process';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientsFor } from '../../src/collect/aws-access.js';
import { renderReports } from '../../src/pipeline/report.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import { loadReportDefinition } from '../../src/report/definition.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { generateKeys, KEY_FILES } from '../../src/sign/keys.js';
import { verifyPack } from '../../src/verify/verify.js';
import { useMoto } from '../helpers/moto.js';

/**
 * The report pipeline with a result cap smaller than the estate (moto): the HTML and PDF list the capped rows and
 * say so, results.csv keeps every result, and the signed pack (PDF signed, HTML signed) still verifies.
 */

const ACCOUNT = '123456789012';
const BUCKETS = ['caps-a-versioned', 'caps-b-plain', 'caps-c-plain', 'caps-d-plain', 'caps-e-versioned'];
const haveTools = !spawnSync('pdftotext', ['-v']).error;

describe('report caps through the pipeline (moto)', () => {
  const moto = useMoto();
  let packDir: string;
  let keysDir: string;
  let results: ResultsDocument;

  beforeAll(async () => {
    const out = await mkdtemp(join(tmpdir(), 'auditpack-caps-'));
    const s3 = clientsFor({ account: ACCOUNT, endpoint: moto.endpoint, maxAttempts: 2 }).forRegion('us-east-1').get(S3Client);
    for (const bucket of BUCKETS) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      if (bucket.endsWith('versioned')) await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    }
    keysDir = join(out, 'keys');
    await generateKeys(keysDir, { organisation: 'Test Org', demo: true });
    ({ packDir, results } = await collectAndAssess({ out, regions: ['us-east-1'], endpoint: moto.endpoint, maxAttempts: 2, controlIds: ['s3-bucket-versioning', 'iam-root-mfa'] }));
    const definition = await loadReportDefinition();
    await renderReports(packDir, { keysDir, definition: { ...definition, limits: { resultsPerControl: 2 } } });
  }, 180_000);

  it('results.csv keeps every result while the HTML lists two and says how many there are', async () => {
    const control = results.controls.find((c) => c.id === 's3-bucket-versioning')!;
    expect(control.results.length).toBe(BUCKETS.length);
    const csv = await readFile(join(packDir, 'results.csv'), 'utf8');
    expect(csv.split('\r\n').filter((line) => line.startsWith('"s3-bucket-versioning"'))).toHaveLength(BUCKETS.length);
    const html = await readFile(join(packDir, 'report.html'), 'utf8');
    const article = html.slice(html.indexOf('<article id="control-s3-bucket-versioning"'), html.indexOf('</article>', html.indexOf('<article id="control-s3-bucket-versioning"')));
    expect(article).toContain(`Showing 2 of ${BUCKETS.length} results (errors and failures first); the full list is in results.csv and results.json.`);
    // The two rows listed are failures (unversioned buckets), the worst first.
    expect([...article.matchAll(/<tr data-st="(\w+)">/g)].map((m) => m[1])).toEqual(['FAIL', 'FAIL']);
    expect(article).toContain('caps-b-plain');
    expect(article).not.toContain('caps-e-versioned');
  });

  it.skipIf(!haveTools && !process.env.CI)('the signed PDF says the same, and the pack verifies with nothing left behind', async () => {
    const text = execFileSync('pdftotext', [join(packDir, 'report.pdf'), '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain(`Showing 2 of ${BUCKETS.length} results (errors and failures first); the full list is in results.csv and results.json.`);
    const publicKeyPem = await readFile(join(keysDir, KEY_FILES.manifestPublic), 'utf8');
    const report = await verifyPack(packDir, { publicKeyPem });
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect((await readdir(packDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
