import { CreateBucketCommand, DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { EnableSecurityHubCommand, GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useMoto } from '../helpers/moto.js';
import { findingId } from '../../src/export/securityhub/asff.js';
import type { PushedFinding, PushRecord } from '../../src/export/securityhub/lifecycle.js';
import { pushToSecurityHub, type PushOptions } from '../../src/export/securityhub/push.js';
import { renderReports } from '../../src/pipeline/report.js';
import { collectAndAssess } from '../../src/pipeline/run.js';
import { generateKeys, KEY_FILES } from '../../src/sign/keys.js';
import { cliInProcess, expectRefusal } from '../helpers/cli.js';

/**
 * Issue 8 ("no laundering"): securityhub-pushed.json and findings.asff.json are written after a pack is sealed,
 * so a signed pack still verifies when they are edited. `push --previous` must not let them put attacker content
 * into Security Hub or flip a workflow state: content is re-derived from the previous pack's signed results.
 */

const REGION = 'us-east-1';
const ACCOUNT = '123456789012'; // moto's account for the dummy credentials
const CONTROL_IDS = ['s3-bucket-versioning', 'iam-root-mfa'];
const BUCKETS = { keep: 'hist-unversioned-keep', gone: 'hist-unversioned-gone', waived: 'hist-unversioned-waived' };
const bucketId = (name: string) => findingId('s3-bucket-versioning', ACCOUNT, REGION, `arn:aws:s3:::${name}`);
const ROOT_ID = findingId('iam-root-mfa', ACCOUNT, 'global', `AWS::::Account:${ACCOUNT}`);
const FOREIGN_ID = `auditpack/iam-root-mfa/${ACCOUNT}/global/deadbeefdeadbeefdeadbeef`;
const ATTACKER_TITLE = 'Attacker-written finding';
const REAL_TITLE = 'S3 buckets have versioning enabled';
const NOW = new Date('2030-01-01T00:00:00.000Z');

describe('push --previous: the unsigned push history of a signed pack cannot launder findings (moto)', () => {
  const moto = useMoto();
  let out: string;
  let hub: SecurityHubClient;
  let publicKeyPem: string;
  let publicKeyFile: string;
  let pack1: string;
  let pack2: string;
  let baseline: AwsSecurityFinding[];

  const push = (pack: string, options: PushOptions = {}) =>
    pushToSecurityHub(pack, { endpoint: moto.endpoint, maxAttempts: 2, retryBaseMs: 20, trust: { publicKeyPem }, ...options });
  const plan = async (pack: string) => JSON.parse(await readFile(join(pack, 'findings.asff.json'), 'utf8')) as AwsSecurityFinding[];
  const verifyCli = (pack: string) => cliInProcess(['verify', pack, '--public-key', publicKeyFile]);
  const pushCli = (previous: string) => cliInProcess(['push', 'securityhub', pack2, '--dry-run', '--previous', previous, '--public-key', publicKeyFile]);

  /** A copy of pack1 with its push records edited; the copy must still verify against the pinned key. */
  const tampered = async (edit: { record?: (r: PushRecord) => unknown; findings?: (f: AwsSecurityFinding[]) => unknown }): Promise<string> => {
    const copy = await mkdtemp(join(tmpdir(), 'auditpack-sh-history-'));
    await cp(pack1, copy, { recursive: true });
    const recordPath = join(copy, 'securityhub-pushed.json');
    const findingsPath = join(copy, 'findings.asff.json');
    if (edit.record) await writeFile(recordPath, JSON.stringify(edit.record(JSON.parse(await readFile(recordPath, 'utf8')) as PushRecord)));
    if (edit.findings) await writeFile(findingsPath, JSON.stringify(edit.findings(JSON.parse(await readFile(findingsPath, 'utf8')) as AwsSecurityFinding[])));
    const verified = await verifyCli(copy);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    return copy;
  };
  const entry = (r: PushRecord, id: string): PushedFinding => {
    const found = r.findings.find((f) => f.id === id);
    if (!found) throw new Error(`no record entry ${id}`);
    return found;
  };
  /** The attack of issue 8: a foreign in-scope Id with attacker content, and the real failing finding marked waived and backdated. */
  const attack = (options: { createdAt?: string } = {}) =>
    tampered({
      record: (r) => {
        const root = entry(r, ROOT_ID);
        r.findings.push({ ...root, id: FOREIGN_ID, title: ATTACKER_TITLE, resourceId: 'attacker', recordState: 'ACTIVE', waived: false });
        for (const id of [ROOT_ID, bucketId(BUCKETS.keep)]) Object.assign(entry(r, id), { waived: true, ...(options.createdAt ? { createdAt: options.createdAt } : {}) });
        return r;
      },
      findings: (fs) => {
        for (const f of fs) if (f.Id === bucketId(BUCKETS.gone)) Object.assign(f, { Title: ATTACKER_TITLE, Description: ATTACKER_TITLE, Severity: { Label: 'INFORMATIONAL' } });
        const root = fs.find((f) => f.Id === ROOT_ID)!;
        return [...fs, { ...root, Id: FOREIGN_ID, Title: ATTACKER_TITLE, Description: ATTACKER_TITLE }];
      },
    });

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'auditpack-sh-history-out-'));
    hub = new SecurityHubClient({ region: REGION, endpoint: moto.endpoint, maxAttempts: 2 });
    const s3 = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true, maxAttempts: 2 });
    await hub.send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
    for (const name of Object.values(BUCKETS)) await s3.send(new CreateBucketCommand({ Bucket: name }));
    const keysDir = join(out, 'keys');
    await generateKeys(keysDir, { organisation: 'Test Org', demo: true });
    publicKeyFile = join(keysDir, KEY_FILES.manifestPublic);
    publicKeyPem = await readFile(publicKeyFile, 'utf8');
    const waiversFile = join(out, 'waivers.yaml');
    await writeFile(
      waiversFile,
      [
        'waivers:',
        '  - id: RISK-8',
        '    control: s3-bucket-versioning',
        `    resources: ["arn:aws:s3:::${BUCKETS.waived}"]`,
        '    justification: scratch bucket, recreated from source every night',
        '    approver: ciso',
        "    approved: '2024-01-01'",
        "    expires: '2099-12-31'",
        '',
      ].join('\n'),
    );
    const audit = async () => {
      const { packDir } = await collectAndAssess({ out, regions: [REGION], endpoint: moto.endpoint, maxAttempts: 2, controlIds: CONTROL_IDS, waiversFile });
      await renderReports(packDir, { keysDir });
      return packDir;
    };
    pack1 = await audit();
    const first = await push(pack1, { now: () => new Date(NOW.getTime() - 86_400_000) });
    // moto has no BatchUpdateFindings: the waiver's suppression fails, so the record says "not waived" (retried).
    expect(first.targets[0]!.failed.map((f) => [f.id, f.action])).toEqual([[bucketId(BUCKETS.waived), 'workflow']]);
    expect(entry(JSON.parse(await readFile(join(pack1, 'securityhub-pushed.json'), 'utf8')) as PushRecord, bucketId(BUCKETS.waived)).waived).toBe(false);
    await s3.send(new DeleteBucketCommand({ Bucket: BUCKETS.gone }));
    pack2 = await audit();
    expect((await verifyCli(pack1)).code).toBe(0);
    // What an untouched history plans: the vanished bucket archived with its signed content.
    const outcome = await push(pack2, { dryRun: true, previousPack: pack1, now: () => NOW });
    expect(outcome.warnings).toHaveLength(1);
    expect(outcome.warnings[0]).toMatch(/securityhub-pushed\.json is not covered by that pack's signature/);
    expect(outcome.warnings[0]).toMatch(/omit --previous to read the push history from Security Hub itself/);
    baseline = await plan(pack2);
    const gone = baseline.find((f) => f.Id === bucketId(BUCKETS.gone))!;
    expect(gone).toMatchObject({ RecordState: 'ARCHIVED', Title: REAL_TITLE, Compliance: { Status: 'FAILED' } });
    expect(gone.ProductFields?.['auditpack/ArchivedReason']).toBe('resource not present in this run');
  }, 300_000);

  it('dry run: plans no attacker content, keeps the derived content, ignores the foreign Id with a warning', async () => {
    const previous = await attack();
    const outcome = await push(pack2, { dryRun: true, previousPack: previous, now: () => NOW });
    const planned = await plan(pack2);
    expect(JSON.stringify(planned)).not.toContain(ATTACKER_TITLE);
    expect(planned.map((f) => f.Id)).not.toContain(FOREIGN_ID);
    // Exactly what the untouched history planned: the archived finding's content comes from the signed results.
    expect(planned).toEqual(baseline);
    expect(outcome.warnings).toHaveLength(2);
    expect(outcome.warnings[1]).toMatch(/securityhub-pushed\.json: 1 of its \d+ entries \(1 marked ACTIVE, e\.g\. auditpack\/iam-root-mfa\/123456789012\/global\/deadbeef/);
    expect(outcome.warnings[1]).toMatch(/push without --previous/);
  });

  it('CLI: the attacked history still pushes (dry run), with one warning line each', async () => {
    const previous = await attack();
    const result = await pushCli(previous);
    expect(result.code, result.stderr).toBe(0);
    const warnings = result.stdout.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain(FOREIGN_ID);
    expect(result.stdout).not.toContain(ATTACKER_TITLE);
  });

  it('real push: `waived` in the record neither reopens nor skips anything; no attacker finding reaches Security Hub', async () => {
    const previous = await attack();
    const outcome = await push(pack2, { previousPack: previous, now: () => NOW });
    const [t] = outcome.targets;
    // Only the genuinely waived result (signed results say WAIVED; the record says its suppression failed) gets a
    // workflow update, which moto cannot do. The result the record falsely marks waived is not reopened.
    expect(t!.failed.map((f) => [f.id, f.action])).toEqual([[bucketId(BUCKETS.waived), 'workflow']]);
    expect(t!.archived).toContain(bucketId(BUCKETS.gone));
    expect(t!.archived).not.toContain(FOREIGN_ID);
    const inHub = (await hub.send(new GetFindingsCommand({ MaxResults: 100 }))).Findings ?? [];
    expect(inHub.map((f) => f.Id)).not.toContain(FOREIGN_ID);
    expect(JSON.stringify(inHub)).not.toContain(ATTACKER_TITLE);
    expect(inHub.find((f) => f.Id === bucketId(BUCKETS.gone))).toMatchObject({ RecordState: 'ARCHIVED', Title: REAL_TITLE });
    const record = JSON.parse(await readFile(join(pack2, 'securityhub-pushed.json'), 'utf8')) as PushRecord;
    expect(record.findings.map((f) => f.id)).not.toContain(FOREIGN_ID);
    expect(entry(record, bucketId(BUCKETS.keep)).waived).toBe(false);
    expect(entry(record, ROOT_ID).waived).toBe(false);
    expect(entry(record, bucketId(BUCKETS.waived)).waived).toBe(false); // suppression failed again: retried next time
  });

  it('keeps CreatedAt across pushes, and clamps a recorded time later than this push to now', async () => {
    const original = JSON.parse(await readFile(join(pack1, 'securityhub-pushed.json'), 'utf8')) as PushRecord;
    await push(pack2, { dryRun: true, previousPack: pack1, now: () => NOW });
    expect((await plan(pack2)).find((f) => f.Id === bucketId(BUCKETS.keep))?.CreatedAt).toBe(entry(original, bucketId(BUCKETS.keep)).createdAt);
    const future = await tampered({
      record: (r) => {
        r.pushedAt = '2099-01-01T00:00:00.000Z';
        entry(r, bucketId(BUCKETS.keep)).createdAt = '2098-01-01T00:00:00.000Z';
        return r;
      },
    });
    await push(pack2, { dryRun: true, previousPack: future, now: () => NOW });
    expect((await plan(pack2)).find((f) => f.Id === bucketId(BUCKETS.keep))?.CreatedAt).toBe(NOW.toISOString());
  });

  it.each([
    ['a CreatedAt before any Security Hub finding (the 1999 backdating)', (r: PushRecord) => void (entry(r, ROOT_ID).createdAt = '1999-01-01T00:00:00.000Z'), /field "findings\.\d+\.createdAt": 1999-01-01T00:00:00\.000Z predates/],
    ['a CreatedAt after the push that recorded it', (r: PushRecord) => void (entry(r, ROOT_ID).createdAt = new Date(Date.parse(r.pushedAt) + 60_000).toISOString()), /field "findings\.\d+\.createdAt": .* is later than the push/],
    ['another manifest digest', (r: PushRecord) => void (r.manifestSha256 = 'a'.repeat(64)), /field "manifestSha256": not the digest of that pack's sealed manifest\.json/],
    ['another run id', (r: PushRecord) => void (r.runId = '20200101T000000Z-other'), /field "runId": 20200101T000000Z-other is not the run of that pack/],
    ['waived as a string', (r: PushRecord) => void Object.assign(entry(r, ROOT_ID), { waived: 'yes' }), /field "findings\.\d+\.waived": must be boolean/],
    ['a CreatedAt that is a number', (r: PushRecord) => void Object.assign(entry(r, ROOT_ID), { createdAt: 946684800 }), /field "findings\.\d+\.createdAt": must be string/],
    ['an Id outside the pattern', (r: PushRecord) => void (entry(r, ROOT_ID).id = 'auditpack/../../etc/passwd'), /field "findings\.\d+\.id": must match pattern/],
    ['an account that is not 12 digits', (r: PushRecord) => void (entry(r, ROOT_ID).account = '1234'), /field "findings\.\d+\.account": must match pattern/],
    ['a region outside the pattern', (r: PushRecord) => void (entry(r, ROOT_ID).region = 'us-east-1\u001b[2J'), /field "findings\.\d+\.region": must match pattern/],
    ['an unknown field', (r: PushRecord) => void Object.assign(r, { note: 'x' }), /field "note": unknown field/],
    ['a non-ISO pushedAt', (r: PushRecord) => void (r.pushedAt = 'yesterday'), /field "pushedAt": must match format "date-time"/],
    ['an oversized title', (r: PushRecord) => void (entry(r, ROOT_ID).title = 'x'.repeat(257)), /field "findings\.\d+\.title": must NOT have more than 256 characters/],
  ])('refuses a history with %s: exit 4, one line', async (_what, edit, message) => {
    const previous = await tampered({ record: (r) => (edit(r), r) });
    const result = await pushCli(previous);
    expectRefusal(result, 4, message);
    expect(result.stderr).toContain('securityhub-pushed.json');
    expect(result.stderr).toMatch(/\(fix: /);
  });

  it('refuses a history that is not JSON: exit 4, one line', async () => {
    const previous = await mkdtemp(join(tmpdir(), 'auditpack-sh-history-'));
    await cp(pack1, previous, { recursive: true });
    await writeFile(join(previous, 'securityhub-pushed.json'), '{"schemaVersion": "1", ');
    expectRefusal(await pushCli(previous), 4, /securityhub-pushed\.json: not valid JSON/);
  });
});
