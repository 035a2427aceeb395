import { availableParallelism } from 'node:os';
import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from '../../src/demo/moto.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** moto endpoint per worker, indexed by VITEST_POOL_ID - 1. */
    motoEndpoints: string[];
  }
}

let servers: Promise<MotoServer>[] = [];

/** How many workers vitest runs (VITEST_POOL_ID is 1..this): its own rule, as maxWorkers is unresolved here. */
function workerCount(project: TestProject): number {
  const cpus = availableParallelism();
  const configured = Number(project.config.maxWorkers || project.vitest.config.maxWorkers);
  if (configured > 0) return configured;
  return project.vitest.config.watch ? Math.max(Math.floor(cpus / 2), 1) : Math.max(cpus - 1, 1);
}

/**
 * Global setup (runs once, in the main process): one moto server per test worker, all on 127.0.0.1. Workers pick
 * theirs by VITEST_POOL_ID, and test/helpers/moto.ts resets it before every test file, so files stay independent
 * while nobody pays the ~2 s start-up of a moto server per file.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workers = workerCount(project);
  servers = Array.from({ length: workers }, () => startMoto());
  const started = await Promise.all(servers);
  project.provide('motoEndpoints', started.map((s) => s.endpoint));
  return async () => {
    await Promise.all(started.map((s) => s.stop()));
  };
}
