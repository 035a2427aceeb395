import { CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomBytes, createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { PackError, parseManifest, writeManifest, type Manifest } from '../../src/locker/pack.js';
import { generateKeys, KEY_FILES } from '../../src/sign/keys.js';
import { withPackInput, withPackOutput } from '../../src/store/location.js';
import { cliInProcess, expectRefusal, type CliResult } from '../helpers/cli.js';
import { useMoto } from '../helpers/moto.js';

/**
 * The S3 evidence store against moto: `run --out s3://` publishes a signed pack under Object Lock, every reader takes
 * it back from S3 through the normal local verification, and a pack altered in S3 in any of the ways an attacker
 * with write access to the bucket could is refused (exit 4).
 */
const moto = useMoto();
// Each test runs the CLI in process against moto, on a machine shared with other suites.
vi.setConfig({ testTimeout: 180_000 });
afterAll(async () => {
  vi.resetConfig();
  if (keysDir) await rm(keysDir, { recursive: true, force: true });
});
const MiB = 1024 * 1024;
const LOCKED = 'auditpack-locked';
const PLAIN = 'auditpack-plain';
const CONTROLS = 'iam-root-mfa,s3-bucket-versioning';
const cli = (args: string[]): Promise<CliResult> => cliInProcess(args, { CI: 'true' });

let s3: S3Client;
let keysDir: string;
let publicKey: string;
/** The published pack: s3://LOCKED/<prefix>. */
let prefix: string;
let manifest: Manifest;

async function keysUnder(bucket: string, p: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${p}/`, ...(token ? { ContinuationToken: token } : {}) }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

async function body(bucket: string, key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

/** Writes an object as a consistent attacker would: its S3 checksum and metadata agree with the bytes. */
async function putConsistent(bucket: string, key: string, data: Buffer | string): Promise<void> {
  const bytes = Buffer.from(data);
  const sha = createHash('sha256').update(bytes);
  const hex = sha.copy().digest('hex');
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ChecksumAlgorithm: 'SHA256', ChecksumSHA256: sha.digest('base64'), Metadata: { 'auditpack-sha256': hex } }));
}

/** A copy of the published pack under `to` in the plain bucket (attacks must not damage the original). */
async function clonePack(to: string, skip: (rel: string) => boolean = () => false): Promise<string> {
  for (const key of await keysUnder(LOCKED, prefix)) {
    const rel = key.slice(prefix.length + 1);
    if (!skip(rel)) await s3.send(new CopyObjectCommand({ Bucket: PLAIN, Key: `${to}/${rel}`, CopySource: `${LOCKED}/${key}` }));
  }
  return `s3://${PLAIN}/${to}`;
}

const verify = (location: string, ...extra: string[]): Promise<CliResult> => cli(['verify', location, '--public-key', publicKey, ...extra]);

beforeAll(async () => {
  s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1' });
  await s3.send(new CreateBucketCommand({ Bucket: LOCKED, ObjectLockEnabledForBucket: true }));
  await s3.send(new CreateBucketCommand({ Bucket: PLAIN }));
  keysDir = await mkdtemp(join(tmpdir(), 'auditpack-s3-keys-'));
  await generateKeys(keysDir, { organisation: 'Test Org', demo: true });
  publicKey = join(keysDir, KEY_FILES.manifestPublic);
  const run = await cli(['run', '--out', `s3://${LOCKED}/packs`, '--regions', 'us-east-1', '--control', CONTROLS, '--keys', keysDir, '--fail-on', 'none', '--max-attempts', '2', '--retention-mode', 'COMPLIANCE', '--retain-days', '1']);
  expect(run.code, run.stderr).toBe(0);
  const runId = /evidence pack: s3:\/\/[^/]+\/packs\/(\S+)/.exec(run.stdout)?.[1];
  expect(runId, run.stdout).toBeDefined();
  prefix = `packs/${runId}`;
  manifest = parseManifest('s3', await body(LOCKED, `${prefix}/manifest.json`));
}, 180_000);

describe('publishing a pack to S3', () => {
  it('writes every file with Object Lock retention, its SHA-256 checksum and the manifest hash', async () => {
    const keys = await keysUnder(LOCKED, prefix);
    const rels = keys.map((k) => k.slice(prefix.length + 1));
    expect(rels).toEqual(expect.arrayContaining(['manifest.json', 'manifest.sig', 'signature.json', 'report.html', 'report.pdf', 'results.json', 'run.json']));
    expect(rels.filter((r) => r.startsWith('evidence/')).length).toBeGreaterThan(0);
    const listed = new Map(manifest.files.map((f) => [f.path, f.sha256] as const));
    for (const rel of manifest.files.map((f) => f.path)) expect(rels).toContain(rel);
    const now = Date.now();
    for (const key of keys) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: LOCKED, Key: key, ChecksumMode: 'ENABLED' }));
      expect(head.ObjectLockMode, key).toBe('COMPLIANCE');
      const until = head.ObjectLockRetainUntilDate?.getTime() ?? 0;
      expect(until - now).toBeGreaterThan(23 * 3600_000);
      expect(until - now).toBeLessThan(25 * 3600_000);
      const rel = key.slice(prefix.length + 1);
      const sha = createHash('sha256').update(await body(LOCKED, key)).digest('hex');
      expect(head.Metadata?.['auditpack-sha256'], key).toBe(sha);
      expect(Buffer.from(head.ChecksumSHA256 ?? '', 'base64').toString('hex'), key).toBe(sha);
      if (listed.has(rel)) expect(sha).toBe(listed.get(rel));
    }
  });

  it('never overwrites an existing pack prefix', async () => {
    const runId = prefix.split('/')[1]!;
    const attempt = withPackOutput(`s3://${LOCKED}/packs`, {}, async (parent) => {
      await withPackInput(`s3://${LOCKED}/${prefix}`, 'copy', (dir) => cp(dir, join(parent, runId), { recursive: true }));
      return { packDir: join(parent, runId) };
    });
    const error = await attempt.then(() => undefined, (err: unknown) => err as Error);
    expect(error?.message).toMatch(/already holds objects; auditpack never overwrites a pack.*the complete pack is kept at/);
    const kept = /the complete pack is kept at (\S+);/.exec(error?.message ?? '')?.[1];
    if (kept) await rm(join(kept, '..'), { recursive: true, force: true });
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: LOCKED, Prefix: `${prefix}/manifest.json` }))).Versions).toHaveLength(1);
  });

  it('refuses a bucket without Object Lock before anything is collected', async () => {
    const result = await cli(['run', '--out', `s3://${PLAIN}/packs`, '--regions', 'us-east-1', '--control', 'iam-root-mfa', '--no-report', '--retention-mode', 'GOVERNANCE', '--retain-days', '3']);
    expectRefusal(result, 2, new RegExp(`s3://${PLAIN}: Object Lock is not enabled on this bucket.*nothing was collected.*fix: create the bucket with Object Lock enabled`));
    expect(result.stdout).toBe('');
    expect(await keysUnder(PLAIN, 'packs')).toEqual([]);
  });

  it('refuses a missing bucket, and retention for a local --out, before anything is collected', async () => {
    expectRefusal(await cli(['collect', '--out', 's3://auditpack-no-such-bucket/p', '--regions', 'us-east-1']), 2, /s3:\/\/auditpack-no-such-bucket: no such bucket/);
    const out = await mkdtemp(join(tmpdir(), 'auditpack-s3-local-'));
    expectRefusal(await cli(['collect', '--out', out, '--regions', 'us-east-1', '--retention-mode', 'COMPLIANCE', '--retain-days', '1']), 2, /--retention-mode applies to an s3:\/\/ pack location only/);
    await rm(out, { recursive: true, force: true });
    expectRefusal(await cli(['collect', '--out', 's3://bucket/../x', '--regions', 'us-east-1']), 2, /not a valid S3 location/);
  });
});

describe('publishing refuses what is not a plain pack', () => {
  it('a staged pack holding a symlink is not published, and nothing is written', async () => {
    const attempt = withPackOutput(`s3://${PLAIN}/linked`, {}, async (parent) => {
      const packDir = join(parent, 'run-linked');
      await withPackInput(`s3://${LOCKED}/${prefix}`, 'copy', (dir) => cp(dir, packDir, { recursive: true }));
      await symlink('/etc/passwd', join(packDir, 'evidence', 'passwd.json'));
      return { packDir };
    });
    const error = await attempt.then(() => undefined, (err: unknown) => err as Error);
    expect(error?.message).toMatch(/passwd\.json: is a symbolic link; a pack holds regular files only, so nothing was written to S3/);
    const kept = /the complete pack is kept at (\S+);/.exec(error?.message ?? '')?.[1];
    if (kept) await rm(join(kept, '..'), { recursive: true, force: true });
    expect(await keysUnder(PLAIN, 'linked')).toEqual([]);
  });

  it('assess with retention of a pack in a bucket without Object Lock is refused before anything is read', async () => {
    const location = await clonePack('no-lock');
    expectRefusal(await cli(['assess', location, '--fail-on', 'none', '--retention-mode', 'GOVERNANCE', '--retain-days', '1']), 2, /Object Lock is not enabled on this bucket/);
  });
});

describe('reading a pack from S3', () => {
  it('verifies against the pinned key and reports its retention', async () => {
    const result = await verify(`s3://${LOCKED}/${prefix}`, '--require-retention');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`ok {3}retention: all ${(await keysUnder(LOCKED, prefix)).length} objects under Object Lock COMPLIANCE retention until at least 20`));
    expect(result.stdout).toMatch(/ok {3}s3 checksums: all \d+ objects match/);
    expect(result.stdout).toMatch(/pack verified: .*pinned/);
  });

  it('fails --require-retention for a pack without Object Lock retention', async () => {
    const location = await clonePack('unretained');
    const result = await verify(location, '--require-retention');
    expect(result.code).toBe(4);
    expect(result.stdout).toMatch(/FAIL retention: \d+ of \d+ objects NOT under Object Lock retention/);
    expect((await verify(location)).code).toBe(0);
  });
});

describe('attacks on a pack in S3', () => {
  const evidence = (): string => manifest.files.find((f) => f.path.startsWith('evidence/'))!.path;

  it('an object altered after upload (checksum and metadata made consistent) is refused like a local change', async () => {
    const location = await clonePack('altered');
    const original = await body(PLAIN, `altered/${evidence()}`);
    await putConsistent(PLAIN, `altered/${evidence()}`, Buffer.concat([original.subarray(0, -1), Buffer.from(' ')]));
    const result = await verify(location);
    expect(result.code).toBe(4);
    expect(result.stdout).toContain(`FAIL ${evidence()}: modified`);
  });

  it('bytes that do not match the SHA-256 S3 holds for the object are refused as tampered', async () => {
    const location = await clonePack('mismatch');
    const key = `mismatch/${evidence()}`;
    await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: key, Body: await body(PLAIN, key), Metadata: { 'auditpack-sha256': createHash('sha256').update('something else').digest('hex') } }));
    expectRefusal(await verify(location), 4, /tampered: the bytes downloaded \(sha256 [0-9a-f]{64}\) do not match the SHA-256 S3 holds/);
  });

  it('an extra object under the prefix is refused', async () => {
    const location = await clonePack('extra');
    await putConsistent(PLAIN, 'extra/evidence/planted.json', '{}');
    const result = await verify(location);
    expect(result.code).toBe(4);
    expect(result.stdout).toContain('FAIL evidence/planted.json: not listed in the manifest');
  });

  it('a manifest uploaded with a listed file missing is refused', async () => {
    const location = await clonePack('missing', (rel) => rel === evidence());
    const result = await verify(location);
    expect(result.code).toBe(4);
    expect(result.stdout).toContain(`FAIL ${evidence()}: missing`);
  });

  it.each([
    ['a key leaving the pack with ../', 'dotdot/../evil.json', /leaves its folder with "\.\."/],
    ['an empty segment', 'dotdot/evidence//x.json', /empty or "\." segment/],
    ['a backslash', 'dotdot/evidence\\x.json', /backslash/],
    ['a folder marker', 'dotdot/evidence/', /empty or "\." segment/],
    ['keys colliding once case-folded', 'dotdot/RUN.JSON', /name the same file once normalised/],
    ['keys colliding once Unicode-normalised', 'dotdot/caf\u0065\u0301.json|dotdot/caf\u00e9.json', /name the same file once normalised/],
    ['a key that is also a folder', 'dotdot/run.json/x', /both a file and a folder/],
  ])('%s is refused before anything is written locally', async (_label, keys, why) => {
    const location = await clonePack('dotdot');
    for (const key of keys.split('|')) await putConsistent(PLAIN, key, '{}');
    try {
      expectRefusal(await verify(location), 4, why);
    } finally {
      for (const key of keys.split('|')) await s3.send(new DeleteObjectCommand({ Bucket: PLAIN, Key: key }));
    }
  });

  it('an enormous object count or size is refused at the bound, before downloading', async () => {
    const location = await clonePack('many');
    for (let i = 0; i < 12; i++) await putConsistent(PLAIN, `many/evidence/flood/${i}.json`, '{}');
    let ran = false;
    const work = async (): Promise<void> => {
      ran = true;
    };
    await expect(withPackInput(location, 'verify', work, { limits: { objects: 10 } })).rejects.toThrow(/holds more than 10 objects/);
    await expect(withPackInput(location, 'verify', work, { limits: { totalBytes: 1000 } })).rejects.toThrow(/exceed 1000 bytes in total/);
    await expect(withPackInput(location, 'verify', work, { limits: { objectBytes: 100 } })).rejects.toBeInstanceOf(PackError);
    expect(ran).toBe(false);
  });

  it('a prefix with no objects is not a pack', async () => {
    expectRefusal(await verify(`s3://${PLAIN}/nothing-here`), 2, /no pack there/);
  });
});

describe('multipart upload', () => {
  const transfer = { multipartThreshold: 5 * MiB, partSize: 5 * MiB };
  let big: Buffer;
  let location: string;

  /** A copy of the published pack, unsigned, with an 11 MiB file added and sealed: three parts at 5 MiB. */
  async function stageBigPack(parent: string, name: string, tamper = false): Promise<{ packDir: string }> {
    const packDir = join(parent, name);
    await withPackInput(`s3://${LOCKED}/${prefix}`, 'copy', (dir) => cp(dir, packDir, { recursive: true }));
    for (const f of ['manifest.sig', 'signature.json', 'report.html', 'report.html.sig', 'report.pdf']) await rm(join(packDir, f), { force: true });
    await writeFile(join(packDir, 'attestations-big.bin'), big);
    const sealed = JSON.parse(await readFile(join(packDir, 'manifest.json'), 'utf8')) as Manifest;
    await writeManifest(packDir, { tool: sealed.tool, run: sealed.run, ...(sealed.catalog ? { catalog: sealed.catalog } : {}) });
    if (tamper) await writeFile(join(packDir, 'attestations-big.bin'), Buffer.concat([big.subarray(1), Buffer.from('x')]));
    return { packDir };
  }

  beforeAll(async () => {
    big = randomBytes(11 * MiB);
    const out = await withPackOutput(`s3://${PLAIN}/mp`, { transfer }, (parent) => stageBigPack(parent, 'run-mp'));
    location = out.location;
  }, 120_000);

  it('round-trips: per-part checksums, the whole-file SHA-256 in metadata, and the pack verifies from S3', async () => {
    expect(location).toBe(`s3://${PLAIN}/mp/run-mp`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: PLAIN, Key: 'mp/run-mp/attestations-big.bin', ChecksumMode: 'ENABLED' }));
    expect(head.ETag).toMatch(/-3"$/);
    expect(head.Metadata?.['auditpack-sha256']).toBe(createHash('sha256').update(big).digest('hex'));
    const result = await cli(['verify', location, '--allow-unsigned']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/ok {3}s3 checksums: all \d+ objects match/);
    // Buffer.equals: a deep toEqual over 11 MiB takes minutes.
    expect((await withPackInput(location, 'read', (dir) => readFile(join(dir, 'attestations-big.bin')))).equals(big)).toBe(true);
  });

  it("moto gap: a multipart object's checksum lacks S3's COMPOSITE type and -N suffix (the reader recognises the multipart ETag)", async () => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: PLAIN, Key: 'mp/run-mp/attestations-big.bin', ChecksumMode: 'ENABLED' }));
    // S3 answers ChecksumType COMPOSITE and "<base64>-3"; moto gives the checksum of the part checksums bare.
    expect(head.ChecksumType).toBeUndefined();
    expect(head.ChecksumSHA256).not.toContain('-');
    expect(head.ChecksumSHA256).not.toBe(createHash('sha256').update(big).digest('base64'));
  });

  it('moto gap: S3 refuses a write whose ChecksumSHA256 does not match (BadDigest), moto stores it; publishing checks the bytes against the manifest itself and aborts the multipart upload', async () => {
    const wrong = createHash('sha256').update('not the body').digest('base64');
    await s3.send(new PutObjectCommand({ Bucket: PLAIN, Key: 'gap/put', Body: 'body', ChecksumAlgorithm: 'SHA256', ChecksumSHA256: wrong }));
    expect((await keysUnder(PLAIN, 'gap')).length).toBe(1);
    const attempt = withPackOutput(`s3://${PLAIN}/mp`, { transfer }, (parent) => stageBigPack(parent, 'run-tampered', true));
    const error = await attempt.then(() => undefined, (err: unknown) => err as Error);
    expect(error).toBeInstanceOf(UserError);
    expect(error?.message).toMatch(/attestations-big\.bin: sha256 [0-9a-f]{64} differs from the manifest's.*the complete pack is kept at/);
    const kept = /the complete pack is kept at (\S+);/.exec(error?.message ?? '')?.[1];
    if (kept) await rm(join(kept, '..'), { recursive: true, force: true });
    expect(await keysUnder(PLAIN, 'mp/run-tampered')).not.toContain('mp/run-tampered/attestations-big.bin');
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: PLAIN }))).Uploads ?? []).toEqual([]);
    expect(await keysUnder(PLAIN, 'mp/run-tampered')).not.toContain('mp/run-tampered/manifest.json');
  });
});

/** Last: it rewrites the published pack (the attacks above clone the pack as `run` published it). */
describe('updating a pack in S3', () => {
  it('assesses and reports an S3 pack, writing new object versions under retention (Object Lock keeps the old ones)', async () => {
    const location = `s3://${LOCKED}/${prefix}`;
    const assessed = await cli(['assess', location, '--public-key', publicKey, '--control', CONTROLS, '--fail-on', 'none', '--retention-mode', 'COMPLIANCE', '--retain-days', '1']);
    expect(assessed.code, assessed.stderr).toBe(0);
    expect(assessed.stdout).toContain(location);
    const reported = await cli(['report', location, '--keys', keysDir, '--retention-mode', 'COMPLIANCE', '--retain-days', '1']);
    expect(reported.code, reported.stderr).toBe(0);
    const verified = await verify(location, '--require-retention');
    expect(verified.code, verified.stdout).toBe(0);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: LOCKED, Prefix: `${prefix}/manifest.json` }));
    expect(versions.Versions?.length).toBeGreaterThanOrEqual(3);
    const diff = await cli(['diff', location, location, '--public-key', publicKey]);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toContain('signed by the pinned key');
    const trend = await cli(['diff', location, location, '--public-key', publicKey, '--history', `s3://${LOCKED}/packs`]);
    expect(trend.code, trend.stderr).toBe(0);
    expect(trend.stdout).toContain('Score trend (1 runs)');
    const pushed = await cli(['push', 'securityhub', location, '--dry-run']);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toContain(`findings: ${location}/findings.asff.json`);
    expect(await keysUnder(LOCKED, prefix)).toContain(`${prefix}/findings.asff.json`);
    expect((await verify(location)).code).toBe(0);
  }, 240_000);
});
