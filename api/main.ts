/** `npm run api`: the HTTP API alone, against DATABASE_URL and TEMPORAL_ADDRESS. */
import { Client } from '@temporalio/client';
import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { onShutdown, openDatabase, runMain } from '../platform/runtime.js';
import { connectTemporal, registerSearchAttributes } from '../platform/temporal.js';
import { startApi } from './server.js';

runMain(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, { process: 'api' });
  const { client: connection } = await connectTemporal(config);
  await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  const database = await openDatabase(config, log, { allowEmbedded: false });
  const api = await startApi(config, database.db, new Client({ connection, namespace: config.TEMPORAL_NAMESPACE }), log);
  onShutdown(log, async () => {
    await api.close();
    await database.close();
    await connection.close();
  });
});
