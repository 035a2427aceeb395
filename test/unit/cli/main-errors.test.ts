import type { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../../src/core/errors.js';

/** A command that fails the way the test says: stands in for `policy`, so main() meets a real thrown error. */
const failure = vi.hoisted(() => ({ error: undefined as unknown }));
vi.mock('../../../src/cli/commands/policy.js', () => ({
  registerPolicyCommand: (program: Command) =>
    program.command('policy').action(() => {
      throw failure.error;
    }),
}));

const { main, oneLine } = await import('../../../src/cli/main.js');

async function runFailing(error: unknown, env: Record<string, string | undefined> = {}): Promise<{ code: number; stderr: string }> {
  failure.error = error;
  const saved = { ...process.env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(['node', 'auditpack', 'policy']), stderr };
  } finally {
    spy.mockRestore();
    process.env = saved;
  }
}

describe('main: one-line errors', () => {
  afterEach(() => {
    failure.error = undefined;
  });

  it('prints an internal error as one line, no stack, exit 70', async () => {
    const { code, stderr } = await runFailing(new TypeError('cannot read x\nof undefined'), { AUDITPACK_DEBUG: undefined });
    expect(code).toBe(70);
    expect(stderr).toBe('auditpack: internal error: cannot read x of undefined (fix: report this bug; set AUDITPACK_DEBUG=1 for a stack trace)\n');
  });

  it('prints the stack only with AUDITPACK_DEBUG=1', async () => {
    const { code, stderr } = await runFailing(new Error('boom'), { AUDITPACK_DEBUG: '1' });
    expect(code).toBe(70);
    expect(stderr.split('\n')[0]).toBe('auditpack: internal error: boom (fix: report this bug; set AUDITPACK_DEBUG=1 for a stack trace)');
    expect(stderr).toMatch(/\n\s+at /);
  });

  it('collapses a user error holding newlines and terminal escapes to one line, with its exit code', async () => {
    const { code, stderr } = await runFailing(new UserError('a/x\ny.yaml: field "z": \u001b[2Jbad\r\n  (fix: f)', 4));
    expect(code).toBe(4);
    expect(stderr).toBe('auditpack: a/x y.yaml: field "z": ?[2Jbad (fix: f)\n');
  });

  it('prints a thrown non-Error as one line', async () => {
    const { code, stderr } = await runFailing('just a string');
    expect(code).toBe(70);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('oneLine keeps ordinary text as it is', () => {
    expect(oneLine('a: b (fix: c)')).toBe('a: b (fix: c)');
    expect(oneLine('tab\there')).toBe('tab here');
  });
});
