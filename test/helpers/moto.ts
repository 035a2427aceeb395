import { afterAll, beforeAll, inject } from 'vitest';
import { motoEnv } from '../../src/demo/moto.js';

export interface SharedMoto {
  /** The worker's moto endpoint (http://127.0.0.1:port); valid inside hooks and tests. */
  readonly endpoint: string;
  /** The dummy-credential environment for it (also set on process.env for the file's duration). */
  readonly env: Record<string, string>;
}

/** This worker's moto server, started once by test/setup/moto-servers.ts (vitest globalSetup). */
export function workerMotoEndpoint(): string {
  const endpoints = inject('motoEndpoints');
  const pool = Number(process.env.VITEST_POOL_ID ?? '1');
  // Never share: two workers on one server would reset each other's estate mid-file.
  const endpoint = endpoints?.[pool - 1];
  if (!endpoint) throw new Error(`no moto server for worker ${pool} (${endpoints?.length ?? 0} started by test/setup/moto-servers.ts, the vitest globalSetup)`);
  return endpoint;
}

async function post(url: string, body?: string): Promise<void> {
  const res = await fetch(url, { method: 'POST', ...(body === undefined ? {} : { body }) });
  if (!res.ok) throw new Error(`POST ${url} failed: HTTP ${res.status}`);
}

/**
 * From now on moto enforces IAM after `unauthenticatedActions` more requests (moto's INITIAL_NO_AUTH_ACTION_COUNT,
 * set at run time): 0 rejects every unknown access key at once; Infinity turns enforcement off again.
 */
export async function enforceMotoAuth(endpoint: string, unauthenticatedActions: number): Promise<void> {
  await post(`${endpoint}/moto-api/reset-auth`, Number.isFinite(unauthenticatedActions) ? String(unauthenticatedActions) : 'inf');
}

/** Forgets every resource in the moto server (accounts, organisations, IAM, ...) and turns IAM enforcement off. */
export async function resetMoto(endpoint: string): Promise<void> {
  await post(`${endpoint}/moto-api/reset`);
  await enforceMotoAuth(endpoint, Infinity);
}

/**
 * Use the worker's shared moto server in this test file: before the file's own beforeAll hooks it resets moto to
 * an empty estate and points the AWS SDK at it with dummy credentials; after the file it restores process.env.
 * Call it at the top level of the file, before registering other hooks.
 */
export function useMoto(): SharedMoto {
  let endpoint: string | undefined;
  let env: Record<string, string> | undefined;
  let saved: NodeJS.ProcessEnv | undefined;
  beforeAll(async () => {
    endpoint = workerMotoEndpoint();
    await resetMoto(endpoint);
    env = motoEnv(endpoint);
    saved = { ...process.env };
    Object.assign(process.env, env);
  });
  afterAll(() => {
    if (saved) process.env = saved;
  });
  return {
    get endpoint() {
      if (!endpoint) throw new Error('useMoto(): the endpoint is known once the beforeAll hooks run');
      return endpoint;
    },
    get env() {
      if (!env) throw new Error('useMoto(): the environment is known once the beforeAll hooks run');
      return env;
    },
  };
}
