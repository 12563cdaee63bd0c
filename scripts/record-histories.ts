/**
 * Records the replay scenarios (test/histories/scenarios.ts) on the time-skipping test server and writes each
 * workflow history to test/histories/<name>.json. Uses the machine's PostgreSQL for the activities.
 *   npx tsx scripts/record-histories.ts [name-filter]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { createDb } from '../platform/database.js';
import { locateTestServer, registerSearchAttributes } from '../platform/temporal.js';
import { scenarios } from '../test/histories/scenarios.js';
import { createScratchDatabase } from '../test/support/db.js';
import { defaultPolicy } from '../test/support/policy.js';
import { WORKFLOWS_PATH } from '../worker/worker.js';

const filter = process.argv[2] ?? '';
const scratch = await createScratchDatabase('govflow_record');
const db = createDb(scratch.url, 4);
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
  await scratch.drop();
}
