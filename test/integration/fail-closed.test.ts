import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.js';
import { runCollector } from '../../src/collect/run-collector.js';
import { AccountClients } from '../../src/collect/clients.js';
import { enforceMotoAuth, useMoto } from '../helpers/moto.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';

/**
 * moto enforces IAM after INITIAL_NO_AUTH_ACTION_COUNT unauthenticated actions: we use them to create an auditor
 * whose policy lacks iam:GenerateCredentialReport and iam:GetCredentialReport, then audit with its keys.
 */
const SETUP_ACTIONS = 4;
const ALLOWED = ['sts:GetCallerIdentity', 'iam:GetAccountSummary', 'iam:GetAccountPasswordPolicy'];

describe('fail closed', () => {
  const moto = useMoto();
  let results: ResultsDocument;

  beforeAll(async () => {
    await enforceMotoAuth(moto.endpoint, SETUP_ACTIONS);
    const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await iam.send(new CreateUserCommand({ UserName: 'auditor' }));
    const policy = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'partial-auditor',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ALLOWED, Resource: '*' }] }),
      }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: 'auditor', PolicyArn: policy.Policy?.Arn }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'auditor' }));
    process.env.AWS_ACCESS_KEY_ID = key.AccessKey?.AccessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = key.AccessKey?.SecretAccessKey;
    delete process.env.AWS_SESSION_TOKEN;
    const out = await mkdtemp(join(tmpdir(), 'auditpack-failclosed-'));
    ({ results } = await collectAndAssess({
      out,
      regions: ['us-east-1'],
      endpoint: moto.endpoint,
      maxAttempts: 1,
      controlIds: ['iam-root-mfa', 'iam-password-min-length', 'iam-console-users-mfa', 'iam-access-key-age', 'iam-unused-credentials'],
    }));
  });

  it('gives ERROR with the missing permission for every control that needed the denied evidence', () => {
    for (const id of ['iam-console-users-mfa', 'iam-access-key-age', 'iam-unused-credentials']) {
      const control = results.controls.find((c) => c.id === id)!;
      expect(control.status, id).toBe('ERROR');
      expect(control.results.some((r) => r.status === 'PASS'), id).toBe(false);
      expect(control.results[0]?.message, id).toMatch(/missing permission iam:GenerateCredentialReport/);
    }
  });

  it('still judges controls whose evidence was allowed', () => {
    expect(results.controls.find((c) => c.id === 'iam-root-mfa')?.status).toBe('FAIL');
    expect(results.controls.find((c) => c.id === 'iam-password-min-length')?.status).not.toBe('ERROR');
  });

  it('never lets a denied collector look like an empty account', () => {
    expect(results.summary.byStatus.ERROR).toBeGreaterThanOrEqual(3);
    expect(results.summary.score).not.toBe(100);
  });
});

describe('fail closed: throttling', () => {
  const moto = useMoto();

  it('records a call that was throttled on every attempt as an error record, after retrying', async () => {
    // Small backoff: the budget is what is under test here, not the waits.
    const clients = new AccountClients('123456789012', { endpoint: moto.endpoint, maxAttempts: 3, callsPerService: 2, retry: { throttleBaseDelayMs: 5 } });
    const provider = clients.forRegion('us-east-1');
    let attempts = 0;
    const iam = provider.get(IAMClient);
    // Inject throttling below the retry layer, as a real throttled endpoint would answer.
    iam.middlewareStack.add(
      () => async () => {
        attempts++;
        throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 }, $retryable: { throttling: true } });
      },
      { step: 'finalizeRequest', name: 'injectThrottling', priority: 'low' },
    );
    const summary = collectors.find((c) => c.id === 'iam.account-summary')!;
    const record = await runCollector(summary, { account: '123456789012', region: 'us-east-1', clients: provider });
    expect(record.status).toBe('error');
    expect(record.resources).toEqual([]);
    expect(record.error?.message).toMatch(/throttled and never succeeded on iam:GetAccountSummary/);
    // Throttling gets three times --max-attempts (src/collect/retry.ts).
    expect(attempts).toBe(9);
    expect(record.calls).toEqual([expect.objectContaining({ service: 'iam', action: 'GetAccountSummary', ok: false, errorCode: 'Throttling' })]);
  });
});
