import { defineConfig } from 'vitest/config';

/** Test files that replace modules (vi.mock) or spy on shared objects: they need a fresh module graph per file. */
const ISOLATED = ['test/unit/cli/main-errors.test.ts', 'test/unit/core/safe-fs.test.ts', 'test/unit/sign/keys-mode.test.ts', 'test/unit/diff/cli.test.ts', 'test/integration/securityhub.test.ts'];
const ALL = ['test/**/*.test.ts', 'src/**/*.test.ts', 'collectors/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two workers on a 2-core machine: most test time is spent waiting on moto (its own process) and on the
    // built CLI, so two files in flight keep both cores busy (vitest's default here would be one).
    maxWorkers: 2,
    // One moto server per worker, started once; test/helpers/moto.ts resets it before each file that uses it.
    globalSetup: ['test/setup/moto-servers.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      // Most files share their worker's module cache: the AWS SDK, CEL and the catalog load once per worker, not
      // once per file (that import time was a quarter of the suite). Files reset what they change (useMoto).
      { extends: true, test: { name: 'shared', include: ALL, exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
    ],
  },
});
