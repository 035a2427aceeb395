import { DescribeSecurityGroupsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GenerateCredentialReportCommand, GetAccountSummaryCommand, IAMClient } from '@aws-sdk/client-iam';
import { KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, GetBucketVersioningCommand, ListBucketsCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillMotoGaps } from '../../bench/replay/moto-gaps.js';
import { startRecorder } from '../../bench/replay/recorder.js';
import { RECORDING_VERSION, readRecording, writeRecording, type Exchange, type Recording } from '../../bench/replay/recording.js';
import { startReplay, type ReplayServer } from '../../bench/replay/server.js';
import { clientsFor } from '../../src/collect/aws-access.js';
import { useMoto } from '../helpers/moto.js';

const RECORDED = '111111111111';
const MANAGEMENT = '123456789012';
const ROLE = 'AuditRole';
const REGION = 'us-east-1';

/** The same questions, asked by one account through `endpoint` (the recorder or the replay server). */
async function ask(endpoint: string, account: string) {
  const clients = clientsFor({ account, endpoint, roleName: ROLE, maxAttempts: 1 }).forRegion(REGION);
  const buckets = await clients.get(S3Client).send(new ListBucketsCommand({}));
  const name = buckets.Buckets?.map((b) => b.Name).find((n) => n?.startsWith('bench-')) ?? '';
  const versioning = await clients.get(S3Client).send(new GetBucketVersioningCommand({ Bucket: name }));
  const queues = await clients.get(SQSClient).send(new ListQueuesCommand({}));
  const groups = await clients.get(EC2Client).send(new DescribeSecurityGroupsCommand({}));
  const summary = await clients.get(IAMClient).send(new GetAccountSummaryCommand({}));
  const identity = await clients.get(STSClient).send(new GetCallerIdentityCommand({}));
  return { name, versioning: versioning.Status, queues: queues.QueueUrls ?? [], owners: [...new Set(groups.SecurityGroups?.map((g) => g.OwnerId))], users: summary.SummaryMap?.Users, account: identity.Account };
}

const moto = useMoto();

describe('replay endpoint: record one account, answer any account of a synthetic organisation', () => {
  let recording: Recording;
  let recorded: Awaited<ReturnType<typeof ask>>;
  let replay: ReplayServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'auditpack-replay-test-'));
    // The recorded account's estate, made straight in moto: a bucket named after the account, a queue.
    const seed = clientsFor({ account: RECORDED, endpoint: moto.endpoint, roleName: ROLE, maxAttempts: 1 }).forRegion(REGION);
    await seed.get(S3Client).send(new CreateBucketCommand({ Bucket: `bench-${RECORDED}-data` }));
    await seed.get(S3Client).send(new PutBucketVersioningCommand({ Bucket: `bench-${RECORDED}-data`, VersioningConfiguration: { Status: 'Enabled' } }));
    await seed.get(SQSClient).send(new CreateQueueCommand({ QueueName: 'orders' }));

    const recorder = await startRecorder(moto.endpoint, RECORDED);
    try {
      recorded = await ask(recorder.endpoint, RECORDED);
    } finally {
      await recorder.close();
    }
    const file = join(dir, 'recording.ndjson');
    await writeRecording(file, {
      header: { kind: 'auditpack-replay-recording', version: RECORDING_VERSION, account: RECORDED, management: MANAGEMENT, regions: [REGION], roleName: ROLE },
      exchanges: recorder.exchanges(),
    });
    recording = await readRecording(file);
    replay = await startReplay(recording, { accounts: 3, latencyMs: 0 });
  });

  afterAll(async () => {
    await replay?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('records only the recorded account\'s calls, keyed with its id as a placeholder', () => {
    expect(recorded.name).toBe(`bench-${RECORDED}-data`);
    expect(recorded.versioning).toBe('Enabled');
    expect(recorded.account).toBe(RECORDED);
    const operations = recording.exchanges.map((e) => `${e.service} ${e.operation}`);
    expect(operations).toEqual(expect.arrayContaining(['s3 GET /', 'sqs ListQueues', 'ec2 DescribeSecurityGroups', 'iam GetAccountSummary', 'sts GetCallerIdentity']));
    // AssumeRole is the caller's call, not the account's: the replay server answers it itself.
    expect(operations).not.toContain('sts AssumeRole');
    expect(recording.exchanges.every((e) => !e.key.includes(RECORDED))).toBe(true);
    expect(recording.exchanges.find((e) => e.operation.startsWith('GET /bench-'))?.key).toContain('/bench-{account}-data');
  });

  it('answers two other accounts with the recording, each with its own account id', async () => {
    const [a, b] = replay.org.accounts.filter((x) => x !== MANAGEMENT);
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    for (const account of [a as string, b as string]) {
      const answer = await ask(replay.endpoint, account);
      expect(answer).toEqual({
        ...recorded,
        name: `bench-${account}-data`,
        queues: recorded.queues.map((q) => q.replace(RECORDED, account)),
        owners: recorded.owners.map((o) => o?.replace(RECORDED, account)),
        account,
      });
    }
    // The management account (the caller, no role) answers as the recorded account too.
    const own = clientsFor({ account: MANAGEMENT, endpoint: replay.endpoint, maxAttempts: 1 }).forRegion(REGION);
    expect((await own.get(STSClient).send(new GetCallerIdentityCommand({}))).Account).toBe(MANAGEMENT);
    expect((await own.get(S3Client).send(new ListBucketsCommand({}))).Buckets?.map((x) => x.Name)).toContain(`bench-${MANAGEMENT}-data`);
    expect(replay.stats().unknown).toBe(0);
    expect(replay.stats().accountsSeen).toBe(3);
  });

  it('lists the synthetic organisation page by page, to its management account only', async () => {
    const org = clientsFor({ account: MANAGEMENT, endpoint: replay.endpoint, maxAttempts: 1 }).forRegion(REGION).get(OrganizationsClient);
    const first = await org.send(new ListAccountsCommand({ MaxResults: 2 }));
    const second = await org.send(new ListAccountsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect([...(first.Accounts ?? []), ...(second.Accounts ?? [])].map((x) => x.Id)).toEqual(replay.org.accounts);
    expect(second.NextToken).toBeUndefined();
    // Attacks: a forged token, an out-of-range page size, and a member account asking.
    await expect(org.send(new ListAccountsCommand({ NextToken: 'replay-99999' }))).rejects.toMatchObject({ name: 'InvalidInputException' });
    await expect(org.send(new ListAccountsCommand({ MaxResults: 1000 }))).rejects.toMatchObject({ name: 'InvalidInputException' });
    const member = clientsFor({ account: replay.org.accounts.find((x) => x !== MANAGEMENT) as string, endpoint: replay.endpoint, roleName: ROLE, maxAttempts: 1 }).forRegion(REGION).get(OrganizationsClient);
    await expect(member.send(new ListAccountsCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('refuses to assume a role outside the organisation or of another name, as AWS does', async () => {
    const sts = clientsFor({ account: MANAGEMENT, endpoint: replay.endpoint, maxAttempts: 1 }).forRegion(REGION).get(STSClient);
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::999999999999:role/${ROLE}`, RoleSessionName: 'x' }))).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${replay.org.accounts.find((x) => x !== MANAGEMENT)}:role/OtherRole`, RoleSessionName: 'x' }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('answers an unknown request with an AWS error in its protocol\'s shape, and counts it', async () => {
    const before = replay.stats().unknown;
    const clients = clientsFor({ account: replay.org.accounts[1] as string, endpoint: replay.endpoint, roleName: ROLE, maxAttempts: 1 }).forRegion(REGION);
    await expect(clients.get(KMSClient).send(new ListKeysCommand({}))).rejects.toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });
    await expect(clients.get(SQSClient).send(new CreateQueueCommand({ QueueName: 'not-recorded' }))).rejects.toMatchObject({ name: 'UnknownOperationException' });
    await expect(clients.get(EC2Client).send(new DescribeSecurityGroupsCommand({ GroupIds: ['sg-0123456789abcdef0'] }))).rejects.toMatchObject({ name: 'InvalidAction' });
    await expect(clients.get(S3Client).send(new GetBucketVersioningCommand({ Bucket: 'someone-elses-bucket' }))).rejects.toMatchObject({ name: 'NotImplemented', $metadata: { httpStatusCode: 501 } });
    const stats = replay.stats();
    expect(stats.unknown - before).toBe(4);
    expect(stats.unknownSamples.join('\n')).toContain('kms us-east-1 ListKeys');
  });

  it('attack: a forged access key for an account outside the organisation gets no recorded answer', async () => {
    const before = replay.stats().unknown;
    const forged = new SQSClient({ region: REGION, endpoint: replay.endpoint, credentials: { accessKeyId: 'ASIA999999999999RPLY', secretAccessKey: 'x' }, maxAttempts: 1 });
    await expect(forged.send(new ListQueuesCommand({}))).rejects.toMatchObject({ name: 'UnknownOperationException' });
    expect(replay.stats().unknown - before).toBe(1);
  });

  it('attack: an oversized body is refused before it is read into a key, and unsigned requests get nothing', async () => {
    const big = await fetch(`${replay.endpoint}/`, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) }).catch((err: unknown) => err);
    if (big instanceof Response) expect(big.status).toBe(413);
    else expect(big).toBeInstanceOf(Error); // the server may close the socket while the body is still being sent
    const unsigned = await fetch(`${replay.endpoint}/?Action=ListQueues`);
    expect(unsigned.status).toBe(400);
  });

  it('delays each answer by the configured latency, with a timer', async () => {
    const slow = await startReplay(recording, { accounts: 2, latencyMs: 300 });
    try {
      const sts = clientsFor({ account: MANAGEMENT, endpoint: slow.endpoint, maxAttempts: 1 }).forRegion(REGION).get(STSClient);
      const cpu = process.cpuUsage();
      const started = performance.now();
      await Promise.all(Array.from({ length: 20 }, () => sts.send(new GetCallerIdentityCommand({}))));
      const elapsed = performance.now() - started;
      const used = process.cpuUsage(cpu);
      // 20 calls in parallel take one latency, not twenty: the delay is a timer, not work.
      expect(elapsed).toBeGreaterThanOrEqual(290);
      expect(elapsed).toBeLessThan(20 * 300);
      expect(slow.stats().peakInFlight).toBeGreaterThan(1);
      expect((used.user + used.system) / 1000).toBeLessThan(elapsed * 2);
    } finally {
      await slow.close();
    }
  });
});

describe('replay endpoint: recorded sequences and recording files', () => {
  const exchange = (body: string): Exchange => ({
    key: 'iam\nus-east-1\nPOST\n\n/\n\nAction=GenerateCredentialReport&Version=2010-05-08',
    service: 'iam',
    operation: 'GenerateCredentialReport',
    region: REGION,
    method: 'POST',
    status: 200,
    headers: { 'content-type': 'text/xml' },
    body: `<GenerateCredentialReportResponse><GenerateCredentialReportResult><State>${body}</State><Description>${RECORDED}</Description></GenerateCredentialReportResult></GenerateCredentialReportResponse>`,
    encoding: 'utf8',
  });
  const sequence: Recording = {
    header: { kind: 'auditpack-replay-recording', version: RECORDING_VERSION, account: RECORDED, management: MANAGEMENT, regions: [REGION], roleName: ROLE },
    exchanges: [exchange('STARTED'), exchange('COMPLETE')],
  };

  it('gives a key\'s recorded answers in order per account, then the last one again', async () => {
    const replay = await startReplay(sequence, { accounts: 2, latencyMs: 0 });
    try {
      const post = async (account: string) => {
        const clients = clientsFor({ account, endpoint: replay.endpoint, maxAttempts: 1, ...(account === MANAGEMENT ? {} : { roleName: ROLE }) }).forRegion(REGION);
        const out = await clients.get(IAMClient).send(new GenerateCredentialReportCommand({}));
        return `${out.State} ${out.Description}`;
      };
      const other = replay.org.accounts.find((a) => a !== MANAGEMENT) as string;
      expect(await post(MANAGEMENT)).toBe(`STARTED ${MANAGEMENT}`);
      expect(await post(other)).toBe(`STARTED ${other}`);
      expect(await post(MANAGEMENT)).toBe(`COMPLETE ${MANAGEMENT}`);
      expect(await post(MANAGEMENT)).toBe(`COMPLETE ${MANAGEMENT}`);
      expect(await post(other)).toBe(`COMPLETE ${other}`);
    } finally {
      await replay.close();
    }
  });

  it('attack: refuses a recording that is not one, naming the file and line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-replay-bad-'));
    try {
      const file = join(dir, 'bad.ndjson');
      await writeFile(file, '{"kind":"something else"}\n');
      await expect(readRecording(file)).rejects.toThrow(/bad\.ndjson: line 1 is not an auditpack replay recording header/);
      await writeFile(file, `${JSON.stringify(sequence.header)}\n{"key":"k","status":"200"}\n`);
      await expect(readRecording(file)).rejects.toThrow(/bad\.ndjson:2: not a recorded exchange/);
      await writeFile(file, `${JSON.stringify({ ...sequence.header, account: '../../etc' })}\n`);
      await expect(readRecording(file)).rejects.toThrow(/12-digit/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('replaces only moto\'s HTTP 500 for Access Analyzer, with AWS\'s answer for an account without analyzers', () => {
    const gap: Exchange = { ...exchange('x'), key: 'access-analyzer', service: 'access-analyzer', operation: 'GET /analyzer', method: 'GET', status: 500, headers: { 'x-amzn-requestid': 'r1' } };
    const answered: Exchange = { ...gap, status: 200, body: '{"analyzers":[{"name":"a"}]}' };
    const { exchanges, filled } = fillMotoGaps([gap, answered, sequence.exchanges[0] as Exchange]);
    expect(exchanges[0]).toMatchObject({ status: 200, body: '{"analyzers":[]}', headers: { 'content-type': 'application/json', 'x-amzn-requestid': 'r1' } });
    expect(exchanges.slice(1)).toEqual([answered, sequence.exchanges[0]]);
    expect(Object.values(filled)).toEqual([1]);
  });

  it('attack: the recorder forwards only to loopback', async () => {
    await expect(startRecorder('http://169.254.169.254', RECORDED)).rejects.toThrow(/loopback/);
    await expect(startRecorder('https://127.0.0.1:1', RECORDED)).rejects.toThrow(/loopback/);
  });
});
