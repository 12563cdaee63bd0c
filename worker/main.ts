/** `npm run worker`: one govflow worker. Run as many as the load needs, all on the same task queue. */
import { Client } from '@temporalio/client';
import { adrGithubTarget, loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { onShutdown, openDatabase, runMain, withDeadline } from '../platform/runtime.js';
import { channelSettings } from '../activities/notification-channels.js';
import { connectTemporal, registerSearchAttributes } from '../platform/temporal.js';
import { createWorker, drainBudgetMs, drainWorker, installWorkerRuntime, runWorkerLoops } from './worker.js';

const CLOSE_MS = 5_000;

runMain(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, { process: 'worker' }, config.NODE_ENV);
  installWorkerRuntime(config, log);
  const temporal = await connectTemporal(config);
  await registerSearchAttributes(temporal.client, config.TEMPORAL_NAMESPACE);
  const database = await openDatabase(config, log, { allowEmbedded: false });
  // The client lets activities manage Temporal Schedules (CTO engagement reporting cadences).
  const client = new Client({ connection: temporal.client, namespace: config.TEMPORAL_NAMESPACE });
  const channels = channelSettings(config);
  const worker = await createWorker(config, await temporal.worker(), { db: database.db, channels, temporal: client, adrGithub: adrGithubTarget(config) });
  const loops = runWorkerLoops(database.db, config, channels, log);
  log.info({ taskQueue: config.TEMPORAL_TASK_QUEUE, namespace: config.TEMPORAL_NAMESPACE }, 'worker running');
  // Shutdown lets running activities finish (SHUTDOWN_GRACE_SECONDS) before the connections close.
  const running = worker.run();
  let closed: Promise<void> | undefined;
  const closeAll = () =>
    (closed ??= (async () => {
      await loops.stop();
      await database.close();
      await temporal.client.close();
    })());
  let stopping = false;
  onShutdown(
    log,
    async () => {
      stopping = true;
      await drainWorker(worker, running, log);
      await withDeadline('connections', closeAll(), CLOSE_MS, log);
    },
    drainBudgetMs(config) + CLOSE_MS + 1000,
  );
  // A drain cut short by the grace period rejects `running`: that is the shutdown's to report, not a crash.
  await running.catch((err: unknown) => {
    if (!stopping) throw err;
  });
  if (!stopping) await closeAll();
});
