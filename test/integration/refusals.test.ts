import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeFileSystemsCommand, EFSClient } from '@aws-sdk/client-efs';
import { GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/cli/summary.js';
import { describeFailure } from '../../src/collect/failure.js';
import type { EvidenceRecord, Refusal } from '../../src/core/types.js';
import { DEMO_ROLE } from '../../src/demo/estate.js';
import { compareExpectations, formatMismatch } from '../../src/demo/expectations.js';
import { renderReports } from '../../src/pipeline/report.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { useSeededEstate } from '../helpers/estate.js';
import { startFaultProxy, type FaultKind, type FaultProxy, type FaultRule } from '../support/fault-proxy.js';

/**
 * Whole regions and services that refuse the auditor, answered by the fault proxy in each protocol's own error
 * shape in front of moto: recognised at collection, stated once per account and region (or service) in results.json,
 * the terminal summary and both reports, while the controls there are ERROR with the reason and the rest of the
 * estate is judged as usual.
 */

const seeded = useSeededEstate('guardduty', 'kms');
let proxy: FaultProxy;
const packs: string[] = [];

beforeAll(async () => {
  proxy = await startFaultProxy(seeded.moto.endpoint, { seed: 3 });
});
afterAll(async () => {
  await proxy.close();
  for (const dir of packs) await rm(dir, { recursive: true, force: true });
});

const REGIONS = ['us-east-1', 'eu-west-1'];
const REFUSED = 'eu-west-1';
/** Regional evidence over three protocols (REST-JSON GuardDuty, JSON KMS, EC2 query) and global IAM (query). */
const CONTROLS = ['guardduty-enabled', 'kms-key-rotation', 'ec2-ebs-default-encryption', 'iam-root-mfa', 'iam-password-min-length'];
const REGIONAL_COLLECTORS = ['ec2.ebs-encryption-by-default', 'guardduty.detectors', 'kms.keys'];

interface Audit {
  packDir: string;
  results: ResultsDocument;
}

/** The real pipeline (organisation, assumed role, both regions) through the proxy with these rules. */
async function audit(rules: FaultRule[]): Promise<Audit> {
  proxy.setRules(rules);
  proxy.resetStats();
  const out = await mkdtemp(join(tmpdir(), 'auditpack-refusals-'));
  packs.push(out);
  const { packDir, results } = await collectAndAssess({ out, organization: true, roleName: DEMO_ROLE, regions: REGIONS, endpoint: proxy.endpoint, maxAttempts: 2, controlIds: CONTROLS });
  return { packDir, results };
}

function resultsIn(results: ResultsDocument, where: (control: string, region: string) => boolean) {
  return results.controls.flatMap((c) => c.results.filter((r) => where(c.id, r.region)).map((r) => ({ control: c.id, ...r })));
}

/** Every seeded expectation of the given controls outside the refused scope holds: the rest is judged as usual. */
function expectJudgedNormally(results: ResultsDocument, refused: (control: string, region: string) => boolean): void {
  const expected = seeded.expectations.filter((e) => CONTROLS.includes(e.control) && !refused(e.control, e.region));
  expect(expected.length).toBeGreaterThan(4);
  expect(compareExpectations(results, expected).map(formatMismatch)).toEqual([]);
  const others = resultsIn(results, (c, r) => !refused(c, r));
  expect(others.filter((r) => r.status === 'ERROR').map((r) => `${r.control} ${r.account} ${r.region}: ${r.message}`)).toEqual([]);
  expect(others.some((r) => r.status === 'PASS')).toBe(true);
  expect(others.some((r) => r.status === 'FAIL')).toBe(true);
}

async function pdfText(path: string): Promise<string> {
  const { stdout } = await promisify(execFile)('pdftotext', ['-layout', path, '-'], { timeout: 60_000 });
  return stdout;
}

describe('a region that is not enabled', () => {
  let run: Audit;
  beforeAll(async () => {
    run = await audit([{ match: { region: REFUSED }, fault: 'region-not-enabled' }]);
  }, 240_000);

  it('is stated once per account for that region, with its cause, runs and a --regions that leaves it out', () => {
    const { management, member } = seeded.estate;
    const fix = '--regions us-east-1, or enable the region';
    expect(run.results.summary.refusals).toEqual(
      [management, member].sort().map((account) => ({
        account,
        region: REFUSED,
        cause: 'region-not-enabled',
        collectors: REGIONAL_COLLECTORS,
        fix,
        message: `${account} ${REFUSED} — region not enabled (3 collector runs; fix: ${fix})`,
      })),
    );
    expect(proxy.stats().byKind['region-not-enabled']).toBeGreaterThanOrEqual(2 * REGIONAL_COLLECTORS.length);
  });

  it('is marked on the evidence, in each protocol the region refused', async () => {
    for (const collector of REGIONAL_COLLECTORS) {
      const record = JSON.parse(await readFile(join(run.packDir, 'evidence', seeded.estate.member, REFUSED, `${collector}.json`), 'utf8')) as EvidenceRecord;
      expect(record.status, collector).toBe('error');
      expect(record.error?.refusal, `${collector}: ${record.error?.code}`).toBe('region-not-enabled');
    }
  });

  it('leaves every control ERROR there with the reason and --regions', () => {
    const there = resultsIn(run.results, (_c, r) => r === REFUSED);
    expect(new Set(there.map((r) => r.control))).toEqual(new Set(['guardduty-enabled', 'kms-key-rotation', 'ec2-ebs-default-encryption']));
    for (const r of there) {
      expect(r.status, `${r.control} ${r.account}`).toBe('ERROR');
      expect(r.message).toMatch(/region eu-west-1 is not enabled for this account: .* although us-east-1 accepts the same credentials \(fix: exclude it with --regions, or enable the region\)/);
    }
    expect(run.results.controls.filter((c) => c.status === 'PASS')).toEqual([]);
  });

  it('judges us-east-1 and global evidence as usual', () => {
    expectJudgedNormally(run.results, (_c, region) => region === REFUSED);
  });

  it('prints one summary line per refused account and region', () => {
    const lines = formatSummary(run.results, run.packDir).split('\n');
    const refused = lines.filter((l) => l.startsWith('refused: '));
    expect(refused).toHaveLength(2);
    for (const line of refused) expect(line).toMatch(/^refused: \d{12} eu-west-1 — region not enabled \(3 collector runs; fix: --regions us-east-1, or enable the region\)$/);
  });

  it('shows the refused scopes once in the HTML and the PDF report', async () => {
    await renderReports(run.packDir, { noSign: true, sealedThisRun: true });
    const html = await readFile(join(run.packDir, 'report.html'), 'utf8');
    expect(html.match(/Refused scopes \(2\)/g)).toHaveLength(1);
    const rows = [...html.matchAll(/<tr data-cause="region-not-enabled">([\s\S]*?)<\/tr>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    expect(rows).toEqual(
      [seeded.estate.management, seeded.estate.member]
        .sort()
        .map((a) => `${a} eu-west-1 all services region not enabled 3 ec2-ebs-default-encryption , guardduty-enabled , kms-key-rotation --regions us-east-1, or enable the region`),
    );
    const pdf = await pdfText(join(run.packDir, 'report.pdf'));
    expect(pdf.match(/Refused scopes \(2\)/g)).toHaveLength(1);
    for (const text of ['region not enabled', 'all services', seeded.estate.member, '--regions us-east-1']) expect(pdf).toContain(text);
  });
});

describe('a service control policy that denies one service in one region', () => {
  let run: Audit;
  beforeAll(async () => {
    run = await audit([{ match: { service: 'guardduty', region: REFUSED }, fault: 'scp-deny' }]);
  }, 240_000);

  const refused = (control: string, region: string): boolean => control === 'guardduty-enabled' && region === REFUSED;

  it('is stated once per account for that service, not as a whole region', () => {
    const fix = 'have the organisation exempt the audit role from the SCP for guardduty, or --regions us-east-1';
    expect(run.results.summary.refusals).toEqual(
      [seeded.estate.management, seeded.estate.member].sort().map((account) => ({
        account,
        region: REFUSED,
        service: 'guardduty',
        cause: 'scp-deny',
        collectors: ['guardduty.detectors'],
        fix,
        message: `${account} ${REFUSED} guardduty — denied by a service control policy (1 collector run; fix: ${fix})`,
      })),
    );
  });

  it('leaves only that service\'s controls ERROR there, naming the SCP and --regions', () => {
    const there = resultsIn(run.results, refused);
    expect(there).toHaveLength(2);
    for (const r of there) {
      expect(r.status).toBe('ERROR');
      expect(r.message).toMatch(/guardduty:ListDetectors is denied by a service control policy in eu-west-1: .*with an explicit deny in a service control policy \(fix: have the organisation exempt the audit role from the SCP, or exclude eu-west-1 with --regions\)/);
    }
    expectJudgedNormally(run.results, refused);
  });

  it('shows it in the summary and in the HTML report', async () => {
    expect(formatSummary(run.results, run.packDir).split('\n').filter((l) => l.startsWith('refused: '))).toHaveLength(2);
    await renderReports(run.packDir, { noSign: true, sealedThisRun: true });
    const html = await readFile(join(run.packDir, 'report.html'), 'utf8');
    const rows = [...html.matchAll(/<tr data-cause="scp-deny">([\s\S]*?)<\/tr>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^\d{12} eu-west-1 guardduty denied by a service control policy 1 guardduty-enabled have the organisation exempt the audit role from the SCP for guardduty, or --regions us-east-1$/);
  });
});

describe('classification of each protocol\'s answer, as the SDK surfaces it', () => {
  const credentials = { accessKeyId: 'AKIDREFUSALTEST', secretAccessKey: 'secret' };
  const config = () => ({ region: REFUSED, endpoint: proxy.endpoint, credentials, maxAttempts: 1, forcePathStyle: true });
  const probes: Record<string, { action: string; send: () => Promise<unknown> }> = {
    'awsJson (KMS)': { action: 'kms:ListKeys', send: () => new KMSClient(config()).send(new ListKeysCommand({})) },
    'restJson (Lambda)': { action: 'lambda:ListFunctions', send: () => new LambdaClient(config()).send(new ListFunctionsCommand({})) },
    'restJson (EFS)': { action: 'elasticfilesystem:DescribeFileSystems', send: () => new EFSClient(config()).send(new DescribeFileSystemsCommand({})) },
    'query (RDS)': { action: 'rds:DescribeDBInstances', send: () => new RDSClient(config()).send(new DescribeDBInstancesCommand({})) },
    'query (IAM)': { action: 'iam:GetAccountSummary', send: () => new IAMClient(config()).send(new GetAccountSummaryCommand({})) },
    EC2: { action: 'ec2:DescribeVpcs', send: () => new EC2Client(config()).send(new DescribeVpcsCommand({})) },
    'restXml (S3)': { action: 's3:ListAllMyBuckets', send: () => new S3Client(config()).send(new ListBucketsCommand({})) },
  };
  const kinds: [FaultKind, Refusal | undefined][] = [
    ['scp-deny', 'scp-deny'],
    ['region-not-enabled', 'region-not-enabled'],
    ['not-subscribed', 'not-subscribed'],
    ['access-denied', undefined],
  ];

  for (const [kind, refusal] of kinds) {
    it(`${kind}: ${refusal ?? 'not a refusal (missing permission)'} in every protocol`, async () => {
      proxy.setRules([{ fault: kind }]);
      const seen: Record<string, unknown> = {};
      for (const [protocol, probe] of Object.entries(probes)) {
        const err = await probe.send().then(
          () => undefined,
          (e: unknown) => Object.assign(e as object, { auditpackAction: probe.action }),
        );
        const e = describeFailure(err, [], { region: REFUSED, homeRegion: 'us-east-1' });
        seen[protocol] = refusal ? e.refusal : e.message.startsWith(`missing permission ${probe.action}`);
      }
      expect(seen).toEqual(Object.fromEntries(Object.keys(probes).map((p) => [p, refusal ?? true])));
    });
  }
});
