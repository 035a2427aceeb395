import { CloudFormationClient, ValidateTemplateCommand } from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { DEMO_REGIONS, DEMO_ROLE } from '../../src/demo/estate.js';
import type { RunRecord } from '../../src/locker/run-info.js';
import { shardAccounts } from '../../src/pipeline/shard.js';
import { generateKeys } from '../../src/sign/keys.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { useSeededEstate } from '../helpers/estate.js';
import { comparable, growOrganisation, shardTestControls } from '../helpers/shard-estate.js';

/**
 * deploy/: the AWS Batch template and the Kubernetes Indexed Job, checked for what makes them work (array size N =
 * the N of --shard auto/N, a standard dependency of the merge on the whole array job, Indexed completions), the
 * template validated by moto's CloudFormation, and then the container commands themselves run as separate
 * processes of the CLI, one per shard, with AWS_BATCH_JOB_ARRAY_INDEX (into moto S3 under Object Lock, as the
 * template does) and with JOB_COMPLETION_INDEX (4 shards of fewer accounts: some are empty), then merged.
 */
const exec = promisify(execFile);
const DEPLOY = join(PACKAGE_ROOT, 'deploy');
const seeded = useSeededEstate('s3');

type Cfn = Record<string, unknown>;
interface Template {
  Parameters: Record<string, { Default?: unknown; MinValue?: number; MaxValue?: number }>;
  Resources: Record<string, { Type: string; Properties: Cfn }>;
}
interface K8sJob {
  kind: string;
  spec: {
    completionMode?: string;
    completions: number;
    parallelism?: number;
    backoffLimit?: number;
    backoffLimitPerIndex?: number;
    template: { spec: { restartPolicy: string; containers: { name: string; args: string[]; env: { name: string; value: string }[] }[] } };
  };
}

const batchTemplateText = (): Promise<string> => readFile(join(DEPLOY, 'aws-batch', 'auditpack-batch.yaml'), 'utf8');
const k8s = async (file: string): Promise<K8sJob> => parse(await readFile(join(DEPLOY, 'kubernetes', file), 'utf8')) as K8sJob;

/** A CloudFormation value with Ref / Fn::Sub / Fn::GetAtt resolved from `values` (Batch `Ref::x` placeholders too). */
function resolveCfn(value: unknown, values: Record<string, string>): string {
  if (typeof value === 'string') return value.startsWith('Ref::') ? (values[value] ?? value) : value;
  const v = value as { Ref?: string; 'Fn::Sub'?: string };
  if (v.Ref !== undefined) return values[v.Ref] ?? `unresolved:${v.Ref}`;
  if (v['Fn::Sub'] !== undefined) return v['Fn::Sub'].replace(/\$\{([A-Za-z0-9:]+)\}/g, (_, name: string) => values[name] ?? `unresolved:${name}`);
  throw new Error(`unexpected value in a command: ${JSON.stringify(value)}`);
}

/** Runs the CLI as its own process (through tsx, so no build is needed), with extra environment. */
async function cliProcess(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'src/cli/bin.ts'), ...args], {
      env: { ...process.env, ...env, CI: 'true' },
      cwd: PACKAGE_ROOT,
      timeout: 240_000,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number | string; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs `count` shard processes, two at a time (the machine is shared), each with `variable` = its 0-based index. */
async function runShards(count: number, variable: string, args: string[]): Promise<void> {
  for (let i = 0; i < count; i += 2) {
    const batch = [i, i + 1].filter((j) => j < count);
    const results = await Promise.all(batch.map((j) => cliProcess(args, { [variable]: String(j) })));
    for (const [k, r] of results.entries()) expect(r.code, `shard ${(batch[k] ?? 0) + 1}: ${r.stderr}`).toBe(0);
  }
}

describe('deploy/ templates', () => {
  it('AWS Batch: the shard job runs `run --organization --shard auto/N --out` from the array job of size N, and the merge depends on the whole array job', async () => {
    const template = parse(await batchTemplateText()) as Template;
    const shardJob = template.Resources.ShardJobDefinition;
    const mergeJob = template.Resources.MergeJobDefinition;
    expect(shardJob?.Type).toBe('AWS::Batch::JobDefinition');
    const command = (shardJob?.Properties.ContainerProperties as { Command: unknown[] }).Command;
    expect(command.slice(0, 2)).toEqual(['run', '--organization']);
    expect(command).toContain('--role-name');
    expect(command[command.indexOf('--shard') + 1]).toEqual({ 'Fn::Sub': 'auto/${ShardCount}' });
    expect(command[command.indexOf('--out') + 1]).toBe('Ref::shardsOut');
    const merge = (mergeJob?.Properties.ContainerProperties as { Command: unknown[] }).Command;
    expect(merge.slice(0, 3)).toEqual(['merge', '--shards-in', 'Ref::shardsOut']);
    expect(merge).toContain('--fingerprint');
    expect(template.Parameters.ShardCount).toMatchObject({ MinValue: 2, MaxValue: 10000 });
    // The state machine: array size N, then the merge with a standard (untyped) dependency on the array job id.
    const definition = (template.Resources.AuditStateMachine?.Properties.DefinitionString as { 'Fn::Sub': string })['Fn::Sub'];
    const machine = JSON.parse(definition.replace(/\$\{ShardCount\}/g, '7').replace(/\$\{[A-Za-z:]+\}/g, 'x')) as {
      States: Record<string, { Resource: string; Parameters: Record<string, unknown>; ResultSelector?: Record<string, string>; ResultPath?: string; Next?: string }>;
      StartAt: string;
    };
    const shards = machine.States[machine.StartAt];
    expect(shards?.Parameters.ArrayProperties).toEqual({ Size: 7 });
    expect(shards?.Resource).toMatch(/:batch:submitJob$/);
    const next = machine.States[shards?.Next ?? ''];
    expect(next?.Resource).toMatch(/:batch:submitJob\.sync$/);
    expect(next?.Parameters.DependsOn).toEqual([{ 'JobId.$': `${shards?.ResultPath}.JobId` }]);
    expect(JSON.stringify(next?.Parameters.DependsOn)).not.toMatch(/N_TO_N|SEQUENTIAL|Type/);
    // Shards and merge write under the same execution's prefix.
    const shardsOut = (shards?.Parameters.Parameters as Record<string, string>)['shardsOut.$'];
    expect((next?.Parameters.Parameters as Record<string, string>)['shardsOut.$']).toBe(shardsOut);
  });

  it('AWS Batch: moto\'s CloudFormation validates the template', async () => {
    const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: seeded.moto.endpoint });
    await expect(cfn.send(new ValidateTemplateCommand({ TemplateBody: await batchTemplateText() }))).resolves.toBeDefined();
  });

  it('moto gap: ValidateTemplate answers no Parameters (AWS lists the template\'s parameters)', async () => {
    // The parameters are checked from the parsed template above instead; when moto lists them, assert them here.
    const cfn = new CloudFormationClient({ region: 'us-east-1', endpoint: seeded.moto.endpoint });
    const validated = await cfn.send(new ValidateTemplateCommand({ TemplateBody: await batchTemplateText() }));
    expect(validated.Parameters ?? []).toEqual([]);
    expect(Object.keys((parse(await batchTemplateText()) as Template).Parameters)).toEqual(expect.arrayContaining(['ShardCount', 'JobQueueArn', 'ImageUri', 'SignerFingerprint']));
  });

  it('Kubernetes: an Indexed Job whose completions equal the N of --shard auto/N, and a merge Job of one attempt', async () => {
    const job = await k8s('indexed-job.yaml');
    expect(job.kind).toBe('Job');
    expect(job.spec.completionMode).toBe('Indexed');
    const args = job.spec.template.spec.containers[0]?.args ?? [];
    expect(args.slice(0, 2)).toEqual(['run', '--organization']);
    expect(args[args.indexOf('--shard') + 1]).toBe(`auto/${job.spec.completions}`);
    expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    const merge = await k8s('merge-job.yaml');
    expect(merge.spec.backoffLimit).toBe(0);
    const mergeArgs = merge.spec.template.spec.containers[0]?.args ?? [];
    expect(mergeArgs[mergeArgs.indexOf('--shards-in') + 1]).toBe(args[args.indexOf('--out') + 1]);
  });
});

describe('the deploy/ commands as separate processes, one per shard', () => {
  let work: string;
  let population: string[];
  let controls: string[];
  let signing: { keys: string; fingerprint: string };
  const bucket = 'auditpack-shard-deploy';
  let batchMerged: ResultsDocument;
  let k8sMerged: ResultsDocument;
  let k8sShards: string;
  let k8sCount: number;
  let mergedLocation: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'auditpack-shard-deploy-'));
    population = await growOrganisation(seeded.moto.endpoint, [seeded.estate.management, seeded.estate.member]);
    controls = await shardTestControls();
    // moto's KMS signs MessageType DIGEST wrongly (test/integration/kms-signing.test.ts), and the HTML report is
    // larger than KMS's 4 KB RAW limit: the commands sign with a local key in place of --sign-kms-key.
    const keys = join(work, 'keys');
    signing = { keys, fingerprint: (await generateKeys(keys, { organisation: 'auditpack shard test' })).fingerprint };
    await new S3Client({ region: 'us-east-1', endpoint: seeded.moto.endpoint, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
    const extra = ['--control', controls.join(','), '--max-attempts', '2'];

    const valueOf: Record<string, string[]> = { '--sign-kms-key': ['--keys', signing.keys], '--fingerprint': ['--fingerprint', signing.fingerprint], '--role-name': ['--role-name', DEMO_ROLE], '--regions': ['--regions', DEMO_REGIONS.join(',')] };
    const swapKms = (args: string[]): string[] => args.flatMap((a, i) => (args[i - 1] === '--sign-kms-key' ? [] : a === '--sign-kms-key' ? ['--keys', signing.keys] : [a]));
    // Kubernetes: the Indexed Job's args with $(AUDIT_RUN) expanded, into a local folder (a shared volume).
    const job = await k8s('indexed-job.yaml');
    k8sCount = job.spec.completions;
    k8sShards = join(work, 'k8s', 'shards');
    // The placeholders of the example manifests, as this estate gives them; retention is for s3:// only.
    const local = (args: string[], out: Record<string, string>): string[] => {
      const kept: string[] = [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i] as string;
        const value = valueOf[a];
        if (a === '--retention-mode' || a === '--retain-days') i++;
        else if (value !== undefined) {
          kept.push(...value);
          i++;
        } else kept.push(out[a] ?? a);
      }
      return kept;
    };
    const shardOut = job.spec.template.spec.containers[0]?.args.find((a) => a.startsWith('s3://')) ?? '';
    await runShards(k8sCount, 'JOB_COMPLETION_INDEX', [...local(job.spec.template.spec.containers[0]?.args ?? [], { [shardOut]: k8sShards }), ...extra]);
    const mergeJob = await k8s('merge-job.yaml');
    const mergeArgs = mergeJob.spec.template.spec.containers[0]?.args ?? [];
    const mergedOut = mergeArgs[mergeArgs.indexOf('--out') + 1] ?? '';
    const k8sMerge = await cliProcess([...local(mergeArgs, { [shardOut]: k8sShards, [mergedOut]: join(work, 'k8s', 'merged') }), '--json'], {});
    expect(k8sMerge.code, k8sMerge.stderr).toBe(0);
    k8sMerged = JSON.parse(k8sMerge.stdout) as ResultsDocument;
    // AWS Batch: the job definitions' commands, with the values a stack and an execution would give them.
    const template = parse(await batchTemplateText()) as Template;
    const values: Record<string, string> = {
      AuditRoleName: DEMO_ROLE,
      Regions: DEMO_REGIONS.join(','),
      ShardCount: '2',
      SigningKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/unused',
      SignerFingerprint: signing.fingerprint,
      RetentionMode: 'GOVERNANCE',
      RetainDays: '1',
      'Ref::shardsOut': `s3://${bucket}/audits/exec-1/shards`,
      'Ref::mergedOut': `s3://${bucket}/audits/exec-1/merged`,
    };
    const command = (name: string): string[] => swapKms(((template.Resources[name]?.Properties.ContainerProperties as { Command: unknown[] }).Command).map((v) => resolveCfn(v, values)));
    await runShards(2, 'AWS_BATCH_JOB_ARRAY_INDEX', [...command('ShardJobDefinition'), ...extra]);
    const batchMerge = await cliProcess([...command('MergeJobDefinition'), '--json'], {});
    expect(batchMerge.code, batchMerge.stderr).toBe(0);
    batchMerged = JSON.parse(batchMerge.stdout) as ResultsDocument;
    mergedLocation = values['Ref::mergedOut'] as string;

  }, 600_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('merges the Batch shards from S3 into a pack of the whole organisation, every object under Object Lock', async () => {
    expect(batchMerged.run.accounts).toEqual(population);
    const s3 = new S3Client({ region: 'us-east-1', endpoint: seeded.moto.endpoint, forcePathStyle: true });
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'audits/exec-1/' }));
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
    expect(keys.filter((k) => k.endsWith('/manifest.json'))).toHaveLength(3);
    expect(keys.filter((k) => k.startsWith('audits/exec-1/merged/'))).not.toEqual([]);
    for (const key of keys) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      expect(head.ObjectLockMode, key).toBe('GOVERNANCE');
      expect(head.ObjectLockRetainUntilDate?.getTime(), key).toBeGreaterThan(Date.now());
    }
    const verified = await cliProcess(['verify', `${mergedLocation}/${batchMerged.run.id}`, '--fingerprint', signing.fingerprint], {});
    expect(verified.code, `${verified.stdout}${verified.stderr}`).toBe(0);
  });

  it('gives the same results from the Kubernetes shards (some of them empty) as from the Batch shards', async () => {
    const sizes = Array.from({ length: k8sCount }, (_, i) => shardAccounts(population, { index: i + 1, count: k8sCount }).length);
    expect(sizes.some((n) => n === 0)).toBe(true);
    expect(comparable(k8sMerged)).toEqual(comparable(batchMerged));
  });

  it('seals and verifies an empty shard\'s pack, recording the shard and the population', async () => {
    const packs = await readdir(k8sShards);
    expect(packs).toHaveLength(k8sCount);
    let empty = 0;
    for (const name of packs) {
      const record = JSON.parse(await readFile(join(k8sShards, name, 'run.json'), 'utf8')) as RunRecord;
      expect(record.shard?.population).toEqual(population);
      if (record.accounts.length > 0) continue;
      empty++;
      const verified = await cliProcess(['verify', join(k8sShards, name), '--fingerprint', signing.fingerprint], {});
      expect(verified.code, verified.stdout).toBe(0);
      const results = JSON.parse(await readFile(join(k8sShards, name, 'results.json'), 'utf8')) as ResultsDocument;
      expect(results.run.accounts).toEqual([]);
      expect(results.controls.flatMap((c) => c.results)).toEqual([]);
    }
    expect(empty).toBeGreaterThan(0);
  });

  it('refuses --shard auto/N outside an array or indexed job, and an index out of range, naming both variables', async () => {
    const args = ['collect', '--organization', '--role-name', DEMO_ROLE, '--regions', 'us-east-1', '--shard', 'auto/3', '--out', join(work, 'never')];
    const none = await cliProcess(args, {});
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/neither AWS_BATCH_JOB_ARRAY_INDEX .* nor|neither AWS_BATCH_JOB_ARRAY_INDEX.*JOB_COMPLETION_INDEX.*is set/);
    const outside = await cliProcess(args, { AWS_BATCH_JOB_ARRAY_INDEX: '3' });
    expect(outside.code).toBe(2);
    expect(outside.stderr.trim().split('\n')).toHaveLength(1);
    expect(outside.stderr).toMatch(/AWS_BATCH_JOB_ARRAY_INDEX="3" is not a 0-based index below 3.*JOB_COMPLETION_INDEX/);
    expect(await readdir(join(work, 'never')).catch(() => [])).toEqual([]);
  });
});
