import { CreateBucketCommand, DeleteBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import {
  BatchImportFindingsCommand,
  EnableSecurityHubCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
  type BatchImportFindingsCommandOutput,
} from '@aws-sdk/client-securityhub';
import { Command } from 'commander';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { registerPushCommand } from '../../src/cli/commands/push.js';
import { clientsFor } from '../../src/collect/aws-access.js';
import { UserError } from '../../src/core/errors.js';
import { sha256Hex } from '../../src/core/fs.js';
import { useMoto } from '../helpers/moto.js';
import { findingId } from '../../src/export/securityhub/asff.js';
import type { PushRecord } from '../../src/export/securityhub/lifecycle.js';
import { pushToSecurityHub, type PushOptions } from '../../src/export/securityhub/push.js';
import { readManifest, writeManifest } from '../../src/locker/pack.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import type { ResultsDocument } from '../../src/results/types.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012'; // moto's account for the dummy credentials
const CONTROL_IDS = ['s3-bucket-versioning', 'iam-root-mfa'];
const BUCKETS = { versioned: 'sh-versioned', toFix: 'sh-unversioned-fix', toDelete: 'sh-unversioned-gone', toDeleteLater: 'sh-unversioned-later' };
const bucketId = (name: string) => findingId('s3-bucket-versioning', ACCOUNT, REGION, `arn:aws:s3:::${name}`);
const ROOT_ID = findingId('iam-root-mfa', ACCOUNT, 'global', `AWS::::Account:${ACCOUNT}`);

interface Stack {
  add(middleware: unknown, options: { step: string; name: string; priority?: string }): void;
}
type Next = (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>;
interface Ctx {
  commandName?: string;
}
/** Adds SDK middleware to a client (tests only): counters and fault injection. */
function addMiddleware(client: SecurityHubClient, step: 'initialize' | 'deserialize', name: string, fn: (next: Next, ctx: Ctx) => Next): void {
  (client.middlewareStack as unknown as Stack).add(fn, { step, name });
}

describe('pushing results to Security Hub (moto)', () => {
  const moto = useMoto();
  let out: string;
  let hub: SecurityHubClient;
  let s3: S3Client;
  let pack1: string;
  let foreignBefore: AwsSecurityFinding[];

  const allFindings = async (): Promise<AwsSecurityFinding[]> => {
    const found: AwsSecurityFinding[] = [];
    let token: string | undefined;
    do {
      const page = await hub.send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
      found.push(...(page.Findings ?? []));
      token = page.NextToken || undefined;
    } while (token);
    return found;
  };
  const ours = async () => (await allFindings()).filter((f) => f.Id?.startsWith('auditpack/'));
  const byId = async () => new Map((await ours()).map((f) => [f.Id!, f]));
  const foreign = async () => (await allFindings()).filter((f) => !f.Id?.startsWith('auditpack/')).sort((a, b) => a.Id!.localeCompare(b.Id!));
  const audit = async () => (await collectAndAssess({ out, regions: [REGION], endpoint: moto.endpoint, maxAttempts: 2, controlIds: CONTROL_IDS })).packDir;
  const push = (pack: string, options: PushOptions = {}) => pushToSecurityHub(pack, { endpoint: moto.endpoint, maxAttempts: 2, retryBaseMs: 20, ...options });
  const later = (minutes: number) => () => new Date(Date.now() + minutes * 60_000);

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'auditpack-sh-'));
    hub = new SecurityHubClient({ region: REGION, endpoint: moto.endpoint, maxAttempts: 2 });
    s3 = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true, maxAttempts: 2 });
    await hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    for (const name of Object.values(BUCKETS)) await s3.send(new CreateBucketCommand({ Bucket: name }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKETS.versioned, VersioningConfiguration: { Status: 'Enabled' } }));
    // Findings of other products and generators, in the same account and region: they must never be touched.
    const base = {
      SchemaVersion: '2018-10-08',
      AwsAccountId: ACCOUNT,
      Types: ['Software and Configuration Checks/Vulnerabilities/CVE'],
      CreatedAt: '2024-01-01T00:00:00.000Z',
      UpdatedAt: '2024-01-01T00:00:00.000Z',
      Severity: { Label: 'HIGH' as const },
      Title: 'not ours',
      Description: 'imported by another tool',
      Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${BUCKETS.toDelete}` }],
      RecordState: 'ACTIVE' as const,
    };
    await hub.send(
      new BatchImportFindingsCommand({
        Findings: [
          { ...base, Id: 'other-tool/finding-1', ProductArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`, GeneratorId: 'other-tool/s3-check' },
          { ...base, Id: 'arn:aws:guardduty:finding-2', ProductArn: `arn:aws:securityhub:${REGION}::product/aws/guardduty`, GeneratorId: 'arn:aws:guardduty:detector' },
        ],
      }),
    );
    foreignBefore = await foreign();
    pack1 = await audit();
  }, 180_000);

  it('dry run writes findings.asff.json and sends nothing', async () => {
    const outcome = await push(pack1, { dryRun: true });
    expect(outcome.dryRun).toBe(true);
    expect(outcome.pushedFile).toBeUndefined();
    const written = JSON.parse(await readFile(join(pack1, 'findings.asff.json'), 'utf8')) as AwsSecurityFinding[];
    expect(written.map((f) => f.Id).sort()).toEqual([ROOT_ID, ...Object.values(BUCKETS).map(bucketId)].sort());
    expect(await ours()).toEqual([]);
    // The push records are not part of the sealed pack.
    expect((await readManifest(pack1)).files.map((f) => f.path)).not.toContain('findings.asff.json');
  });

  it('pushes one finding per control × resource, each with its lifecycle state', async () => {
    const outcome = await push(pack1);
    expect(outcome.targets).toHaveLength(1);
    const [t] = outcome.targets;
    expect(t).toMatchObject({ account: ACCOUNT, region: REGION, failed: [] });
    expect(t!.imported).toHaveLength(5);
    expect(t!.archived).toEqual([bucketId(BUCKETS.versioned)]);
    const found = await byId();
    expect(found.size).toBe(5);
    expect(found.get(bucketId(BUCKETS.toFix))).toMatchObject({ Compliance: { Status: 'FAILED' }, RecordState: 'ACTIVE', Severity: { Label: 'LOW' }, GeneratorId: 'auditpack/s3-bucket-versioning' });
    expect(found.get(bucketId(BUCKETS.versioned))).toMatchObject({ Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED' });
    const root = found.get(ROOT_ID)!;
    expect(root).toMatchObject({ Region: REGION, Severity: { Label: 'CRITICAL' }, Resources: [{ Type: 'AwsAccount', Id: `AWS::::Account:${ACCOUNT}` }] });
    expect(root.Compliance?.RelatedRequirements).toContain('CIS AWS Foundations Benchmark v3.0.0/1.5');
    const manifestSha = sha256Hex(await readFile(join(pack1, 'manifest.json')));
    expect(root.ProductFields?.['auditpack/ManifestSha256']).toBe(manifestSha);
    expect(root.ProductFields?.['auditpack/Evidence/1']).toMatch(/^sha256:[0-9a-f]{64} evidence\/123456789012\/global\/iam\.account-summary\.json$/);
    const record = JSON.parse(await readFile(join(pack1, 'securityhub-pushed.json'), 'utf8')) as PushRecord;
    expect(record.findings.map((f) => f.id).sort()).toEqual([...found.keys()].sort());
    expect(await foreign()).toEqual(foreignBefore);
  });

  it('re-push is idempotent: same findings, UpdatedAt advanced, CreatedAt kept', async () => {
    const before = await byId();
    const outcome = await push(pack1, { now: later(60) });
    expect(outcome.totals.failed).toBe(0);
    const after = await byId();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [id, f] of after) {
      expect(f.CreatedAt, id).toBe(before.get(id)!.CreatedAt);
      expect(Date.parse(f.UpdatedAt!), id).toBeGreaterThan(Date.parse(before.get(id)!.UpdatedAt!));
    }
    expect(await foreign()).toEqual(foreignBefore);
  });

  it('archives a fixed resource (PASSED) and a deleted one, given the previous pack', async () => {
    const before = await byId();
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKETS.toFix, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(new DeleteBucketCommand({ Bucket: BUCKETS.toDelete }));
    const pack2 = await audit();
    const outcome = await push(pack2, { previousPack: pack1, now: later(120) });
    const [t] = outcome.targets;
    expect(t!.failed).toEqual([]);
    expect(t!.archived).toEqual([bucketId(BUCKETS.versioned), bucketId(BUCKETS.toFix), bucketId(BUCKETS.toDelete)].sort());
    const after = await byId();
    expect(after.size).toBe(5);
    expect(after.get(bucketId(BUCKETS.toFix))).toMatchObject({ Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED', CreatedAt: before.get(bucketId(BUCKETS.toFix))!.CreatedAt });
    const gone = after.get(bucketId(BUCKETS.toDelete))!;
    expect(gone).toMatchObject({ RecordState: 'ARCHIVED', CreatedAt: before.get(bucketId(BUCKETS.toDelete))!.CreatedAt, Title: 'S3 buckets have versioning enabled' });
    expect(gone.ProductFields?.['auditpack/ArchivedReason']).toBe('resource not present in this run');
    expect(after.get(bucketId(BUCKETS.toDeleteLater))?.RecordState).toBe('ACTIVE');
    expect(await foreign()).toEqual(foreignBefore);
  });

  it('archives a deleted resource from Security Hub history when no previous pack is given (filtered client-side)', async () => {
    await s3.send(new DeleteBucketCommand({ Bucket: BUCKETS.toDeleteLater }));
    const pack3 = await audit();
    const outcome = await push(pack3, { now: later(180) });
    expect(outcome.targets[0]!.failed).toEqual([]);
    expect(outcome.targets[0]!.archived).toContain(bucketId(BUCKETS.toDeleteLater));
    const after = await byId();
    expect(after.get(bucketId(BUCKETS.toDeleteLater))?.RecordState).toBe('ARCHIVED');
    // Already-archived findings are not re-sent; foreign findings (returned by moto's unfiltered GetFindings) untouched.
    expect(outcome.targets[0]!.archived).not.toContain(bucketId(BUCKETS.toDelete));
    expect(await foreign()).toEqual(foreignBefore);
    const record = JSON.parse(await readFile(join(pack3, 'securityhub-pushed.json'), 'utf8')) as PushRecord;
    expect(record.findings.every((f) => f.id.startsWith('auditpack/'))).toBe(true);
  });

  it('splits more than 100 findings into batches of at most 100', async () => {
    const pack = await mkdtemp(join(tmpdir(), 'auditpack-sh-big-'));
    await cp(pack1, pack, { recursive: true });
    const results = JSON.parse(await readFile(join(pack, 'results.json'), 'utf8')) as ResultsDocument;
    const control = results.controls.find((c) => c.id === 's3-bucket-versioning')!;
    for (let i = 0; i < 230; i++)
      control.results.push({ resourceId: `arn:aws:s3:::synthetic-${i}`, resourceType: 'AWS::S3::Bucket', account: ACCOUNT, region: REGION, status: 'FAIL', message: `bucket synthetic-${i} versioning is Disabled`, evidence: [] });
    await writeFile(join(pack, 'results.json'), JSON.stringify(results));
    const manifest = await readManifest(pack);
    await writeManifest(pack, { tool: manifest.tool, run: manifest.run, catalog: manifest.catalog });
    const sizes: number[] = [];
    const outcome = await push(pack, {
      previousPack: pack1,
      onClient: (client) =>
        addMiddleware(client, 'initialize', 'countImports', (next, ctx) => async (args) => {
          if (ctx.commandName === 'BatchImportFindingsCommand') sizes.push((args.input.Findings as unknown[]).length);
          return next(args);
        }),
    });
    expect(outcome.totals.failed).toBe(0);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...sizes)).toBe(100);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(outcome.totals.findings);
    expect((await ours()).filter((f) => f.Id && f.Resources?.[0]?.Id?.startsWith('arn:aws:s3:::synthetic-'))).toHaveLength(230);
  });

  it('retries a throttled call (SDK retry) and a throttled FailedFindings entry (our retry)', async () => {
    let throttled = 0;
    let sends = 0;
    let attempts = 0;
    let injectedFailure: string | undefined;
    const outcome = await push(pack1, {
      maxAttempts: 4,
      now: later(240),
      onClient: (client) => {
        // Inside the retry loop: throws ThrottlingException on the first two attempts of the first import.
        addMiddleware(client, 'deserialize', 'throttleTwice', (next, ctx) => async (args) => {
          if (ctx.commandName === 'BatchImportFindingsCommand') attempts++;
          if (ctx.commandName === 'BatchImportFindingsCommand' && throttled < 2) {
            throttled++;
            throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
          }
          return next(args);
        });
        // Outside it: the first finding of the first successful call is withheld and reported as throttled.
        addMiddleware(client, 'initialize', 'failOneFinding', (next, ctx) => async (args) => {
          if (ctx.commandName === 'BatchImportFindingsCommand') sends++;
          if (ctx.commandName !== 'BatchImportFindingsCommand' || injectedFailure) return next(args);
          const findings = args.input.Findings as AwsSecurityFinding[];
          injectedFailure = findings[0]!.Id!;
          const res = await next({ ...args, input: { ...args.input, Findings: findings.slice(1) } });
          const output = res.output as unknown as BatchImportFindingsCommandOutput;
          output.FailedFindings = [...(output.FailedFindings ?? []), { Id: injectedFailure, ErrorCode: 'ThrottlingException', ErrorMessage: 'injected' }];
          return res;
        });
      },
    });
    expect(throttled).toBe(2);
    // The two throttled attempts were retried by the SDK within one send (attempts - sends = 2); the withheld
    // finding cost one more send, our FailedFindings round.
    expect(attempts - sends).toBe(2);
    expect(sends).toBe(Math.ceil((outcome.totals.findings) / 100) + 1);
    expect(injectedFailure).toBeDefined();
    expect(outcome.totals.failed).toBe(0);
    expect(outcome.targets[0]!.imported).toContain(injectedFailure);
    const updated = (await byId()).get(injectedFailure!)!;
    expect(Date.parse(updated.UpdatedAt!)).toBeGreaterThan(Date.now() + 200 * 60_000);
  });

  it('lists findings that still fail after every retry, and keeps their history for the next push', async () => {
    const before = await byId();
    const outcome = await push(pack1, {
      now: later(300),
      retryRounds: 1,
      onClient: (client) =>
        addMiddleware(client, 'initialize', 'rejectRoot', (next, ctx) => async (args) => {
          if (ctx.commandName !== 'BatchImportFindingsCommand') return next(args);
          const findings = args.input.Findings as AwsSecurityFinding[];
          const res = await next({ ...args, input: { ...args.input, Findings: findings.filter((f) => f.Id !== ROOT_ID) } });
          if (findings.some((f) => f.Id === ROOT_ID)) (res.output as unknown as BatchImportFindingsCommandOutput).FailedFindings = [{ Id: ROOT_ID, ErrorCode: 'InvalidInput', ErrorMessage: 'injected rejection' }];
          return res;
        }),
    });
    expect(outcome.totals.failed).toBe(1);
    expect(outcome.targets[0]!.failed).toEqual([{ id: ROOT_ID, action: 'import', errorCode: 'InvalidInput', errorMessage: 'injected rejection' }]);
    expect((await byId()).get(ROOT_ID)!.UpdatedAt).toBe(before.get(ROOT_ID)!.UpdatedAt);
    const record = JSON.parse(await readFile(join(pack1, 'securityhub-pushed.json'), 'utf8')) as PushRecord;
    expect(record.findings.find((f) => f.id === ROOT_ID)?.createdAt).toBe(before.get(ROOT_ID)!.CreatedAt);
  });

  it('moto gap: BatchUpdateFindings (waivers are suppressed through it; the failure is listed and retried next push)', async () => {
    const pack = await mkdtemp(join(tmpdir(), 'auditpack-sh-waived-'));
    await cp(pack1, pack, { recursive: true });
    const results = JSON.parse(await readFile(join(pack, 'results.json'), 'utf8')) as ResultsDocument;
    const control = results.controls.find((c) => c.id === 's3-bucket-versioning')!;
    const target = control.results.find((r) => r.resourceId === `arn:aws:s3:::${BUCKETS.toDeleteLater}`)!;
    Object.assign(target, { status: 'WAIVED', originalStatus: 'FAIL', waiver: { id: 'RISK-7', justification: 'legacy archive bucket', approver: 'ciso', expires: '2099-12-31' } });
    await writeFile(join(pack, 'results.json'), JSON.stringify(results));
    const manifest = await readManifest(pack);
    await writeManifest(pack, { tool: manifest.tool, run: manifest.run, catalog: manifest.catalog });
    const outcome = await push(pack, { now: later(350) });
    const id = bucketId(BUCKETS.toDeleteLater);
    expect(outcome.targets[0]!.imported).toContain(id);
    const failure = outcome.targets[0]!.failed.find((f) => f.id === id);
    expect(failure).toMatchObject({ action: 'workflow' });
    expect(failure!.errorCode).not.toBe(""); // moto answers an HTML error page: the SDK throws a parse error
    expect(outcome.targets[0]!.workflowUpdated).toEqual([]);
    const record = JSON.parse(await readFile(join(pack, 'securityhub-pushed.json'), 'utf8')) as PushRecord;
    expect(record.findings.find((f) => f.id === id)?.waived).toBe(false); // so the next push suppresses again
    expect((await byId()).get(id)).toMatchObject({ Compliance: { Status: 'FAILED' }, ProductFields: expect.objectContaining({ 'auditpack/WaiverReason': 'legacy archive bucket' }) });
  });

  it('refuses a pack changed since it was sealed', async () => {
    const pack = await mkdtemp(join(tmpdir(), 'auditpack-sh-tamper-'));
    await cp(pack1, pack, { recursive: true });
    await writeFile(join(pack, 'results.json'), '{}');
    const err = await push(pack, { dryRun: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/results\.json: modified/);
  });

  it('refuses a previous pack that was never pushed', async () => {
    const pack = await mkdtemp(join(tmpdir(), 'auditpack-sh-unpushed-'));
    await cp(pack1, pack, { recursive: true, filter: (src) => !src.endsWith('securityhub-pushed.json') });
    const err = await push(pack1, { previousPack: pack, dryRun: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/securityhub-pushed\.json: missing: that pack was never pushed/);
  });

  it('imports each account\'s findings in that account (AssumeRole), and needs --role-name for it', async () => {
    const other = '210987654321';
    const role = 'AuditpackReadOnly';
    const otherHub = clientsFor({ account: other, roleName: role, endpoint: moto.endpoint, maxAttempts: 2 }).forRegion(REGION).get(SecurityHubClient);
    await otherHub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    const { packDir } = await collectAndAssess({ out, regions: [REGION], accounts: [ACCOUNT, other], roleName: role, endpoint: moto.endpoint, maxAttempts: 2, controlIds: ['iam-root-mfa'] });
    const s3Before = (await ours()).filter((f) => f.GeneratorId === 'auditpack/s3-bucket-versioning');
    expect(s3Before.length).toBeGreaterThan(200);
    const refused = await push(packDir).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as Error).message).toContain('--role-name is required to push findings of account 210987654321');
    const outcome = await push(packDir, { roleName: role, now: later(400) });
    expect(outcome.targets.map((t) => [t.account, t.region, t.imported.length, t.failed.length])).toEqual([
      [ACCOUNT, REGION, 1, 0],
      [other, REGION, 1, 0],
    ]);
    const inOther = (await otherHub.send(new GetFindingsCommand({}))).Findings ?? [];
    expect(inOther.map((f) => [f.Id, f.AwsAccountId, f.ProductArn])).toEqual([
      [findingId('iam-root-mfa', other, 'global', `AWS::::Account:${other}`), other, `arn:aws:securityhub:${REGION}:${other}:product/${other}/default`],
    ]);
    expect((await ours()).some((f) => f.AwsAccountId === other)).toBe(false);
    // A run limited to one control archives nothing of the controls it did not evaluate.
    expect(outcome.targets[0]!.archived).toEqual([]);
    const s3After = (await ours()).filter((f) => f.GeneratorId === 'auditpack/s3-bucket-versioning');
    expect(s3After).toEqual(s3Before);
    expect(await foreign()).toEqual(foreignBefore);
  });

  it('runs as `auditpack push securityhub PACK --dry-run`', async () => {
    const program = new Command('auditpack').exitOverride();
    registerPushCommand(program);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let text = '';
    try {
      await program.parseAsync(['node', 'auditpack', 'push', 'securityhub', pack1, '--dry-run']);
      text = write.mock.calls.map(([s]) => String(s)).join('');
    } finally {
      write.mockRestore();
    }
    expect(text).toContain('dry run: nothing sent');
    expect(text).toContain(`  ${ACCOUNT} ${REGION}`);
    expect(text).toContain('findings.asff.json');
    expect(process.exitCode ?? 0).toBe(0);
  });
});
