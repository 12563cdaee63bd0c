import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Db } from '../../platform/database.js';
import { createActivities } from '../../activities/index.js';
import { startTestApi, type TestApi } from './api.js';
import { testDb } from './db.js';
import type { PolicySet } from '../../domain/policy/types.js';
import { defaultPolicy } from './policy.js';
import { devServerEnv, testWorker, timeSkippingEnv } from './temporal.js';

export interface ApiStack {
  env: TestWorkflowEnvironment;
  db: Db;
  api: TestApi;
  taskQueue: string;
}

/**
 * The whole stack for an API test file: a Temporal dev server, a worker on the test bundle, the test database
 * and the real API on port 0; started before the file's tests and stopped after them. Read the fields inside
 * tests (they are set by the time tests run). `apiEnv` adds configuration, read when the API starts (after the
 * file's earlier `beforeAll` hooks, e.g. one that starts an identity provider).
 */
export function useApiStack(name: string, apiEnv: () => Record<string, string> = () => ({}), opts: { schedules?: boolean } = {}): ApiStack {
  const stack = { taskQueue: `${name}-${randomUUID()}` } as ApiStack;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    stack.env = await devServerEnv();
    stack.db = testDb();
    // With `schedules`, the worker gets a client to manage Temporal Schedules (which the dev server runs).
    worker = await testWorker(stack.env, stack.db, stack.taskQueue, opts.schedules ? { activities: createActivities({ db: stack.db, temporal: stack.env.client }) } : {});
    running = worker.run();
    stack.api = await startTestApi(stack.env, stack.db, stack.taskQueue, apiEnv());
  });
  afterAll(async () => {
    await stack.api?.close();
    worker?.shutdown();
    await running;
    await stack.db?.$disconnect();
    await stack.env?.teardown();
  });
  return stack;
}

export interface WorkflowStack {
  env: TestWorkflowEnvironment;
  db: Db;
  policySet: PolicySet;
  taskQueue: string;
}

/**
 * For a workflow test file: the time-skipping test server, a worker on the test bundle with the real activities
 * against the test database, and the default policy set; started before the file's tests, stopped after them.
 */
export function useWorkflowStack(name: string): WorkflowStack {
  const stack = { taskQueue: `${name}-${randomUUID()}` } as WorkflowStack;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    [stack.env, stack.policySet] = await Promise.all([timeSkippingEnv(), defaultPolicy()]);
    stack.db = testDb();
    worker = await testWorker(stack.env, stack.db, stack.taskQueue);
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await stack.db?.$disconnect();
    await stack.env?.teardown();
  });
  return stack;
}
