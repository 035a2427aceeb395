import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What one auditpack process cost, measured from inside it (usage-probe) and from outside (wall time). */
export interface ProcessCost {
  code: number | null;
  /** performance.now() when the child was started. */
  startedAt: number;
  wallMs: number;
  /** user + system CPU time of the process, all threads, ms. */
  cpuMs: number;
  /** Peak resident set size, MiB. */
  maxRssMiB: number;
  stdoutTail: string;
  stderrTail: string;
}

/**
 * The built CLI (dist/src/cli/bin.js) next to the built bench; from the sources (tsx) the CLI's .ts entry point
 * through tsx's loader, so `npx tsx bench/scale.ts` works while dist/ is being rebuilt.
 */
function command(): { node: string[]; bin: string } {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const builtProbe = join(here, 'usage-probe.js');
  if (existsSync(builtProbe)) return { node: ['--import', builtProbe], bin: join(here, '..', '..', 'src', 'cli', 'bin.js') };
  return { node: ['--import', 'tsx', '--import', join(here, 'usage-probe.ts')], bin: join(here, '..', '..', 'src', 'cli', 'bin.ts') };
}

const tail = (text: string) => text.slice(-4000);

/** Runs `auditpack <args>` as a child process with `env` added, and measures it. Never throws on a non-zero exit. */
export async function runAuditpack(args: string[], env: Record<string, string>, timeoutMs: number): Promise<ProcessCost> {
  const { node, bin } = command();
  const dir = await mkdtemp(join(tmpdir(), 'auditpack-usage-'));
  const usageFile = join(dir, 'usage.json');
  try {
    const started = performance.now();
    const child = spawn(process.execPath, [...node, bin, ...args], {
      env: { ...process.env, ...env, AUDITPACK_BENCH_USAGE_FILE: usageFile, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout = tail(stdout + d.toString())));
    child.stderr.on('data', (d: Buffer) => (stderr = tail(stderr + d.toString())));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (c) => resolve(c));
    }).finally(() => clearTimeout(timer));
    const wallMs = performance.now() - started;
    const usage = JSON.parse(await readFile(usageFile, 'utf8').catch(() => '{}')) as Partial<NodeJS.ResourceUsage>;
    return {
      code,
      startedAt: started,
      wallMs,
      cpuMs: ((usage.userCPUTime ?? NaN) + (usage.systemCPUTime ?? NaN)) / 1000,
      maxRssMiB: (usage.maxRSS ?? NaN) / 1024,
      stdoutTail: stdout,
      stderrTail: stderr,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
