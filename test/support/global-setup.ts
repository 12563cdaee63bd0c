/**
 * Integration-test set-up, once per run: a fresh PostgreSQL database with the committed migrations applied, the
 * workflow bundle built once for every test worker, and the run's audit signing key.
 */
import { generateKeyPairSync } from 'node:crypto';
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
    /** PKCS#8 PEM (AUDIT_SIGNING_KEY) of the APIs on the run's database, as one deployment has one key. */
    auditSigningKey: string;
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
  project.provide('auditSigningKey', generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

  return async () => {
    await database.drop();
    rmSync(bundleDir, { recursive: true, force: true });
  };
}

const noop = () => {};
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => console.error(m) };
