/**
 * `npm start`: the whole system on its embedded defaults, in one process tree: the Temporal dev server (unless
 * TEMPORAL_ADDRESS is set), the database (PGlite under DATA_DIR unless DATABASE_URL is set), a worker and the API.
 * One Ctrl-C stops the API, lets the worker finish what it is doing, then stops the database and Temporal.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { startApi } from '../api/server.js';
import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { issueToken, newToken } from '../platform/principals.js';
import { onShutdown, openDatabase, runMain } from '../platform/runtime.js';
import { connectTemporal, registerSearchAttributes, startDevServer, type DevServer } from '../platform/temporal.js';
import { createWorker, installWorkerRuntime } from '../worker/worker.js';
import { issueLoginLink } from '../web/sessions.js';

runMain(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, { process: 'govflow' });
  installWorkerRuntime(config, log);

  let dev: DevServer | undefined;
  if (!config.TEMPORAL_ADDRESS) dev = await startDevServer(config, (msg) => log.info(msg));
  const stopDev = async () => dev?.stop();
  try {
    const temporal = await connectTemporal(config);
    if (config.TEMPORAL_ADDRESS) await registerSearchAttributes(temporal.client, config.TEMPORAL_NAMESPACE);
    const database = await openDatabase(config, log, { allowEmbedded: true });

    // A local administrator token, so the API is usable at once (kept in DATA_DIR, readable only by you).
    const tokenFile = path.resolve(config.DATA_DIR, 'admin-token');
    const adminToken = config.GOVFLOW_BOOTSTRAP_TOKEN ?? (existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : newToken());
    mkdirSync(path.dirname(tokenFile), { recursive: true });
    if (!config.GOVFLOW_BOOTSTRAP_TOKEN) writeFileSync(tokenFile, `${adminToken}\n`, { mode: 0o600 });
    await issueToken(database.db, { id: 'admin', name: 'Local administrator', roles: ['admin'] }, 'local-admin', adminToken);

    const client = new Client({ connection: temporal.client, namespace: config.TEMPORAL_NAMESPACE });
    const worker = await createWorker(config, await temporal.worker(), { db: database.db, notificationWebhookUrl: config.NOTIFICATION_WEBHOOK_URL, temporal: client });
    const running = worker.run();
    const api = await startApi(config, database.db, client, log);

    log.info(
      { api: api.url, temporalUi: dev?.uiUrl ?? '(your cluster)', adminTokenFile: config.GOVFLOW_BOOTSTRAP_TOKEN ? '(GOVFLOW_BOOTSTRAP_TOKEN)' : tokenFile },
      'govflow is up: press Ctrl-C to stop',
    );
    // A newcomer is in at once: the admin's one-time sign-in link (others: `npm run govflow -- login-link <id>`).
    const link = await issueLoginLink(database.db, 'admin', 'govflow');
    process.stdout.write(`\n  Open the web app: ${api.url}/app/\n  Sign in as admin (once, within 15 minutes): ${api.url}${link.path}\n  Links for others: npm run govflow -- login-link <principal id>\n\n`);

    onShutdown(log, async () => {
      await api.close();
      // The SDK's own signal handler may already have begun the shutdown.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await database.close();
      await temporal.client.close();
      await stopDev();
      log.info('stopped cleanly');
    });
    await running;
  } catch (err) {
    await stopDev();
    throw err;
  }
});
