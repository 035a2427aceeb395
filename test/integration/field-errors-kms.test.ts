import { CreateAliasCommand, CreateKeyCommand, EnableKeyRotationCommand, GetKeyRotationStatusCommand, KMSClient } from '@aws-sdk/client-kms';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectorsOf } from '../../collectors/index.js';
import type { EvidenceRecord } from '../../src/core/types.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { controlIdsOf } from '../helpers/estate.js';
import { useMoto } from '../helpers/moto.js';
import { auditAs, readPackEvidence, ROOT_CREDENTIALS as ROOT } from '../helpers/auditor.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';


/**
 * Issue 10 for KMS: the auditor is refused kms:GetKeyRotationStatus on one key (an identity-policy Deny scoped to
 * its ARN) and kms:DescribeKey on another (a Deny in that key's own key policy). Each key is ERROR for the
 * rotation control naming the refused action; the third key is judged.
 */
describe('KMS: a refused per-key call makes only that key ERROR', () => {
  const moto = useMoto();
  let proxy: FaultProxy | undefined;
  let results: ResultsDocument;
  let record: EvidenceRecord;
  let auditor: { accessKeyId: string; secretAccessKey: string };
  const keys = { rotationRefused: '', open: '', locked: '' };
  const arns = { rotationRefused: '', open: '', locked: '' };

  beforeAll(async () => {
    const kms = new KMSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: ROOT });
    const create = async (name: keyof typeof keys, policy?: object) => {
      const key = await kms.send(new CreateKeyCommand({ Description: name, ...(policy ? { Policy: JSON.stringify(policy) } : {}) }));
      keys[name] = key.KeyMetadata?.KeyId as string;
      arns[name] = key.KeyMetadata?.Arn as string;
      await kms.send(new CreateAliasCommand({ AliasName: `alias/${name}`, TargetKeyId: keys[name] }));
    };
    await create('rotationRefused');
    await kms.send(new EnableKeyRotationCommand({ KeyId: keys.rotationRefused }));
    await create('open');
    // A key policy that refuses DescribeKey to everyone: KMS key policies are authoritative, whatever IAM allows.
    await create('locked', {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Enable IAM policies', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' },
        { Sid: 'Nobody describes this key', Effect: 'Deny', Principal: '*', Action: 'kms:DescribeKey', Resource: '*' },
      ],
    });

    auditor = await auditAs(moto.endpoint, [
      { Effect: 'Allow', Action: ['kms:*', 'sts:GetCallerIdentity'], Resource: '*' },
      { Effect: 'Deny', Action: 'kms:GetKeyRotationStatus', Resource: arns.rotationRefused },
    ]);

    // moto authorises KMS calls against resource "*", so the ARN-scoped Deny needs the proxy to answer as AWS would.
    proxy = await startFaultProxy(moto.endpoint, {
      rules: [{ match: { service: 'kms', operation: 'GetKeyRotationStatus', contains: keys.rotationRefused }, fault: 'access-denied' }],
    });
    const out = await mkdtemp(join(tmpdir(), 'auditpack-field-errors-kms-'));
    const controlIds = await controlIdsOf(collectorsOf('kms'));
    let packDir: string;
    ({ results, packDir } = await collectAndAssess({ out, regions: ['us-east-1'], endpoint: proxy.endpoint, maxAttempts: 1, controlIds }));
    record = (await readPackEvidence(packDir)).find((r) => r.collector.id === 'kms.keys' && r.region === 'us-east-1')!;
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
  });

  const rotation = (name: keyof typeof arns) => results.controls.find((c) => c.id === 'kms-key-rotation')?.results.find((r) => r.resourceId === arns[name]);
  const resource = (name: keyof typeof arns) => record.resources.find((r) => r.id === arns[name]);

  it('moto gap: an identity-policy Deny scoped to one key ARN is not enforced (moto authorises KMS against resource "*")', async () => {
    const kms = new KMSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: auditor });
    // Real AWS answers AccessDeniedException here; the proxy stands in for it in the run above.
    await expect(kms.send(new GetKeyRotationStatusCommand({ KeyId: keys.rotationRefused }))).resolves.toMatchObject({ KeyRotationEnabled: true });
  });

  it('keeps every key; the refused ones lack exactly the fields of the refused call and name it', () => {
    expect(record.status).toBe('ok');
    expect(record.resources).toHaveLength(3);
    const refused = resource('rotationRefused')!;
    expect(refused).toMatchObject({ keyId: keys.rotationRefused, aliases: ['alias/rotationRefused'], keyManager: 'CUSTOMER', rotationApplicable: true, description: 'rotationRefused' });
    expect(refused).not.toHaveProperty('rotationEnabled');
    expect(refused).not.toHaveProperty('rotationPeriodInDays');
    expect(refused.collectionErrors).toEqual([
      { fields: ['rotationEnabled', 'rotationPeriodInDays'], action: 'kms:GetKeyRotationStatus', code: 'AccessDeniedException', message: expect.stringMatching(/^missing permission kms:GetKeyRotationStatus: /) },
    ]);
    expect(record.raw[`GetKeyRotationStatus:${keys.rotationRefused}`]).toMatchObject({ error: { action: 'kms:GetKeyRotationStatus', code: 'AccessDeniedException' } });

    const locked = resource('locked')!;
    expect(locked).toMatchObject({ keyId: keys.locked, name: 'alias/locked', aliases: ['alias/locked'] });
    expect(locked).not.toHaveProperty('rotationApplicable');
    expect(locked).not.toHaveProperty('keyManager');
    expect(locked.collectionErrors?.map((e) => [e.action, e.code])).toEqual([['kms:DescribeKey', 'AccessDeniedException']]);
    expect(Object.keys(record.raw)).not.toContain(`GetKeyRotationStatus:${keys.locked}`);

    expect(resource('open')).toMatchObject({ rotationApplicable: true, rotationEnabled: false });
    expect(resource('open')).not.toHaveProperty('collectionErrors');
  });

  it('is ERROR for the refused keys naming the action, and judges the other key', () => {
    expect(rotation('rotationRefused')).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/^rotationEnabled, rotationPeriodInDays not collected: missing permission kms:GetKeyRotationStatus/) });
    expect(rotation('locked')).toMatchObject({ status: 'ERROR', message: expect.stringMatching(/rotationApplicable, .*not collected: missing permission kms:DescribeKey/) });
    expect(rotation('open')).toMatchObject({ status: 'FAIL', message: expect.stringMatching(/does not rotate automatically/) });
    const errors = results.controls.flatMap((c) => c.results.filter((r) => r.status === 'ERROR').map((r) => `${c.id} ${r.resourceId}`));
    expect(errors.sort()).toEqual([`kms-key-rotation ${arns.locked}`, `kms-key-rotation ${arns.rotationRefused}`].sort());
  });
});
