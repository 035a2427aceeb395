import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAccountCommand, CreateOrganizationCommand, DescribeCreateAccountStatusCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectors as registry } from '../../collectors/index.js';
import { accountTarget, clientsFor } from '../../src/collect/aws-access.js';
import { CallBudget } from '../../src/collect/call-budget.js';
import { collectEvidence, type CollectionSummary } from '../../src/collect/collect.js';
import { readJson } from '../../src/core/fs.js';
import type { EvidenceRecord } from '../../src/core/types.js';
import { DEMO_ROLE } from '../../src/demo/estate.js';
import { collect } from '../../src/pipeline/collect.js';
import { cliInProcess, expectRefusal } from '../helpers/cli.js';
import { useMoto } from '../helpers/moto.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

const REGIONS = ['eu-west-1', 'us-east-1'];
const COLLECTOR_IDS = ['ec2.security-groups', 'kms.keys', 'iam.account-summary'];
const MEMBERS = 4;
/** Every request through the proxy takes this long, so calls last long enough to overlap (moto alone is fast). */
const LATENCY_MS = 40;
const RETRY = { baseDelayMs: 5, throttleBaseDelayMs: 5, maxDelayMs: 50 };

describe('scheduler against moto: an organisation of five accounts', () => {
  const moto = useMoto();
  let accounts: string[];
  let management: string;
  let proxy: FaultProxy;
  let out: string;
  const collectors = registry.filter((c) => COLLECTOR_IDS.includes(c.id));

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'auditpack-scheduler-'));
    const org = clientsFor({ account: 'management', endpoint: moto.endpoint, maxAttempts: 2 }).forRegion('us-east-1').get(OrganizationsClient);
    management = (await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization!.MasterAccountId!;
    accounts = [management];
    for (let i = 0; i < MEMBERS; i++) {
      const request = await org.send(new CreateAccountCommand({ AccountName: `member-${i}`, Email: `member-${i}@example.com`, RoleName: DEMO_ROLE }));
      const status = await org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: request.CreateAccountStatus!.Id }));
      accounts.push(status.CreateAccountStatus!.AccountId!);
    }
    // A rule that never faults (rate 0) but delays every request.
    proxy = await startFaultProxy(moto.endpoint, { rules: [{ rate: 0, fault: 'throttle', delayMs: LATENCY_MS }] });
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await rm(out, { recursive: true, force: true });
  });

  const run = async (name: string, limits: { concurrency: number; window: number; maxCalls: number }): Promise<{ summary: CollectionSummary; ms: number }> => {
    const targets = accounts.map((account) => accountTarget({ account, endpoint: proxy.endpoint, maxAttempts: 3, retry: RETRY, ...(account === management ? {} : { roleName: DEMO_ROLE }) }));
    const started = Date.now();
    const summary = await collectEvidence({ packDir: join(out, name), targets, regions: REGIONS, homeRegion: 'us-east-1', collectors, ...limits, budget: new CallBudget({ maxCalls: limits.maxCalls, perKey: 5 }) });
    return { summary, ms: Date.now() - started };
  };

  it('overlaps calls of several accounts within the budget, where a window of one account cannot', async () => {
    // moto builds each account's and region's backends on first use (EC2's default VPC ...): not ours to time.
    await run('warm-up', { concurrency: 10, window: 5, maxCalls: 10 });
    const narrow = await run('narrow', { concurrency: 10, window: 1, maxCalls: 10 });
    const wide = await run('wide', { concurrency: 10, window: 5, maxCalls: 10 });
    const runsPerAccount = 1 + 2 * REGIONS.length;
    for (const { summary } of [wide, narrow]) {
      expect(summary.runs).toBe(accounts.length * runsPerAccount);
      expect(summary.errors).toBe(0);
      expect(summary.budget.peakOnWire).toBeLessThanOrEqual(10);
    }
    // Through the real clients, the budget saw attempts of several accounts on the wire at the same moment ...
    expect(wide.summary.budget.peakAccountsOnWire).toBeGreaterThanOrEqual(3);
    expect(wide.summary.budget.peakOnWire).toBeGreaterThan(5);
    // ... which a window of one account never allows (the next account may start while the last runs of one finish).
    expect(narrow.summary.budget.peakAccountsOnWire).toBeLessThanOrEqual(2);
    // Wall times are printed, not asserted: on a shared machine moto's own pace decides them (bench/ measures).
    // Same evidence either way (paths, statuses, resources).
    expect(wide.summary.files.map((f) => f.path)).toEqual(narrow.summary.files.map((f) => f.path));
    for (const file of wide.summary.files) {
      const a = await readJson<EvidenceRecord>(join(out, 'wide', file.path));
      const b = await readJson<EvidenceRecord>(join(out, 'narrow', file.path));
      expect(a.status, file.path).toBe('ok');
      expect(a.resources, file.path).toEqual(b.resources);
    }
    process.stdout.write(`scheduler: ${accounts.length} accounts × ${runsPerAccount} runs at ${LATENCY_MS} ms a call: window 5 ${wide.ms} ms (peak ${wide.summary.budget.peakOnWire} on the wire, ${wide.summary.budget.peakAccountsOnWire} accounts), window 1 ${narrow.ms} ms\n`);
  }, 120_000);

  it('backs a throttled service off and still collects everything', async () => {
    proxy.setRules([
      { match: { service: 'ec2' }, rate: 0.4, fault: 'throttle', delayMs: 5 },
      { rate: 0, fault: 'throttle', delayMs: 5 },
    ]);
    try {
      const { summary } = await run('storm', { concurrency: 10, window: 5, maxCalls: 10 });
      expect(summary.errors).toBe(0);
      expect(summary.budget.throttled).toBeGreaterThan(0);
      expect(summary.budget.backoffs).toBeGreaterThan(0);
    } finally {
      proxy.setRules([{ rate: 0, fault: 'throttle', delayMs: LATENCY_MS }]);
    }
  }, 120_000);

  it('takes --max-calls and --concurrency through the pipeline (and refuses a budget of 0 in one line)', async () => {
    const { summary, run: record } = await collect({ out: join(out, 'pipeline'), organization: true, roleName: DEMO_ROLE, regions: REGIONS, endpoint: proxy.endpoint, maxAttempts: 3, collectors, maxCalls: 3, concurrency: 2 });
    expect(record.accounts).toHaveLength(accounts.length);
    expect(summary.limits).toEqual({ maxCalls: 3, runs: 2, window: 1 });
    expect(summary.budget.peakOnWire).toBeLessThanOrEqual(3);
    expect(summary.errors).toBe(0);
    expectRefusal(await cliInProcess(['collect', '--max-calls', '0']), 2, /--max-calls.*expected a positive integer, got "0"/);
  }, 120_000);
});
