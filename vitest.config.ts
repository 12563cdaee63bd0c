import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native core-bridge module does not survive worker_threads: each file gets its own process.
    pool: 'forks',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
});
