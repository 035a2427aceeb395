import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectors } from '../../collectors/index.js';
import type { EvidenceRecord } from '../../src/core/types.js';
import { DEMO_REGIONS, DEMO_ROLE } from '../../src/demo/estate.js';
import { DUMMY_SECRET } from '../../src/demo/moto.js';
import { INCOMPLETE_FILE, type IncompleteMarker } from '../../src/locker/incomplete.js';
import { PackError, type Manifest } from '../../src/locker/pack.js';
import { resumeCollect } from '../../src/pipeline/resume.js';
import type { RunRecord } from '../../src/locker/run-info.js';
import type { ResultsDocument } from '../../src/results/types.js';
import { BIN, cli, cliInProcess, expectRefusal, type CliResult } from '../helpers/cli.js';
import { useSeededEstate } from '../helpers/estate.js';
import { enforceMotoAuth } from '../helpers/moto.js';

/**
 * A real interruption: the built CLI is killed with SIGKILL part-way through a collection (the test polls the pack
 * folder; nothing in the shipped code waits for it), then resumed. The pack must be refused as incomplete until
 * then, the evidence it already held kept byte for byte, and the verdicts equal those of an uninterrupted run.
 */
const seeded = useSeededEstate('iam', 's3');
const scope = (): string[] => ['--organization', '--role-name', DEMO_ROLE, '--regions', DEMO_REGIONS.join(','), '--max-attempts', '2'];
/** Collector runs per account of the full registry over the demo regions. */
const RUNS_PER_ACCOUNT = collectors.reduce((n, c) => n + (c.scope === 'account' ? 1 : DEMO_REGIONS.length), 0);

const inProcess = (args: string[]): Promise<CliResult> => cliInProcess(args, { CI: 'true' });

/** Every file of a pack (relative path -> bytes). */
async function files(dir: string): Promise<Map<string, Buffer>> {
  const all = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const abs = join(entry.parentPath, entry.name);
    all.set(abs.slice(dir.length + 1), await readFile(abs));
  }
  return all;
}

const evidenceOf = (all: Map<string, Buffer>): [string, Buffer][] => [...all].filter(([p]) => p.startsWith('evidence/') && p.endsWith('.json'));
const parse = <T>(bytes: Buffer | undefined): T => JSON.parse(bytes?.toString('utf8') ?? 'null') as T;

/**
 * Starts the built CLI under `out` and SIGKILLs it once the pack holds `atLeast` evidence files: a run with
 * --concurrency 1 writes them one at a time, so it dies with most of the plan still to do. Returns the pack.
 */
async function interrupted(args: string[], out: string, atLeast: number, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const child = spawn(process.execPath, [BIN, ...args, '--out', out, '--concurrency', '1'], { env: { ...env, CI: 'true' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 90_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the run ended (exit ${child.exitCode}) before it could be interrupted: ${stderr.slice(-800)}`);
      if (Date.now() > deadline) throw new Error(`no ${atLeast} evidence files within 90 s: ${stderr.slice(-800)}`);
      const [run] = await readdir(out).catch(() => []);
      if (run) {
        const written = await readdir(join(out, run, 'evidence'), { recursive: true }).catch(() => [] as string[]);
        if (written.filter((p) => p.endsWith('.json')).length >= atLeast) {
          child.kill('SIGKILL');
          await exited;
          return join(out, run);
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/** Each control's status and each resource's status: what an auditor reads, without times or run ids. */
function verdicts(results: ResultsDocument): Record<string, { status: string; results: string[] }> {
  return Object.fromEntries(
    results.controls.map((c) => [c.id, { status: c.status, results: c.results.map((r) => `${r.account}/${r.region}/${r.resourceId}: ${r.status}`).sort() }]),
  );
}

describe('a run killed part-way, then resumed', () => {
  let out: string;
  let keys: string;
  let whole: ResultsDocument;
  let wholeCode: number;
  let pack: string;
  let before: Map<string, Buffer>;
  let marker: IncompleteMarker;
  /** Copies of the interrupted pack, taken before the resume, for the attacks. */
  const copies = new Map<string, string>();
  const copy = (name: string): string => {
    const dir = copies.get(name);
    if (!dir) throw new Error(`no copy ${name}`);
    return dir;
  };

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'auditpack-resume-'));
    keys = join(out, 'keys');
    expect((await inProcess(['keys', 'generate', '--out', keys])).code).toBe(0);
    const uninterrupted = await inProcess(['run', ...scope(), '--out', join(out, 'whole'), '--no-report', '--fail-on', 'none']);
    wholeCode = uninterrupted.code;
    const [wholeRun] = await readdir(join(out, 'whole'));
    whole = parse<ResultsDocument>(await readFile(join(out, 'whole', wholeRun!, 'results.json')));
    pack = await interrupted(['run', ...scope(), '--keys', keys, '--fail-on', 'none'], join(out, 'cut'), 6);
    before = await files(pack);
    marker = parse<IncompleteMarker>(before.get(INCOMPLETE_FILE));
    for (const name of ['scope', 'traversal', 'symlink', 'recollect', 'unexpected', 'caller', 'version', 'race']) {
      const dir = join(out, 'copies', name);
      await cp(pack, dir, { recursive: true });
      copies.set(name, dir);
    }
  }, 240_000);

  it('leaves a pack marked incomplete, with no manifest', () => {
    expect(before.has(INCOMPLETE_FILE)).toBe(true);
    expect(before.has('manifest.json')).toBe(false);
    expect(marker).toMatchObject({ accounts: [seeded.estate.management, seeded.estate.member].sort(), regions: [...DEMO_REGIONS].sort(), roleName: DEMO_ROLE, organization: true });
    // The plan only: no endpoint, no credentials.
    const text = JSON.stringify(marker);
    for (const secret of [seeded.moto.endpoint, DUMMY_SECRET, 'testing', 'moto-dummy-session-token']) expect(text).not.toContain(secret);
    expect(evidenceOf(before).length).toBeGreaterThanOrEqual(6);
    expect(evidenceOf(before).length).toBeLessThan(RUNS_PER_ACCOUNT * 2);
  });

  it('is refused by verify and by every pack reader, in one line that says how to finish it (exit 4)', async () => {
    const incomplete = new RegExp(`incomplete pack \\(collection started ${marker.startedAt} was interrupted; \\d+ of ${RUNS_PER_ACCOUNT * 2} collector runs recorded\\) — not a complete audit \\(fix: auditpack run --resume `);
    expectRefusal(await cli(['verify', pack, '--public-key', join(keys, 'manifest-signing.pub.pem')]), 4, incomplete);
    const wholePack = join(out, 'whole', (await readdir(join(out, 'whole')))[0]!);
    for (const args of [['assess', pack], ['report', pack, '--no-sign'], ['diff', wholePack, pack], ['push', 'securityhub', pack, '--dry-run']]) {
      expectRefusal(await inProcess(args), 4, incomplete);
    }
    expect(await files(pack)).toEqual(before);
  });

  it('refuses a resume whose scope differs from the interrupted run\'s, before collecting anything', async () => {
    const dir = copy('scope');
    expectRefusal(await inProcess(['run', '--resume', dir, '--regions', 'us-east-1']), 2, /^auditpack: --regions: the interrupted run in .* covers regions eu-west-1,us-east-1, and a resume keeps the run's scope \(fix: drop --regions, or start a new run\)$/m);
    expectRefusal(await inProcess(['run', '--resume', dir, '--control', 'iam-root-mfa']), 2, /--control: the interrupted run in .* covers every control/);
    expect(await files(dir)).toEqual(before);
  });

  it('finishes with `run --resume`: the same command, kept evidence byte for byte, the same verdicts as an uninterrupted run, signed', async () => {
    const resumed = await cli(['run', '--resume', pack, ...scope(), '--keys', keys, '--fail-on', 'none'], {}, 180_000);
    expect(resumed.code, resumed.stderr).toBe(wholeCode);
    const after = await files(pack);
    const ok = evidenceOf(before).filter(([, bytes]) => parse<EvidenceRecord>(bytes).status === 'ok');
    const errored = evidenceOf(before).filter(([, bytes]) => parse<EvidenceRecord>(bytes).status === 'error');
    expect(resumed.stderr).toContain(`keeping ${ok.length}, collecting ${RUNS_PER_ACCOUNT * 2 - ok.length} (${RUNS_PER_ACCOUNT * 2 - ok.length - errored.length} missing, ${errored.length} errored, 0 invalid)`);
    expect(resumed.stderr).toMatch(new RegExp(`resumed .*: ${ok.length} collector runs kept byte for byte`));
    for (const [path, bytes] of ok) expect(after.get(path)?.equals(bytes), path).toBe(true);
    expect(evidenceOf(after)).toHaveLength(RUNS_PER_ACCOUNT * 2);
    expect(after.has(INCOMPLETE_FILE)).toBe(false);
    expect([...after.keys()].filter((p) => p.endsWith('.tmp'))).toEqual([]);

    const results = parse<ResultsDocument>(after.get('results.json'));
    expect(verdicts(results)).toEqual(verdicts(whole));
    expect(results.run).toMatchObject({ id: marker.runId, startedAt: marker.startedAt });

    const run = parse<RunRecord>(after.get('run.json'));
    expect(run.resumes).toEqual([{ at: expect.any(String), kept: ok.length, missing: RUNS_PER_ACCOUNT * 2 - ok.length - errored.length, recollected: expect.any(Array) }]);
    const recollected = run.resumes?.[0]?.recollected.map((r) => `${r.reason} evidence/${r.run}.json`).sort();
    expect(recollected).toEqual(errored.map(([p]) => `error ${p}`).sort());
    // The manifest says when each part was collected: the kept part before the resume, the rest after it.
    const manifest = parse<Manifest>(after.get('manifest.json'));
    const resumedAt = Date.parse(run.resumes?.[0]?.at ?? '');
    const keptPaths = new Set(ok.map(([p]) => p));
    for (const f of manifest.files.filter((x) => x.path.startsWith('evidence/'))) {
      expect(Date.parse(f.collectedAt ?? '') < resumedAt, f.path).toBe(keptPaths.has(f.path));
    }
    const verified = await cli(['verify', pack, '--public-key', join(keys, 'manifest-signing.pub.pem')]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(verified.stdout).toMatch(/^pack verified/m);
  });

  it('refuses to resume a sealed pack, or a folder that is not an interrupted pack (exit 2)', async () => {
    expectRefusal(await inProcess(['run', '--resume', pack]), 2, /is a sealed, complete pack; there is nothing to resume \(fix: `auditpack assess/);
    const empty = await mkdtemp(join(tmpdir(), 'auditpack-notapack-'));
    expectRefusal(await inProcess(['collect', '--resume', empty]), 2, /not an interrupted auditpack pack \(no incomplete\.json\)/);
  });

  it('refuses a hostile marker (traversal in a collector id) and never builds a path from it (exit 4)', async () => {
    const dir = copy('traversal');
    const hostile = { ...marker, collectors: [{ id: '../../../../tmp/owned', version: '1', scope: 'account' }, ...marker.collectors.slice(1)] };
    await writeFile(join(dir, INCOMPLETE_FILE), JSON.stringify(hostile));
    const snapshot = await files(dir);
    expectRefusal(await inProcess(['collect', '--resume', dir]), 4, /incomplete\.json: field "collectors\.0\.id": must match pattern/);
    expect(await files(dir)).toEqual(snapshot);
  });

  it('refuses a symlinked evidence file and an unexpected file, rather than sealing them (exit 4)', async () => {
    const link = copy('symlink');
    const [first] = evidenceOf(before)[0]!;
    await rm(join(link, first));
    await symlink('/etc/passwd', join(link, first));
    // Refused offline: an endpoint nobody listens on is never called.
    const offline = ['--endpoint', 'http://127.0.0.1:9', '--max-attempts', '1'];
    expectRefusal(await inProcess(['collect', '--resume', link, ...offline]), 4, /: is a symbolic link; auditpack never writes one into a pack/);
    const extra = copy('unexpected');
    await writeFile(join(extra, 'results.json'), '{"controls": []}');
    expectRefusal(await inProcess(['collect', '--resume', extra, ...offline]), 4, /results\.json: is not part of the interrupted run/);
  });

  it('refuses credentials of another account than the one that collected (exit 2)', async () => {
    const dir = copy('caller');
    await writeFile(join(dir, INCOMPLETE_FILE), JSON.stringify({ ...marker, caller: '999999999999' }));
    expectRefusal(await inProcess(['collect', '--resume', dir]), 2, /collected as account 999999999999, but these credentials are for \d{12} \(fix: resume with credentials of account 999999999999\)/);
  });

  it('refuses a plan this auditpack cannot finish as it was begun: another tool or collector version, a missing attestation store (exit 2)', async () => {
    const dir = copy('version');
    const refusals: [IncompleteMarker, RegExp][] = [
      [{ ...marker, tool: { name: 'auditpack', version: '0.0.1' } }, /the run was started by auditpack 0\.0\.1, this is \S+, and one pack holds the evidence of one version \(fix: resume with auditpack 0\.0\.1, or start a new run\)/],
      [{ ...marker, collectors: [{ ...marker.collectors[0]!, version: '99' }, ...marker.collectors.slice(1)] }, /collector iam\.account-summary version 99 \(account\) is not one this auditpack has/],
      [{ ...marker, attestations: true }, /--attestations: the interrupted run in .* was given an attestation store.* \(fix: pass --attestations DIR again\)/],
    ];
    for (const [hostile, pattern] of refusals) {
      await writeFile(join(dir, INCOMPLETE_FILE), JSON.stringify(hostile));
      expectRefusal(await inProcess(['collect', '--resume', dir]), 2, pattern);
    }
  });

  it('never seals a kept file that changed while the resume ran: the pack stays incomplete (exit 4)', async () => {
    const dir = copy('race');
    const [victim] = evidenceOf(before).find(([, bytes]) => parse<EvidenceRecord>(bytes).status === 'ok')!;
    let raced = false;
    const outcome = await resumeCollect({
      pack: dir,
      maxAttempts: 2,
      onEvent: () => {
        if (raced) return;
        raced = true;
        // A writer racing the resume: same size, other content, after the scan read the file.
        const bytes = before.get(victim)!;
        writeFileSync(join(dir, victim), Buffer.from(bytes.toString('utf8').replace(/"status": ?"ok"/, (m) => m.replace('ok', 'OK'))));
      },
    }).then(() => undefined, (err: unknown) => err);
    expect(raced).toBe(true);
    expect(outcome).toBeInstanceOf(PackError);
    expect((outcome as Error).message).toMatch(new RegExp(`${victim.replace(/\./g, '\\.')}: changed while the resume ran; nothing was sealed`));
    const after = await files(dir);
    expect(after.has(INCOMPLETE_FILE)).toBe(true);
    expect(after.has('manifest.json')).toBe(false);
    expectRefusal(await cli(['verify', dir, '--allow-unsigned']), 4, /incomplete pack/);
  });

  it('collects again, and says so, what is corrupt, another account\'s, or huge; keeps the rest byte for byte', async () => {
    const dir = copy('recollect');
    const okBefore = evidenceOf(before).filter(([, bytes]) => parse<EvidenceRecord>(bytes).status === 'ok');
    const [[truncated, truncatedBytes], [donor, donorBytes]] = okBefore as [[string, Buffer], [string, Buffer]];
    await writeFile(join(dir, truncated), truncatedBytes.subarray(0, truncatedBytes.length >> 1));
    // The donor's record copied to the same collector's path in the other account.
    const donorRecord = parse<EvidenceRecord>(donorBytes);
    const other = marker.accounts.find((a) => a !== donorRecord.account)!;
    const foreign = donor.replace(`/${donorRecord.account}/`, `/${other}/`);
    await mkdir(join(dir, foreign, '..'), { recursive: true });
    await writeFile(join(dir, foreign), donorBytes);
    // A 300 MB sparse file where a region-scope run has not written yet.
    const huge = `evidence/${other}/${DEMO_REGIONS[0]}/kms.keys.json`;
    await mkdir(join(dir, huge, '..'), { recursive: true });
    await writeFile(join(dir, huge), '');
    await truncate(join(dir, huge), 300 * 1024 * 1024);

    const resumed = await inProcess(['collect', '--resume', dir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(new RegExp(`collecting again ${truncated.replace(/\./g, '\\.')}: not valid JSON`));
    expect(resumed.stderr).toContain(`collecting again ${foreign}: holds the evidence of ${donorRecord.account}/`);
    expect(resumed.stderr).toContain(`collecting again ${huge}: is 314572800 bytes, more than the limit`);
    const after = await files(dir);
    for (const path of [truncated, foreign, huge]) {
      const record = parse<EvidenceRecord>(after.get(path));
      expect(`evidence/${record.account}/${record.region}/${record.collector.id}.json`, path).toBe(path);
      expect(after.get(path)!.length).toBeLessThan(10 * 1024 * 1024);
    }
    for (const [path, bytes] of okBefore.slice(1)) expect(after.get(path)?.equals(bytes), path).toBe(true);
    const run = parse<RunRecord>(after.get('run.json'));
    const invalid = run.resumes?.[0]?.recollected.filter((r) => r.reason === 'invalid').map((r) => `evidence/${r.run}.json`);
    expect(invalid?.sort()).toEqual([truncated, foreign, huge].sort());
    expect((await cli(['verify', dir, '--allow-unsigned'])).code).toBe(0);
  });
});

describe('a run interrupted after some collector runs failed', () => {
  const moto = seeded.moto;
  let out: string;
  let pack: string;
  let before: Map<string, Buffer>;
  const account = '123456789012';

  beforeAll(async () => {
    // An auditor without the credential report: its runs become error records (moto enforces IAM after 4 calls).
    await enforceMotoAuth(moto.endpoint, 4);
    const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await iam.send(new CreateUserCommand({ UserName: 'resume-auditor' }));
    const allowed = [...new Set(['sts:GetCallerIdentity', ...collectors.flatMap((c) => c.permissions)])].filter((a) => !/CredentialReport/.test(a));
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'resume-partial', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: allowed, Resource: '*' }] }) }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'resume-auditor', PolicyArn: policy.Policy?.Arn }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'resume-auditor' }));
    const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: key.AccessKey?.AccessKeyId, AWS_SECRET_ACCESS_KEY: key.AccessKey?.SecretAccessKey };
    delete env.AWS_SESSION_TOKEN;
    out = await mkdtemp(join(tmpdir(), 'auditpack-resume-errors-'));
    // Plan order: iam.account-summary, then iam.credential-report (denied), then more; killed after the third.
    pack = await interrupted(['collect', '--regions', 'us-east-1', '--max-attempts', '1'], out, 3, env);
    before = await files(pack);
    await enforceMotoAuth(moto.endpoint, Infinity);
  }, 120_000);

  afterAll(async () => {
    await enforceMotoAuth(moto.endpoint, Infinity);
  });

  it('collects only the errored and the missing runs again, with other credentials of the same account', async () => {
    const report = `evidence/${account}/global/iam.credential-report.json`;
    expect(parse<EvidenceRecord>(before.get(report)).status).toBe('error');
    const kept = evidenceOf(before).filter(([p]) => p !== report);
    expect(kept.length).toBeGreaterThanOrEqual(2);
    for (const [path, bytes] of kept) expect(parse<EvidenceRecord>(bytes).status, path).toBe('ok');

    const resumed = await inProcess(['collect', '--resume', pack]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const planned = RUNS_PER_ACCOUNT - (DEMO_REGIONS.length - 1) * collectors.filter((c) => c.scope === 'region').length;
    expect(resumed.stderr).toContain(`${planned} collector runs planned; keeping ${kept.length}, collecting ${planned - kept.length} (${planned - kept.length - 1} missing, 1 errored, 0 invalid)`);
    // One progress line per run collected: the kept ones are not run again.
    expect(resumed.stderr.match(/^\[\d+\/\d+\] /gm)).toHaveLength(planned - kept.length);
    const after = await files(pack);
    for (const [path, bytes] of kept) expect(after.get(path)?.equals(bytes), path).toBe(true);
    expect(parse<EvidenceRecord>(after.get(report)).status).toBe('ok');
    const run = parse<RunRecord>(after.get('run.json'));
    expect(run.resumes?.[0]).toMatchObject({ kept: kept.length, missing: planned - kept.length - 1, recollected: [{ run: `${account}/global/iam.credential-report`, reason: 'error' }] });
    expect((await cli(['verify', pack, '--allow-unsigned'])).code).toBe(0);
  });
});
