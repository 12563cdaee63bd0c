/**
 * Integration-test set-up, once per run: a fresh PostgreSQL database with the committed migrations applied,
 * and the workflow bundle built once for every test worker.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { bundleWorkflowCode } from '@temporalio/worker';
import { applyMigrations } from '../../platform/migrations.js';
import { WORKFLOWS_PATH } from '../../worker/worker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = new URL(process.env.TEST_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  const name = `govflow_test_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl.toString(), connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(
      `Integration tests need PostgreSQL at ${serverUrl.host} (${(err as Error).message}). ` +
        'Start it, or set TEST_DATABASE_SERVER_URL to a server where the user may create databases.',
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${name}`;
  await applyMigrations(dbUrl.toString());

  const bundleDir = mkdtempSync(path.join(os.tmpdir(), 'govflow-bundle-'));
  const bundlePath = path.join(bundleDir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  writeFileSync(bundlePath, code);

  project.provide('databaseUrl', dbUrl.toString());
  project.provide('workflowBundlePath', bundlePath);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
    rmSync(bundleDir, { recursive: true, force: true });
  };
}

const noop = () => {};
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => console.error(m) };
