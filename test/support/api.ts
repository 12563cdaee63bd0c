import { inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createApp } from '../../api/app.js';
import { SigningKeys } from '../../platform/signing-keys.js';
import { evidenceStoreFor } from '../../platform/evidence-store.js';
import { PolicyRegistry } from '../../api/policy-registry.js';
import type { PolicySet } from '../../domain/policy/types.js';
import { loadConfig, type Config } from '../../platform/config.js';
import type { Db } from '../../platform/database.js';
import { createLogger } from '../../platform/logger.js';
import { issueToken } from '../../platform/principals.js';
import { defaultPolicy } from './policy.js';

export interface TestApi {
  url: string;
  server: Server;
  config: Config;
  /** The API's signing key (tests seal the log with it: no worker runs a sealer in tests). */
  keys: SigningKeys;
  close(): Promise<void>;
  /** Issues a token for a principal with these roles (created on first use). */
  tokenFor(id: string, ...roles: string[]): Promise<string>;
  call(method: string, path: string, opts?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
}

/** The real API on port 0, against the test database and a real Temporal server. */
export async function startTestApi(env: TestWorkflowEnvironment, db: Db, taskQueue: string, overrides: Record<string, string> = {}, policy?: PolicySet): Promise<TestApi> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'govflow-api-'));
  // The run's key: APIs that each generated their own on the shared database flipped its active key as they started,
  // so a bundle could be signed by a key other than the one `audit public-key` named.
  const config = loadConfig({ NODE_ENV: 'test', TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'silent', API_RATE_LIMIT_PER_MINUTE: '100000', DATA_DIR: dataDir, AUDIT_SIGNING_KEY: inject('auditSigningKey'), ...overrides });
  const keys = SigningKeys.fromConfig(db, config);
  const { app } = createApp({ config, db, temporal: env.client, policies: new PolicyRegistry(db, policy ?? (await defaultPolicy())), log: createLogger('silent'), keys, evidence: evidenceStoreFor(config) });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokens = new Map<string, string>();
  return {
    url,
    server,
    config,
    keys,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async tokenFor(id, ...roles) {
      const key = `${id}:${roles.join(',')}`;
      if (!tokens.has(key)) tokens.set(key, await issueToken(db, { id, roles }, 'test'));
      return tokens.get(key)!;
    },
    async call(method, path, opts = {}) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...opts.headers,
        },
        body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body, headers: res.headers };
    },
  };
}

/**
 * The app without its backing services (no database, no Temporal): for the route table, the OpenAPI document and
 * the middleware in front of the handlers, which touch neither.
 */
export async function offlineApp(env: Record<string, string> = {}, policy?: PolicySet): Promise<ReturnType<typeof createApp>> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  return createApp({ config, db: {} as Db, temporal: {} as TestWorkflowEnvironment['client'], policies: { current: policy ?? (await defaultPolicy()) } as PolicyRegistry, log: createLogger('silent'), keys: SigningKeys.fromConfig({} as Db, config), evidence: evidenceStoreFor(config) });
}
