/** `npm run worker`: one govflow worker. Run as many as the load needs, all on the same task queue. */
import { Client } from '@temporalio/client';
import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { onShutdown, openDatabase, runMain } from '../platform/runtime.js';
import { connectTemporal, registerSearchAttributes } from '../platform/temporal.js';
import { createWorker, installWorkerRuntime } from './worker.js';

runMain(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, { process: 'worker' });
  installWorkerRuntime(config, log);
  const temporal = await connectTemporal(config);
  await registerSearchAttributes(temporal.client, config.TEMPORAL_NAMESPACE);
  const database = await openDatabase(config, log, { allowEmbedded: false });
  // The client lets activities manage Temporal Schedules (CTO engagement reporting cadences).
  const client = new Client({ connection: temporal.client, namespace: config.TEMPORAL_NAMESPACE });
  const worker = await createWorker(config, await temporal.worker(), { db: database.db, notificationWebhookUrl: config.NOTIFICATION_WEBHOOK_URL, temporal: client });
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker running');
  // Shutdown lets running activities finish (shutdownGraceTime) before the connections close.
  const running = worker.run();
  let closed: Promise<void> | undefined;
  const closeAll = () =>
    (closed ??= (async () => {
      await database.close();
      await temporal.client.close();
    })());
  onShutdown(log, async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown(); // the SDK's own signal handler may have begun it
    await running;
    await closeAll();
  });
  await running;
  await closeAll();
});
