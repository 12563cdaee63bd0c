/**
 * `npm start`: the whole system on its embedded defaults, in one process tree: the Temporal dev server (unless
 * TEMPORAL_ADDRESS is set), the database (PGlite under DATA_DIR unless DATABASE_URL is set), a worker and the API.
 * One Ctrl-C stops the API, lets the worker finish what it is doing (for at most SHUTDOWN_GRACE_SECONDS), then stops
 * the database and Temporal, in bounded time, saying what it left in flight.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { startApi } from '../api/server.js';
import { adrGithubTarget, loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/logger.js';
import { issueToken, newToken } from '../platform/principals.js';
import { onShutdown, openDatabase, runMain, withDeadline } from '../platform/runtime.js';
import { connectTemporal, registerSearchAttributes, startDevServer, type DevServer } from '../platform/temporal.js';
import { createWorker, drainBudgetMs, drainWorker, installWorkerRuntime, runWorkerLoops } from '../worker/worker.js';
import { issueLoginLink } from '../web/sessions.js';
import { channelSettings } from '../activities/notification-channels.js';

/** Bounds for shutdown steps that should take moments (closing connections, stopping the dev server). */
const STEP_MS = 5_000;
const DEV_STOP_MS = 12_000;

runMain(async () => {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, { process: 'govflow' }, config.NODE_ENV);
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
    const channels = channelSettings(config);
    const worker = await createWorker(config, await temporal.worker(), { db: database.db, channels, temporal: client, adrGithub: adrGithubTarget(config) });
    // The audit log's sealer and the notification outbox, as every worker runs them.
    const loops = runWorkerLoops(database.db, config, channels, log);
    const running = worker.run();
    const api = await startApi(config, database.db, client, log);

    log.info(
      { api: api.url, temporalUi: dev?.uiUrl ?? '(your cluster)', adminTokenFile: config.GOVFLOW_BOOTSTRAP_TOKEN ? '(GOVFLOW_BOOTSTRAP_TOKEN)' : tokenFile },
      'govflow is up: press Ctrl-C to stop',
    );
    // A newcomer is in at once: the admin's one-time sign-in link (others: `npm run govflow -- login-link <id>`).
    const link = await issueLoginLink(database.db, 'admin', 'govflow');
    process.stdout.write(`\n  Open the web app: ${api.url}/app/\n  Sign in as admin (once, within 15 minutes): ${api.url}${link.path}\n  Links for others: npm run govflow -- login-link <principal id>\n\n`);

    // Each step is bounded: requests in flight, the worker's drain (SHUTDOWN_GRACE_SECONDS), the database, the dev server.
    const apiMs = Math.min(config.SHUTDOWN_GRACE_SECONDS, 5) * 1000;
    let stopping = false;
    onShutdown(
      log,
      async () => {
        stopping = true;
        const steps = [await withDeadline('API requests in flight', api.close(), apiMs, log)];
        api.server.closeAllConnections();
        steps.push(await drainWorker(worker, running, log));
        steps.push(await withDeadline('audit sealer and notification dispatcher', loops.stop(), STEP_MS, log));
        steps.push(await withDeadline('database', database.close(), STEP_MS, log));
        steps.push(await withDeadline('Temporal connection', temporal.client.close(), STEP_MS, log));
        await stopDev(); // SIGTERM, then SIGKILL after 10 s
        log.info(steps.every(Boolean) ? 'stopped cleanly' : 'stopped, leaving in flight what is logged above (Temporal retries it on the next start)');
      },
      apiMs + drainBudgetMs(config) + 3 * STEP_MS + DEV_STOP_MS,
    );
    // A drain cut short by the grace period rejects `running`: that is the shutdown's to report, not a crash.
    await running.catch((err: unknown) => {
      if (!stopping) throw err;
    });
  } catch (err) {
    await stopDev();
    throw err;
  }
});
