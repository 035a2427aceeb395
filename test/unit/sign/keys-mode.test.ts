import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * Watches every file auditpack opens and renames: the mode a file has the moment open(2) creates it (fstat before
 * a byte is written) and the moment before it is renamed into place. A key written with the default mode and
 * chmod-ed afterwards would show 0666 here under a permissive umask.
 */
const seen = vi.hoisted(() => ({
  opens: [] as { path: string; flags: unknown; modeAtCreation: number }[],
  renames: [] as { from: string; to: string; mode: number }[],
  chmods: [] as string[],
}));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      seen.opens.push({ path: String(args[0]), flags: args[1], modeAtCreation: (await handle.stat()).mode & 0o777 });
      return handle;
    },
    rename: async (from: string, to: string) => {
      seen.renames.push({ from, to, mode: (await actual.lstat(from)).mode & 0o777 });
      return actual.rename(from, to);
    },
    chmod: async (path: string, mode: number) => {
      seen.chmods.push(path);
      return actual.chmod(path, mode);
    },
  };
});

const { generateKeys, KEY_FILES } = await import('../../../src/sign/keys.js');
const { writeFileAtomic } = await import('../../../src/core/fs.js');

const PRIVATE = [KEY_FILES.manifestPrivate, KEY_FILES.pdfP12, KEY_FILES.pdfPassphrase];
const PUBLIC = [KEY_FILES.manifestPublic, KEY_FILES.pdfCertificate];

describe('private key files are 0600 from their first byte', () => {
  let umask: number | undefined;
  afterEach(() => {
    if (umask !== undefined) process.umask(umask);
    umask = undefined;
  });

  it('creates every private file 0600 under umask 0, never wider at any moment, and no chmod', async () => {
    const keys = join(await mkdtemp(join(tmpdir(), 'auditpack-keymode-')), 'keys');
    seen.opens.length = 0;
    seen.renames.length = 0;
    seen.chmods.length = 0;
    umask = process.umask(0);
    await generateKeys(keys, { organisation: 'Mode Test' });
    process.umask(umask);
    umask = undefined;

    expect((await stat(keys)).mode & 0o777).toBe(0o700);
    for (const name of PRIVATE) {
      expect((await stat(join(keys, name))).mode & 0o777, name).toBe(0o600);
      const renamed = seen.renames.filter((r) => r.to === join(keys, name));
      expect(renamed, name).toHaveLength(1);
      expect(renamed[0]!.mode, `${name} before rename`).toBe(0o600);
      const opened = seen.opens.filter((o) => o.path === renamed[0]!.from);
      expect(opened, name).toHaveLength(1);
      // Created exclusively (a planted file or symlink is never reused) and already 0600 at creation.
      expect(opened[0]!.flags).toBe('wx');
      expect(opened[0]!.modeAtCreation, `${name} at creation`).toBe(0o600);
    }
    // The umask really was 0: files without a mode option come out world-readable, so the 0600 above is not the umask's doing.
    for (const name of PUBLIC) expect((await stat(join(keys, name))).mode & 0o777, name).toBe(0o666);
    expect(seen.chmods).toEqual([]);
  }, 60_000);

  it('writeFileAtomic creates its temporary file with the mode given, inside the target folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auditpack-atomic-'));
    seen.opens.length = 0;
    umask = process.umask(0);
    await writeFileAtomic(join(dir, 'secret'), 'x', { mode: 0o600 });
    await writeFileAtomic(join(dir, 'open'), 'x');
    const [secret, open] = seen.opens;
    expect(basename(secret!.path)).toMatch(/^secret\.\d+\.[0-9a-f]{12}\.tmp$/);
    expect(secret!.modeAtCreation).toBe(0o600);
    expect(open!.modeAtCreation).toBe(0o666);
  });
});
