import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cli as runCli, cliInProcess, type CliResult } from '../helpers/cli.js';

const ENV = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AUDITPACK_DEBUG: '', CI: 'true' };
let viaChild = false;

/**
 * The CLI, with AWS pointed at a closed loopback port: every refusal here must come before any call to AWS. It runs
 * in this process (same code path as the binary), except inside inChildProcess(): the FIFO attacks run the built
 * binary as a child that is killed after 30 s, so an attack that hangs the CLI fails the test instead of hanging it.
 */
async function cli(args: string[]): Promise<CliResult> {
  if (!viaChild) return cliInProcess(args, ENV);
  const result = await runCli(args, ENV, 30_000);
  if (result.code === -1) throw new Error(`auditpack ${args.join(' ')} hung (killed after 30 s)`);
  return result;
}

async function inChildProcess<T>(work: () => Promise<T>): Promise<T> {
  viaChild = true;
  try {
    return await work();
  } finally {
    viaChild = false;
  }
}

/** The clean refusal: the exit code, exactly one line on stderr, no stack trace. */
function expectRefusal(result: CliResult, code: number, pattern: RegExp): void {
  expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(result.code).toBe(code);
}

const mkfifo = (path: string): void => void execFileSync('mkfifo', [path]);
const CONTROL = 'manual-threat-model';

describe('hostile input paths through the CLI', () => {
  let work: string;
  let doc: string;
  let store: string;
  let record: string;
  let pristine: string;

  const attest = (control: string, file: string, storeDir: string): Promise<CliResult> =>
    cli(['attest', control, '--by', 'Jane Doe (CISO)', '--file', file, '--expires', '2099-12-31', '--statement', 'Threat model reviewed for every production workload.', '--store', storeDir]);
  const runWith = (...args: string[]): Promise<CliResult> => cli(['run', '--regions', 'us-east-1', '--control', CONTROL, '--max-attempts', '1', '--no-report', '--out', join(work, 'packs'), ...args]);
  const documentOf = async (): Promise<string> => join(store, CONTROL, (parse(await readFile(record, 'utf8')) as { document: { path: string } }).document.path);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'auditpack-inputs-'));
    doc = join(work, 'threat-model.pdf');
    store = join(work, 'store');
    await writeFile(doc, '%PDF-1.4 stand-in threat model');
    const made = await attest(CONTROL, doc, store);
    expect(made.code, made.stderr).toBe(0);
    const [name] = (await readdir(join(store, CONTROL))).filter((f) => f.endsWith('.yaml'));
    record = join(store, CONTROL, name!);
    pristine = await readFile(record, 'utf8');
  }, 60_000);

  it('attest: refuses a control id that climbs out of the store, writing nothing', async () => {
    expectRefusal(await attest('../../escape', doc, join(work, 'fresh')), 2, /--control "\.\.\/\.\.\/escape" is not a control id/);
    await expect(readdir(join(work, 'fresh'))).rejects.toThrow();
  }, 60_000);

  it('attest: refuses a FIFO as --file without hanging', async () => {
    mkfifo(join(work, 'doc.fifo'));
    expectRefusal(await inChildProcess(() => attest(CONTROL, join(work, 'doc.fifo'), store)), 2, /--file .*doc\.fifo cannot be read: is a FIFO, not a regular file/);
  }, 60_000);

  describe('run --attestations with a forged store (refused before any AWS call, exit 2)', () => {
    it.each([
      ['a document path ../../etc/passwd', '../../etc/passwd', /field "document\.path": "\.\.\/\.\.\/etc\/passwd" path leaves its folder/],
      ['an absolute document path', '/etc/passwd', /field "document\.path": "\/etc\/passwd" path is an absolute path/],
    ])('%s', async (_name, path, pattern) => {
      const passwd = await readFile('/etc/passwd');
      const forged = parse(pristine) as { document: Record<string, unknown> };
      forged.document = { ...forged.document, path, sha256: (await import('node:crypto')).createHash('sha256').update(passwd).digest('hex'), bytes: passwd.length };
      await writeFile(record, stringify(forged));
      try {
        const result = await runWith('--attestations', store);
        expectRefusal(result, 2, pattern);
        expect(result.stderr).toContain(record);
      } finally {
        await writeFile(record, pristine);
      }
    }, 60_000);

    it('a document that is a symlink to /etc/passwd', async () => {
      const target = await documentOf();
      const original = await readFile(target);
      await rm(target);
      await symlink('/etc/passwd', target);
      try {
        expectRefusal(await runWith('--attestations', store), 2, /documents\/.*: is a symbolic link; attestations are regular files only/);
      } finally {
        await rm(target);
        await writeFile(target, original);
      }
    }, 60_000);

    it('a document that is a FIFO (no hang)', async () => {
      const target = await documentOf();
      const original = await readFile(target);
      await rm(target);
      mkfifo(target);
      try {
        expectRefusal(await inChildProcess(() => runWith('--attestations', store)), 2, /: is a FIFO; attestations are regular files only/);
      } finally {
        await rm(target);
        await writeFile(target, original);
      }
    }, 60_000);

    it('a record claiming a control id with ../', async () => {
      await writeFile(record, pristine.replace(`control: ${CONTROL}`, 'control: ../../etc'));
      try {
        expectRefusal(await runWith('--attestations', store), 2, /field "control": must match pattern/);
      } finally {
        await writeFile(record, pristine);
      }
    }, 60_000);
  });

  describe('run --config with paths that leave the configuration folder (exit 2, naming file and field)', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'auditpack-config-paths-'));
      await mkdir(join(dir, 'real'));
      await symlink('/etc', join(dir, 'etc-link'));
    });

    it.each([
      ['out: ../x', 'out: ../x\n', /auditpack\.yaml:1: field "out": "\.\.\/x" leaves the configuration folder.*fix: .*--out/],
      ['out: /tmp/x', 'out: /tmp/x\n', /field "out": "\/tmp\/x" is an absolute path.*--out/],
      ['waivers: /etc/passwd', 'regions: [us-east-1]\nwaivers: /etc/passwd\n', /auditpack\.yaml:2: field "waivers": "\/etc\/passwd" is an absolute path/],
      ['waivers: real/../../x', 'waivers: real/../../x\n', /field "waivers": .* leaves the configuration folder/],
      ['signing.keys through a symlink', 'signing:\n  keys: etc-link/ssl\n', /auditpack\.yaml:2: field "signing\.keys": "etc-link\/ssl" goes through the symbolic link "etc-link"/],
      ['report.history: ~/packs', 'report:\n  history: ~/packs\n', /field "report\.history": "~\/packs" starts with "~"/],
      ['a wrong type', 'out: [a, b]\n', /auditpack\.yaml:1: field "out": must be string/],
    ])('%s', async (_name, text, pattern) => {
      await writeFile(join(dir, 'auditpack.yaml'), text);
      expectRefusal(await cli(['run', '--config', join(dir, 'auditpack.yaml'), '--max-attempts', '1']), 2, pattern);
    }, 60_000);

    it('a configuration that is a FIFO (no hang)', async () => {
      mkfifo(join(dir, 'fifo.yaml'));
      expectRefusal(await inChildProcess(() => cli(['run', '--config', join(dir, 'fifo.yaml')])), 2, /fifo\.yaml: cannot read configuration: is a FIFO, not a regular file/);
    }, 60_000);
  });
});
