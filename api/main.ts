/** `npm run api`: the HTTP API alone, against DATABASE_URL and TEMPORAL_ADDRESS. */
import { Client } from '@temporalio/client';
import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { onShutdown, openDatabase, runMain, withDeadline } from '../platform/runtime.js';
import { connectTemporal, registerSearchAttributes } from '../platform/temporal.js';
import { startApi } from './server.js';

const CLOSE_MS = 5_000;

runMain(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, { process: 'api' }, config.NODE_ENV);
  const { client: connection } = await connectTemporal(config);
  await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  const database = await openDatabase(config, log, { allowEmbedded: false });
  const api = await startApi(config, database.db, new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }), log);
  // Requests in flight get the grace period, then their connections are closed.
  const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000;
  onShutdown(
    log,
    async () => {
      await withDeadline('requests in flight', api.close(), graceMs, log);
      api.server.closeAllConnections();
      await withDeadline('connections', Promise.all([database.close(), connection.close()]), CLOSE_MS, log);
    },
    graceMs + CLOSE_MS + 1000,
  );
});
