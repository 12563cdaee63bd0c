/**
 * Records the replay scenarios (test/histories/scenarios.ts) on the time-skipping test server and writes each
 * workflow history to test/histories/<name>.json. Uses the machine's PostgreSQL for the activities.
 *   npx tsx scripts/record-histories.ts [name-filter]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { createDb } from '../platform/database.js';
import { applyMigrations } from '../platform/migrations.js';
import { locateTestServer, registerSearchAttributes } from '../platform/temporal.js';
import { scenarios } from '../test/histories/scenarios.js';
import { defaultPolicy } from '../test/support/policy.js';
import { WORKFLOWS_PATH } from '../worker/worker.js';

const filter = process.argv[2] ?? '';
const serverUrl = new URL(process.env.TEST_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
const dbName = `govflow_record_${Date.now()}`;
const admin = new pg.Client({ connectionString: serverUrl.toString() });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(serverUrl);
dbUrl.pathname = `/${dbName}`;
await applyMigrations(dbUrl.toString());
const db = createDb(dbUrl.toString(), 4);
const serverPath = locateTestServer();
const env = await TestWorkflowEnvironment.createTimeSkipping(serverPath ? { server: { executable: { type: 'existing-path', path: serverPath } } } : {});
await registerSearchAttributes(env.connection, 'default');
try {
  const policy = await defaultPolicy();
  const taskQueue = `record-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: WORKFLOWS_PATH, activities: createActivities({ db }) });
  await worker.runUntil(async () => {
    for (const scenario of scenarios.filter((s) => s.name.includes(filter))) {
      const workflowId = await scenario.run(env, taskQueue, policy);
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      const file = path.resolve('test/histories', `${scenario.name}.json`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
      console.log(`recorded ${path.relative(process.cwd(), file)} (${history.events?.length ?? 0} events)`);
    }
  });
} finally {
  await db.$disconnect();
  await env.teardown();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
