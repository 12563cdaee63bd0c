import { inject } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { locateTemporalCli, locateTestServer, registerSearchAttributes } from '../../platform/temporal.js';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/contracts/search-attributes.js';
import type { Db } from '../../platform/database.js';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN') });
}

/**
 * The Java time-skipping test server (timers fire instantly when the test waits on a result). Uses the binary
 * from `npm run setup` or TEMPORAL_TEST_SERVER_PATH, else the SDK's download (needs internet).
 */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const path = locateTestServer();
  const env = await TestWorkflowEnvironment.createTimeSkipping(path ? { server: { executable: { type: 'existing-path', path } } } : {});
  await registerSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** A real Temporal CLI dev server with govflow's search attributes (Updates, visibility, schedules). */
export async function devServerEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  const cli = locateTemporalCli({ TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH });
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli.kind === 'path' ? { type: 'existing-path', path: cli.path } : { type: 'cached-download' },
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
    },
  });
}

/** A worker running the prebuilt test bundle and the real activities against the test database. */
export async function testWorker(env: TestWorkflowEnvironment, db: Db, taskQueue: string, overrides: Partial<WorkerOptions> = {}): Promise<Worker> {
  return Worker.create({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({ db }),
    ...overrides,
  });
}
