/**
 * Integration-test set-up, once per run: a fresh PostgreSQL database with the committed migrations applied,
 * and the workflow bundle built once for every test worker.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../worker/worker.js';
import { createScratchDatabase } from './db.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const database = await createScratchDatabase('govflow_test');
  const bundleDir = mkdtempSync(path.join(os.tmpdir(), 'govflow-bundle-'));
  const bundlePath = path.join(bundleDir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  writeFileSync(bundlePath, code);

  project.provide('databaseUrl', database.url);
  project.provide('workflowBundlePath', bundlePath);

  return async () => {
    await database.drop();
    rmSync(bundleDir, { recursive: true, force: true });
  };
}

const noop = () => {};
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => console.error(m) };
