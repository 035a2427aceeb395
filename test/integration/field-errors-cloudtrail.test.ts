import { CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorsOf } from '../../collectors/index.js';
import type { EvidenceRecord, ResourceResult } from '../../src/core/types.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { controlIdsOf } from '../helpers/estate.js';
import { useMoto } from '../helpers/moto.js';
import { auditAs, readPackEvidence, ROOT_CREDENTIALS as ROOT } from '../helpers/auditor.js';
import { startFaultProxy, type FaultProxy, type FaultRule } from '../support/fault-proxy.js';

const ACCOUNT = '123456789012';
const REFUSED = 'central';
const OPEN = 'app';
const arn = (name: string) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;

interface Run {
  results: ResultsDocument;
  record: EvidenceRecord;
}

/**
 * Issue 10 for CloudTrail: the auditor is refused cloudtrail:GetTrailStatus (then cloudtrail:GetEventSelectors) on
 * one trail. The trail is kept and judged by the controls that read only what was collected (log file validation,
 * KMS encryption); CloudTrail.1, which reads every trail's logging status and management events, is ERROR for the
 * scope naming the refused action.
 */
describe('CloudTrail: a refused per-trail call blinds only the controls that read its fields', () => {
  const moto = useMoto();
  let proxy: FaultProxy | undefined;
  let auditor: { accessKeyId: string; secretAccessKey: string };
  let controlIds: string[];
  const runs: Record<'status' | 'selectors', Run> = {} as never;

  async function run(rule: FaultRule): Promise<Run> {
    proxy!.setRules([rule]);
    const out = await mkdtemp(join(tmpdir(), 'auditpack-field-errors-cloudtrail-'));
    const { results, packDir } = await collectAndAssess({ out, regions: ['us-east-1'], endpoint: proxy!.endpoint, maxAttempts: 1, controlIds });
    const record = (await readPackEvidence(packDir)).find((r) => r.collector.id === 'cloudtrail.trails')!;
    return { results, record };
  }

  beforeAll(async () => {
    const s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: ROOT });
    await s3.send(new CreateBucketCommand({ Bucket: 'trail-logs' }));
    const kms = new KMSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: ROOT });
    const key = await kms.send(new CreateKeyCommand({ Description: 'trail logs' }));
    const cloudtrail = new CloudTrailClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: ROOT });
    await cloudtrail.send(new CreateTrailCommand({ Name: REFUSED, S3BucketName: 'trail-logs', IsMultiRegionTrail: true, EnableLogFileValidation: true, KmsKeyId: key.KeyMetadata?.Arn }));
    await cloudtrail.send(new CreateTrailCommand({ Name: OPEN, S3BucketName: 'trail-logs', IsMultiRegionTrail: false, EnableLogFileValidation: false }));
    for (const name of [REFUSED, OPEN]) await cloudtrail.send(new StartLoggingCommand({ Name: name }));

    auditor = await auditAs(moto.endpoint, [
      { Effect: 'Allow', Action: ['cloudtrail:*', 'sts:GetCallerIdentity'], Resource: '*' },
      { Effect: 'Deny', Action: ['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'], Resource: arn(REFUSED) },
    ]);

    // moto authorises CloudTrail calls against resource "*", so the proxy answers for the ARN-scoped Deny as AWS would.
    proxy = await startFaultProxy(moto.endpoint);
    controlIds = await controlIdsOf(collectorsOf('cloudtrail'));
    runs.status = await run({ match: { service: 'cloudtrail', operation: 'GetTrailStatus', contains: arn(REFUSED) }, fault: 'access-denied' });
    runs.selectors = await run({ match: { service: 'cloudtrail', operation: 'GetEventSelectors', contains: arn(REFUSED) }, fault: 'access-denied' });
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
  });

  const result = (r: Run, control: string, id: string): ResourceResult | undefined => r.results.controls.find((c) => c.id === control)?.results.find((x) => x.resourceId === id);
  const trail = (r: Run, name: string) => r.record.resources.find((x) => x.id === arn(name))!;

  it('moto gap: an identity-policy Deny scoped to one trail ARN is not enforced (moto authorises CloudTrail against resource "*")', async () => {
    const cloudtrail = new CloudTrailClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: auditor });
    // Real AWS answers AccessDeniedException here; the proxy stands in for it in the runs above.
    await expect(cloudtrail.send(new GetTrailStatusCommand({ Name: arn(REFUSED) }))).resolves.toMatchObject({ IsLogging: true });
  });

  it('GetTrailStatus refused: the trail is kept without isLogging, naming the call; the other trail is whole', () => {
    const { record } = runs.status;
    expect(record.status).toBe('ok');
    const refused = trail(runs.status, REFUSED);
    expect(refused).not.toHaveProperty('isLogging');
    expect(refused).toMatchObject({ isMultiRegion: true, logFileValidation: true, kmsEncrypted: true, readWriteType: 'ALL', includeManagementEvents: true });
    expect(refused.collectionErrors).toEqual([
      { fields: ['isLogging'], action: 'cloudtrail:GetTrailStatus', code: 'AccessDeniedException', message: expect.stringMatching(/^missing permission cloudtrail:GetTrailStatus: /) },
    ]);
    expect(record.raw[`GetTrailStatus:${arn(REFUSED)}`]).toMatchObject({ error: { action: 'cloudtrail:GetTrailStatus', code: 'AccessDeniedException' } });
    expect(trail(runs.status, OPEN)).toMatchObject({ isLogging: true, readWriteType: 'ALL' });
    expect(trail(runs.status, OPEN)).not.toHaveProperty('collectionErrors');
    expect(record.resources.find((x) => x.type === 'AWS::::Account')).toMatchObject({ trailCount: 2, multiRegionTrailCount: 1 });
  });

  it('GetTrailStatus refused: CloudTrail.1 is ERROR for the scope naming the action; validation and encryption judge the trail', () => {
    const r = runs.status;
    expect(result(r, 'cloudtrail-multi-region-enabled', `AWS::::Account:${ACCOUNT}`)).toMatchObject({
      status: 'ERROR',
      message: expect.stringMatching(new RegExp(`^evidence cloudtrail.trails ${arn(REFUSED)}: isLogging not collected: missing permission cloudtrail:GetTrailStatus`)),
    });
    expect(result(r, 'cloudtrail-log-file-validation', arn(REFUSED))?.status).toBe('PASS');
    expect(result(r, 'cloudtrail-kms-encryption', arn(REFUSED))?.status).toBe('PASS');
    expect(result(r, 'cloudtrail-log-file-validation', arn(OPEN))?.status).toBe('FAIL');
    expect(result(r, 'cloudtrail-kms-encryption', arn(OPEN))?.status).toBe('FAIL');
    const errors = r.results.controls.flatMap((c) => c.results.filter((x) => x.status === 'ERROR').map(() => c.id));
    // The account-level verdicts that need some logging trail (CloudTrail.1, S3.22, S3.23) read isLogging.
    expect(errors).toEqual(['cloudtrail-multi-region-enabled', 'cloudtrail-s3-data-events-read', 'cloudtrail-s3-data-events-write']);
  });

  it('GetEventSelectors refused: the trail lacks the management-event fields only, and CloudTrail.1 is ERROR naming that action', () => {
    const r = runs.selectors;
    const refused = trail(r, REFUSED);
    for (const field of ['includeManagementEvents', 'managementEventsRead', 'managementEventsWrite', 'readWriteType', 'selectorSource', 's3DataEventsRead', 's3DataEventsWrite']) expect(refused).not.toHaveProperty(field);
    expect(refused).toMatchObject({ isLogging: true, logFileValidation: true });
    expect(refused.collectionErrors?.map((e) => [e.action, e.code])).toEqual([['cloudtrail:GetEventSelectors', 'AccessDeniedException']]);
    expect(result(r, 'cloudtrail-multi-region-enabled', `AWS::::Account:${ACCOUNT}`)).toMatchObject({
      status: 'ERROR',
      message: expect.stringMatching(/not collected: missing permission cloudtrail:GetEventSelectors/),
    });
    expect(result(r, 'cloudtrail-log-file-validation', arn(REFUSED))?.status).toBe('PASS');
    expect(result(r, 'cloudtrail-kms-encryption', arn(REFUSED))?.status).toBe('PASS');
  });
});
