import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { UserError } from '../core/errors.js';

export interface MotoServer {
  endpoint: string;
  port: number;
  /** Forget every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface MotoOptions {
  /** Extra environment for the server, e.g. INITIAL_NO_AUTH_ACTION_COUNT to enforce IAM. */
  env?: Record<string, string>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Fails with a one-line, actionable message when python3 or moto is missing. */
export function assertMotoInstalled(): void {
  const probe = spawnSync('python3', ['-c', 'import moto.server, sys; print(moto.__version__)'], { encoding: 'utf8' });
  if (probe.error) throw new UserError('python3 not found: install Python 3 and then `pip install "moto[server]"`');
  if (probe.status !== 0) throw new UserError('moto server is not installed: run `pip install "moto[server]"` (python3 -m moto.server must work)');
}

async function waitReady(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto server exited early (code ${child.exitCode}): ${stderr().slice(-500)}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`moto server did not answer on ${endpoint} within 30 s`);
}

/** Starts `python3 -m moto.server` on a free 127.0.0.1 port and waits until it answers. */
export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  assertMotoInstalled();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  await waitReady(endpoint, child, () => err);
  return {
    endpoint,
    port,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** A secret no real AWS account has: tests search evidence for it to prove credentials are never written. */
export const DUMMY_SECRET = 'moto-dummy-secret-key-not-a-real-credential';

/** Dummy credentials for moto: never real ones, and the account comes from the role ARN when assumed. */
export function motoEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: DUMMY_SECRET,
    AWS_SESSION_TOKEN: 'moto-dummy-session-token',
    AWS_REGION: 'us-east-1',
  };
}
