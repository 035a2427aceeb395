import { execFileSync } from 'node:child_process';
import * as realFs from 'node:fs/promises';
import { mkdir, mkdtemp, rename, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * A hook into lstat, so a test can swap a file between the checks and the open, as an attacker racing the reader
 * would. Everything else is the real node:fs/promises.
 */
const hooks = vi.hoisted(() => ({ afterLstat: undefined as undefined | ((path: string) => Promise<void>) }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    lstat: async (...args: Parameters<typeof actual.lstat>) => {
      const stats = await actual.lstat(...args);
      const hook = hooks.afterLstat;
      if (hook) await hook(String(args[0]));
      return stats;
    },
  };
});

const { LIMITS, SafeFsError, readFileUnder, readInputFile, relativePathProblem, walkTree } = await import('../../../src/core/safe-fs.js');

const mkfifo = (path: string): void => void execFileSync('mkfifo', [path]);

async function refusal(promise: Promise<unknown>): Promise<InstanceType<typeof SafeFsError>> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SafeFsError);
  expect((err as Error).message.split('\n')).toHaveLength(1);
  return err as InstanceType<typeof SafeFsError>;
}

let root: string;
beforeEach(async () => {
  hooks.afterLstat = undefined;
  root = await mkdtemp(join(tmpdir(), 'auditpack-safefs-'));
  await mkdir(join(root, 'a', 'b'), { recursive: true });
  await writeFile(join(root, 'a', 'b', 'file.txt'), 'hello');
});

describe('relativePathProblem', () => {
  it.each([
    ['../../etc/passwd', /leaves its folder/],
    ['a/../../b', /leaves its folder/],
    ['/etc/passwd', /absolute/],
    ['C:/Windows/win.ini', /drive letter/],
    ['a\\..\\b', /backslash/],
    ['a\nb', /control character/],
    ['a//b', /empty or "\." segment/],
    ['./a', /empty or "\." segment/],
    ['', /empty/],
    ['x'.repeat(LIMITS.pathChars + 1), /longer than/],
    [Array(LIMITS.pathDepth + 1).fill('d').join('/'), /deeper/],
  ])('refuses %j', (path, problem) => {
    expect(relativePathProblem(path)).toMatch(problem);
  });

  it('accepts a plain relative path, and refuses what is not a string', () => {
    expect(relativePathProblem('attestations/manual-x/documents/0123-plan.pdf')).toBeUndefined();
    expect(relativePathProblem(42)).toBe('is not a string');
  });
});

describe('readFileUnder', () => {
  it('reads a regular file under the root', async () => {
    expect((await readFileUnder(root, 'a/b/file.txt', 100)).toString()).toBe('hello');
  });

  it('refuses a symlink in a middle component, even one that stays inside the root', async () => {
    await symlink(join(root, 'a'), join(root, 'link'));
    const err = await refusal(readFileUnder(root, 'link/b/file.txt', 100));
    expect(err.problem).toBe('symlink');
    expect(err.message).toMatch(/goes through a symbolic link/);
  });

  it('refuses a symlink as the last component (to /etc/passwd)', async () => {
    await symlink('/etc/passwd', join(root, 'a', 'passwd'));
    expect((await refusal(readFileUnder(root, 'a/passwd', 1e6))).problem).toBe('symlink');
  });

  it('refuses /dev/zero reached through a symlink, without reading it', async () => {
    await symlink('/dev/zero', join(root, 'zero'));
    expect((await refusal(readFileUnder(root, 'zero', 1e6))).problem).toBe('symlink');
  });

  it('refuses a FIFO without blocking on it', { timeout: 5_000 }, async () => {
    mkfifo(join(root, 'a', 'fifo'));
    const err = await refusal(readFileUnder(root, 'a/fifo', 100));
    expect(err.problem).toBe('not-regular');
    expect(err.message).toMatch(/is a FIFO, not a regular file/);
  });

  it('refuses a directory, a missing file and a path that leaves the root', async () => {
    expect((await refusal(readFileUnder(root, 'a/b', 100))).problem).toBe('not-regular');
    expect((await refusal(readFileUnder(root, 'a/nope', 100))).problem).toBe('missing');
    expect((await refusal(readFileUnder(root, '../etc/passwd', 100))).problem).toBe('invalid-path');
    expect((await refusal(readFileUnder(root, '/etc/passwd', 100))).problem).toBe('invalid-path');
  });

  it('refuses a file over the size limit', async () => {
    await writeFile(join(root, 'big'), Buffer.alloc(1001));
    const err = await refusal(readFileUnder(root, 'big', 1000));
    expect(err.problem).toBe('too-large');
    expect(err.message).toMatch(/1001 bytes, more than the limit of 1000/);
  });

  it('refuses a file replaced by another between the check and the open (inode changed)', async () => {
    const target = join(root, 'a', 'b', 'file.txt');
    await writeFile(join(root, 'evil'), 'hello'); // same size: only the inode tells them apart
    hooks.afterLstat = async (path) => {
      if (path !== target) return;
      hooks.afterLstat = undefined;
      await rename(join(root, 'evil'), target);
    };
    const err = await refusal(readFileUnder(root, 'a/b/file.txt', 100));
    expect(hooks.afterLstat).toBeUndefined(); // the swap did happen
    expect(err.message).toMatch(/was replaced while being opened/);
  });

  it('refuses a file replaced by a FIFO after the check, without blocking', { timeout: 5_000 }, async () => {
    const target = join(root, 'a', 'b', 'file.txt');
    mkfifo(join(root, 'fifo'));
    hooks.afterLstat = async (path) => {
      if (path !== target) return;
      hooks.afterLstat = undefined;
      await rename(join(root, 'fifo'), target);
    };
    expect((await refusal(readFileUnder(root, 'a/b/file.txt', 100))).message).toMatch(/was replaced while being opened/);
  });

  it('refuses a file replaced by a symlink after the check (O_NOFOLLOW)', async () => {
    const target = join(root, 'a', 'b', 'file.txt');
    await symlink('/etc/passwd', join(root, 'link'));
    hooks.afterLstat = async (path) => {
      if (path !== target) return;
      hooks.afterLstat = undefined;
      await rename(join(root, 'link'), target);
    };
    expect((await refusal(readFileUnder(root, 'a/b/file.txt', 1e6))).problem).toBe('symlink');
  });

  it('keeps the error on one line when a name holds a newline', async () => {
    await symlink('/etc/passwd', join(root, 'a', 'x\ny'));
    const err = await refusal(readFileUnder(root, 'a/x\ny', 1e6));
    expect(err.problem).toBe('invalid-path');
    expect(err.message).toContain('\\x0a');
  });
});

describe('readInputFile', () => {
  it('reads a regular file, following a symlink the user chose', async () => {
    await symlink(join(root, 'a', 'b', 'file.txt'), join(root, 'chosen'));
    expect((await readInputFile(join(root, 'chosen'), 100)).toString()).toBe('hello');
  });

  it('refuses a FIFO without blocking on it', { timeout: 5_000 }, async () => {
    mkfifo(join(root, 'fifo'));
    expect((await refusal(readInputFile(join(root, 'fifo'), 100))).message).toMatch(/is a FIFO, not a regular file/);
  });

  it('refuses a device, direct or through a symlink, without opening it', async () => {
    const opened = vi.spyOn(realFs, 'open');
    expect((await refusal(readInputFile('/dev/zero', 100))).message).toMatch(/\/dev\/zero: is a device/);
    await symlink('/dev/zero', join(root, 'zero'));
    expect((await refusal(readInputFile(join(root, 'zero'), 100))).message).toMatch(/is a device/);
    expect(opened).not.toHaveBeenCalled();
    // The spy does see opens: a regular file is opened exactly once.
    await readInputFile(join(root, 'a', 'b', 'file.txt'), 100);
    expect(opened).toHaveBeenCalledTimes(1);
    opened.mockRestore();
  });

  it('refuses a directory, a missing file and an oversized one', async () => {
    expect((await refusal(readInputFile(root, 100))).problem).toBe('not-regular');
    expect((await refusal(readInputFile(join(root, 'nope'), 100))).problem).toBe('missing');
    await writeFile(join(root, 'big'), Buffer.alloc(101));
    expect((await refusal(readInputFile(join(root, 'big'), 100))).problem).toBe('too-large');
  });
});

describe('walkTree', () => {
  it('lists symlinks, FIFOs and sockets as such, never following or skipping them', async () => {
    await symlink('/etc', join(root, 'a', 'etc'));
    await symlink('/dev/zero', join(root, 'zero'));
    mkfifo(join(root, 'a', 'fifo'));
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(root, 'sock'), resolve));
    try {
      const entries = await walkTree(root);
      expect(entries).toEqual([
        { path: 'a/b/file.txt', kind: 'file', detail: 'regular file' },
        { path: 'a/etc', kind: 'symlink', detail: 'symbolic link' },
        { path: 'a/fifo', kind: 'special', detail: 'FIFO' },
        { path: 'sock', kind: 'special', detail: 'socket' },
        { path: 'zero', kind: 'symlink', detail: 'symbolic link' },
      ]);
    } finally {
      server.close();
    }
  });
});
