import { CreatePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMoto } from '../helpers/moto.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { VALID_CONTROL, controlsDirWith } from '../helpers/catalog-fixture.js';
import { cli as runCli, type CliResult } from '../helpers/cli.js';

/**
 * Hostile data in a real (moto) account: policies whose Action, Resource and Principal strings are wildcard
 * patterns built to make a backtracking matcher explode, and odd but legal bucket names, seeded through the real
 * SDK calls, collected by the real collectors and judged by the real controls. Before core/wildcard.ts, the
 * ssl-only check alone (`arn:aws:s3:::*a*a*a...*b` against a 63-character bucket of a's) ran for minutes.
 */

const REGION = 'us-east-1';
const CONTROLS = ['s3-bucket-ssl-only', 's3-bucket-public-read', 's3-bucket-public-write', 'iam-no-admin-star-policies'];

/** Longest legal bucket name, all one letter: the text a `*a*a*...` pattern backtracks over. */
const LONG_BUCKET = 'a'.repeat(63);
/** Dots are regex metacharacters; `?` in a policy must match them as one character, nothing more. */
const DOTTED_BUCKET = 'dots.in.name';
/** Shortest legal names, digits and a hyphen. */
const TINY_BUCKET = '0-0';

const HOSTILE_ACTION = `s3:${'*?'.repeat(2_000)}x`;
const HOSTILE_RESOURCE = `arn:aws:s3:::${'*a'.repeat(30)}*b`;
const HOSTILE_PRINCIPAL = `arn:aws:iam::123456789012:${'*?'.repeat(500)}`;

function denyPlainHttp(resources: string[]): Record<string, unknown> {
  return { Sid: 'DenyPlainHttp', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: resources, Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
}

describe('hostile wildcards and bucket names seeded through the API', () => {
  const moto = useMoto();
  let results: ResultsDocument;
  let packDir: string;
  let disguisedAdmin: string;
  const statusOf = (control: string, resourceId: string): string | undefined =>
    results.controls.find((c) => c.id === control)?.results.find((r) => r.resourceId === resourceId)?.status;

  beforeAll(async () => {
    const s3 = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true });
    const iam = new IAMClient({ region: REGION, endpoint: moto.endpoint });
    for (const bucket of [LONG_BUCKET, DOTTED_BUCKET, TINY_BUCKET]) await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: LONG_BUCKET,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            // Would deny plain HTTP, but only for buckets ending in "b": not this one.
            denyPlainHttp([HOSTILE_RESOURCE, `${HOSTILE_RESOURCE}/*`]),
            // Public, but no S3 action is 2,000+ characters long and ends in "x": grants nothing real.
            { Sid: 'Odd', Effect: 'Allow', Principal: { AWS: ['*', HOSTILE_PRINCIPAL] }, Action: [HOSTILE_ACTION], Resource: `arn:aws:s3:::${'a*'.repeat(2_000)}` },
          ],
        }),
      }),
    );
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: DOTTED_BUCKET,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [denyPlainHttp(['arn:aws:s3:::dots?in?name', 'arn:aws:s3:::dots?in?name/*'])] }),
      }),
    );
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'hostile-wildcards',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [`iam:${'*?'.repeat(1_000)}x`], Resource: [`arn:aws:s3:::${'a*'.repeat(1_000)}`] }] }),
      }),
    );
    disguisedAdmin = await iam
      .send(new CreatePolicyCommand({ PolicyName: 'disguised-admin', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*?:*', Resource: '*' }] }) }))
      .then(
        () => 'accepted',
        (err: unknown) => (err as Error).message,
      );
    const out = await mkdtemp(join(tmpdir(), 'auditpack-hostile-'));
    ({ results, packDir } = await collectAndAssess({ out, regions: [REGION], endpoint: moto.endpoint, maxAttempts: 2, controlIds: CONTROLS }));
  }, 240_000);

  it('collected the hostile documents as seeded (moto kept them)', async () => {
    const evidence = await readFile(join(packDir, 'evidence', '123456789012', REGION, 's3.buckets.json'), 'utf8').catch(() =>
      readFile(join(packDir, 'evidence', '123456789012', 'global', 's3.buckets.json'), 'utf8'),
    );
    expect(evidence).toContain(HOSTILE_RESOURCE);
    expect(evidence).toContain(HOSTILE_ACTION);
    expect(evidence).toContain(HOSTILE_PRINCIPAL);
    const iam = await readFile(join(packDir, 'evidence', '123456789012', 'global', 'iam.authorization-details.json'), 'utf8');
    expect(iam).toContain('*?'.repeat(1_000));
  });

  it('completes the run and judges every hostile resource', () => {
    for (const id of CONTROLS) expect(results.controls.find((c) => c.id === id), id).toBeDefined();
    for (const bucket of [LONG_BUCKET, DOTTED_BUCKET, TINY_BUCKET]) {
      for (const id of CONTROLS.slice(0, 3)) expect(statusOf(id, `arn:aws:s3:::${bucket}`), `${id} ${bucket}`).toMatch(/^(PASS|FAIL)$/);
    }
  });

  it('s3-bucket-ssl-only: a hostile Deny that does not cover the bucket FAILs; ? matches one dot', () => {
    expect(statusOf('s3-bucket-ssl-only', `arn:aws:s3:::${LONG_BUCKET}`)).toBe('FAIL');
    expect(statusOf('s3-bucket-ssl-only', `arn:aws:s3:::${DOTTED_BUCKET}`)).toBe('PASS');
    expect(statusOf('s3-bucket-ssl-only', `arn:aws:s3:::${TINY_BUCKET}`)).toBe('FAIL');
  });

  it('s3-bucket-public-read/write: a public statement whose action matches no S3 action grants nothing', () => {
    for (const id of ['s3-bucket-public-read', 's3-bucket-public-write']) expect(statusOf(id, `arn:aws:s3:::${LONG_BUCKET}`), id).toBe('PASS');
  });

  it('iam-no-admin-star-policies: a policy of hostile wildcards that grant no real action PASSes', () => {
    expect(statusOf('iam-no-admin-star-policies', 'arn:aws:iam::123456789012:policy/hostile-wildcards')).toBe('PASS');
  });

  it('moto gap: IAM (like AWS) rejects a wildcard vendor, so admin disguised as "*?:*" is covered by test/unit/rules/functions/iam-wildcards.test.ts', () => {
    expect(disguisedAdmin).toMatch(/Vendor \*\? is not valid/);
  });
});


/** The real CLI; AWS points at a closed loopback port, so every refusal must come before any AWS call. */
const cli = (args: string[]): Promise<CliResult> => runCli(args, { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });

function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
}

function expectOneLineBomb(result: CliResult, file: string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toContain(`${file}: YAML aliases expand to more than 100 nodes (an alias bomb?)`);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('YAML alias bombs through the CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auditpack-bomb-'));
  });

  it('in a config file', async () => {
    const file = join(dir, 'auditpack.yaml');
    await writeFile(file, billionLaughs());
    expectOneLineBomb(await cli(['run', '--config', file, '--regions', REGION]), file);
  });

  it('in a waivers file', async () => {
    const file = join(dir, 'waivers.yaml');
    await writeFile(file, billionLaughs());
    expectOneLineBomb(await cli(['run', '--waivers', file, '--regions', REGION, '--no-report']), file);
  });

  it('in a report definition', async () => {
    const file = join(dir, 'report.yaml');
    await writeFile(file, billionLaughs());
    expectOneLineBomb(await cli(['run', '--definition', file, '--regions', REGION]), file);
  });

  it('in a controls directory', async () => {
    const controls = await controlsDirWith({ 'iam/ok.yaml': VALID_CONTROL, 'iam/bomb.yaml': billionLaughs() });
    const result = await cli(['controls', 'lint', '--controls-dir', controls]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/bomb\.yaml: YAML aliases expand to more than 100 nodes \(an alias bomb\?\) \(fix: /);
  });
});
