import { createServer, type Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { loadPolicySet, defaultPolicyDir } from '../domain/policy/load.js';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/database.js';
import type { Logger } from '../platform/logger.js';
import { issueToken } from '../platform/principals.js';
import { StartupError } from '../platform/runtime.js';
import { createApp } from './app.js';
import { SigningKeys } from '../platform/signing-keys.js';
import { evidenceStoreFor } from '../platform/evidence-store.js';
import { notifyObligationChanges } from './policy-impact.js';
import { PolicyRegistry } from './policy-registry.js';

export interface RunningApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Starts the API on an open database and Temporal connection (shared by `npm run api` and `npm start`). */
export async function startApi(config: Config, db: Db, temporal: Client, log: Logger): Promise<RunningApi> {
  const policyDir = config.POLICY_DIR ?? defaultPolicyDir();
  const policySet = await loadPolicySet(policyDir).catch((err: Error) => {
    throw new StartupError(`The policy set in ${policyDir} is invalid:\n${err.message}`);
  });
  if (config.GOVFLOW_BOOTSTRAP_TOKEN) {
    await issueToken(db, { id: 'admin', name: 'Bootstrap administrator', roles: ['admin'] }, 'bootstrap', config.GOVFLOW_BOOTSTRAP_TOKEN);
  }
  const policies = new PolicyRegistry(db, policySet);
  const { app } = createApp({ config, db, temporal, policies, log, keys: SigningKeys.fromConfig(db, config), evidence: evidenceStoreFor(config) });
  // Owners hear of obligations the current policy dates or scopes differently; the API does not wait for it.
  void notifyObligationChanges(db, policies, { webhook: Boolean(config.NOTIFICATION_WEBHOOK_URL), email: Boolean(config.SMTP_URL) }, new Date().toISOString().slice(0, 10))
    .then((count) => count && log.info({ count, policyVersion: policySet.version.id }, 'policy change notifications recorded'))
    .catch((err: unknown) => log.error({ err }, 'policy change notifications failed'));
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new StartupError(`Port ${config.PORT} on ${config.HOST} is in use; set PORT to another port.`) : err),
    );
    server.listen(config.PORT, config.HOST, resolve);
  });
  const addr = server.address();
  const url = `http://${config.HOST}:${typeof addr === 'object' && addr ? addr.port : config.PORT}`;
  log.info({ url, policyVersion: policySet.version.id }, 'API listening');
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
