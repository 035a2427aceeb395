import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { main } from '../../src/cli/main.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';

const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI: `npm test` builds before it tests, and a test of the binary is a test of what ships. */
export const BIN = join(PACKAGE_ROOT, 'dist/src/cli/bin.js');

/**
 * Runs the real, built CLI in a child process (node, no transpiler: about 0.3 s a start instead of 2 s through tsx).
 * The child is killed after `timeout`, so an attack that hangs the CLI fails the test instead of hanging it.
 */
export async function cli(args: string[], env: Record<string, string> = {}, timeout = 60_000): Promise<CliResult> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env, CI: 'true' },
      cwd: PACKAGE_ROOT,
      maxBuffer: 64 * 1024 * 1024,
      timeout,
      killSignal: 'SIGKILL',
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number | string | null; signal?: string | null; stdout: string; stderr: string };
    if (e.signal) return { code: -1, stdout: e.stdout, stderr: `killed by ${e.signal} (timeout?)\n${e.stderr}` };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * Runs the CLI's main() in this process, capturing stdout and stderr: the same code path as the binary, fast enough
 * to run hundreds of times (the mutation test). Not re-entrant.
 */
export async function cliInProcess(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  const capture = (sink: string[]) => ((chunk: string | Uint8Array): boolean => {
    sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture(out);
  process.stderr.write = capture(err);
  process.exitCode = undefined;
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]] as const));
  Object.assign(process.env, env);
  try {
    const code = await main(['node', 'auditpack', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.exitCode = undefined;
  }
}

/** A clean refusal: the given exit code, exactly one line on stderr, no stack trace. */
export function expectRefusal(result: CliResult, code: number, pattern?: RegExp): void {
  expect(result.code, `${result.stderr}\n${result.stdout}`).toBe(code);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  if (pattern) expect(result.stderr).toMatch(pattern);
}
