import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Temporal's native core-bridge module does not survive worker_threads: each file gets its own process.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // Creates a fresh PostgreSQL database for the run, applies migrations, locates the Temporal binaries.
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
