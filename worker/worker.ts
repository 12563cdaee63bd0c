import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, Runtime, Worker, type LogLevel, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import type { ChannelSettings } from '../activities/notification-channels.js';
import { runDispatcher } from '../activities/notifications.js';
import { runSealer } from '../activities/transparency-log.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/database.js';
import { SigningKeys } from '../platform/signing-keys.js';
import type { Logger } from '../platform/logger.js';

// workflows/index.ts from source (tsx), dist/workflows/index.js compiled: the same extension as this file.
export const WORKFLOWS_PATH = fileURLToPath(new URL(`../workflows/index${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/**
 * Builds the govflow worker. In production it loads the prebuilt workflow bundle (`npm run build:workflows`),
 * so start-up does no bundling; elsewhere it bundles the workflows from source.
 */
export async function createWorker(
  config: Config,
  connection: NativeConnection,
  deps: ActivityDeps,
  overrides: Partial<WorkerOptions> = {},
): Promise<Worker> {
  const bundlePath = path.resolve(config.WORKFLOW_BUNDLE_PATH);
  const useBundle = config.NODE_ENV === 'production';
  if (useBundle && !existsSync(bundlePath)) {
    throw new Error(`NODE_ENV=production needs the prebuilt workflow bundle at ${bundlePath}: run \`npm run build:workflows\` first.`);
  }
  return Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    activities: createActivities(deps),
    ...(useBundle ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: WORKFLOWS_PATH }),
    // Activities get the grace period to finish, then are cancelled; a worker still busy a moment later (a workflow task
    // that does not end) is abandoned, so a shutdown never hangs. Temporal hands whatever was left to another worker.
    shutdownGraceTime: `${config.SHUTDOWN_GRACE_SECONDS} seconds`,
    shutdownForceTime: `${config.SHUTDOWN_GRACE_SECONDS + SHUTDOWN_CANCEL_SECONDS} seconds`,
    ...overrides,
  });
}

/** How long cancelled activities get to confirm, after the grace period. */
const SHUTDOWN_CANCEL_SECONDS = 2;

/** The longest a drain takes (grace period and cancellation), for callers that bound the whole shutdown. */
export const drainBudgetMs = (config: Config) => (config.SHUTDOWN_GRACE_SECONDS + SHUTDOWN_CANCEL_SECONDS) * 1000;

/** Stops a running worker within its grace period (SHUTDOWN_GRACE_SECONDS) and says what it left in flight; true if nothing. */
export async function drainWorker(worker: Worker, running: Promise<void>, log: Logger): Promise<boolean> {
  const inFlight = () => {
    const s = worker.getStatus();
    return { activities: s.numInFlightNonLocalActivities, localActivities: s.numInFlightLocalActivities, workflowTasks: s.numInFlightWorkflowActivations };
  };
  // The SDK's own signal handler may already have begun the shutdown.
  if (worker.getState() === 'RUNNING') {
    log.info(inFlight(), 'draining the worker');
    worker.shutdown();
  }
  try {
    await running;
    return true;
  } catch (err) {
    // Past the grace period the SDK abandons what is still running (GracefulShutdownPeriodExpiredError, or an
    // IllegalStateError for a workflow task it could not dispose of): the server times those tasks out and retries them.
    log.warn({ ...inFlight(), err }, 'grace period over: left in flight (Temporal retries it on another worker)');
    return false;
  }
}

const SDK_LEVEL: Record<string, LogLevel> = { trace: 'TRACE', debug: 'DEBUG', info: 'INFO', warn: 'WARN', error: 'ERROR', fatal: 'ERROR', silent: 'ERROR' };

/**
 * Installs the SDK runtime before any connection is made: its log lines (which carry workflow and activity IDs)
 * go to the process's JSON logger, and Prometheus metrics are served when WORKER_METRICS_ADDRESS is set.
 */
export function installWorkerRuntime(config: Config, log: Logger): void {
  const toPino = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
  Runtime.install({
    logger: new DefaultLogger(SDK_LEVEL[config.LOG_LEVEL] ?? 'INFO', (entry) => {
      log[toPino[entry.level]]({ ...entry.meta, source: 'temporal-sdk' }, entry.message);
    }),
    ...(config.WORKER_METRICS_ADDRESS ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } } : {}),
  });
}

/**
 * What every worker process runs beside its task queue: the audit log's sealer (new entries into the Merkle tree, a
 * signed tree head; with several workers one seals at a time) and the notification outbox's dispatcher (sends and
 * retries; several workers share it, their claims skip each other's rows). `stop` ends both after their round.
 */
export function runWorkerLoops(db: Db, config: Config, channels: ChannelSettings, log: Logger): { stop(): Promise<void> } {
  const sealer = runSealer(db, SigningKeys.fromConfig(db, config), {
    intervalMs: config.AUDIT_SEAL_INTERVAL_MS,
    onError: (err) => log.warn({ err }, 'audit log seal failed; the next round retries'),
  });
  const dispatcher = runDispatcher(db, channels, {
    intervalMs: config.NOTIFICATION_DISPATCH_INTERVAL_MS,
    onError: (err) => log.warn({ err }, 'notification dispatch failed; the next round retries'),
  });
  return {
    async stop() {
      await Promise.all([sealer.stop(), dispatcher.stop()]);
    },
  };
}
