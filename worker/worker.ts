import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Runtime, Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import type { Config } from '../platform/config.js';

export const WORKFLOWS_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../workflows/index.ts');

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
    shutdownGraceTime: '10 seconds',
    ...overrides,
  });
}

/** Installs the SDK runtime with Prometheus metrics when configured; must run before any connection is made. */
export function installWorkerRuntime(config: Config): void {
  if (!config.WORKER_METRICS_ADDRESS) return;
  Runtime.install({ telemetryOptions: { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } });
}
