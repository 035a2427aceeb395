import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectorsOf } from '../../collectors/index.js';
import type { EvidenceRecord } from '../../src/core/types.js';
import { controlIdsOf } from '../helpers/estate.js';
import { useMoto } from '../helpers/moto.js';
import { auditAs, readPackEvidence, ROOT_CREDENTIALS as ROOT } from '../helpers/auditor.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';

const REFUSED = 'refused-versioning';
const OPEN = 'fully-readable';

/**
 * The case: an identity policy Deny scoped to one bucket refuses the auditor s3:GetBucketVersioning on it.
 * That bucket is ERROR for the versioning control only and still judged on SSL-only, encryption, logging and
 * public access; the other bucket is judged on everything.
 */
describe('a refused per-resource call blinds only the fields it fills', () => {
  const moto = useMoto();
  let results: ResultsDocument;
  let evidence: EvidenceRecord[];

  beforeAll(async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: ROOT });
    for (const bucket of [REFUSED, OPEN]) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(new PutBucketEncryptionCommand({ Bucket: bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
      await s3.send(
        new PutPublicAccessBlockCommand({
          Bucket: bucket,
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
        }),
      );
      await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    }
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: REFUSED,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${REFUSED}`, `arn:aws:s3:::${REFUSED}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
          ],
        }),
      }),
    );
    await s3.send(new PutBucketLoggingCommand({ Bucket: OPEN, BucketLoggingStatus: {} }));
    await auditAs(moto.endpoint, [
      { Effect: 'Allow', Action: ['s3:*', 'sts:GetCallerIdentity'], Resource: '*' },
      { Effect: 'Deny', Action: 's3:GetBucketVersioning', Resource: `arn:aws:s3:::${REFUSED}` },
    ]);
    const out = await mkdtemp(join(tmpdir(), 'auditpack-field-errors-'));
    const s3Controls = await controlIdsOf(collectorsOf('s3'));
    let packDir: string;
    ({ results, packDir } = await collectAndAssess({ out, regions: ['us-east-1'], endpoint: moto.endpoint, maxAttempts: 1, controlIds: s3Controls }));
    evidence = await readPackEvidence(packDir);
  }, 120_000);

  const result = (control: string, bucket: string) => results.controls.find((c) => c.id === control)?.results.find((r) => r.resourceId === `arn:aws:s3:::${bucket}`);

  it('keeps the bucket and every other field, and names the missing ones with the action and error', () => {
    const record = evidence.find((r) => r.collector.id === 's3.buckets')!;
    expect(record.status).toBe('ok');
    const refused = record.resources.find((r) => r.name === REFUSED)!;
    expect(refused).not.toHaveProperty('versioning');
    expect(refused).not.toHaveProperty('mfaDelete');
    expect(refused).toMatchObject({ encryption: { enabled: true, algorithm: 'AES256' }, publicAccessBlockConfigured: true, logging: { enabled: false } });
    expect(refused.collectionErrors).toEqual([
      { fields: ['versioning', 'mfaDelete'], action: 's3:GetBucketVersioning', code: 'AccessDenied', message: expect.stringMatching(/^missing permission s3:GetBucketVersioning/) },
    ]);
    expect(record.raw[`GetBucketVersioning:${REFUSED}`]).toMatchObject({ error: { action: 's3:GetBucketVersioning', code: 'AccessDenied' } });
    expect(record.resources.find((r) => r.name === OPEN)).toMatchObject({ versioning: 'Enabled' });
  });

  it('is ERROR for the versioning control only, naming the action', () => {
    expect(result('s3-bucket-versioning', REFUSED)).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/versioning, mfaDelete not collected: missing permission s3:GetBucketVersioning/) });
    expect(result('s3-bucket-versioning', OPEN)?.status).toBe('PASS');
  });

  it('is still judged PASS or FAIL by the SSL-only, encryption, logging and public-access controls', () => {
    expect(result('s3-bucket-ssl-only', REFUSED)?.status).toBe('PASS');
    expect(result('s3-bucket-ssl-only', OPEN)?.status).toBe('FAIL');
    expect(result('s3-bucket-default-encryption', REFUSED)).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/AES256, not SSE-KMS/) });
    expect(result('s3-bucket-access-logging', REFUSED)?.status).toBe('FAIL');
    expect(result('s3-bucket-public-access-block', REFUSED)?.status).toBe('PASS');
    expect(result('s3-bucket-public-read', REFUSED)?.status).toBe('PASS');
    expect(result('s3-bucket-public-write', REFUSED)?.status).toBe('PASS');
    const errors = results.controls.flatMap((c) => c.results.filter((r) => r.status === 'ERROR').map((r) => `${c.id} ${r.resourceId}`));
    // s3-bucket-mfa-delete reads mfaDelete, which the refused GetBucketVersioning call also fills: ERROR as well.
    expect(errors.sort()).toEqual([`s3-bucket-mfa-delete arn:aws:s3:::${REFUSED}`, `s3-bucket-versioning arn:aws:s3:::${REFUSED}`]);
  });
});
