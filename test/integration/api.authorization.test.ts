import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Db } from '../../platform/database.js';
import { defaultPolicy } from '../support/policy.js';
import { offlineApp, startTestApi, type TestApi } from '../support/api.js';
import { testDb } from '../support/db.js';
import { devServerEnv } from '../support/temporal.js';

// The route table, from the same registry the app mounts, and every role the policy declares.
const policy = await defaultPolicy();
const { registry } = await offlineApp({}, policy);
const routes = registry.routes.filter((r) => r.roles !== 'public');

let env: TestWorkflowEnvironment;
let db: Db;
let api: TestApi;

beforeAll(async () => {
  env = await devServerEnv();
  db = testDb();
  api = await startTestApi(env, db, `authz-${randomUUID()}`);
});

afterAll(async () => {
  await api?.close();
  await db?.$disconnect();
  await env?.teardown();
});

const concrete = (p: string) => p.replace(/:(\w+)/g, (_m, name: string) => (name === 'version' ? '0.0.0+000000000000' : `NOPE-${name}`));

describe('every route × every role', () => {
  it('covers a meaningful route table', () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
  });

  it.each(routes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s', async (_name, route) => {
    const path = concrete(route.path);
    const body = route.method === 'post' ? {} : undefined;
    const anonymous = await api.call(route.method.toUpperCase(), path, { body });
    expect(anonymous.status, 'without a token').toBe(401);
    const forged = await api.call(route.method.toUpperCase(), path, { body, token: 'gf_forged' });
    expect(forged.status, 'with an unknown token').toBe(401);

    for (const role of policy.roles) {
      const token = await api.tokenFor(`authz-${role}`, role);
      const res = await api.call(route.method.toUpperCase(), path, { body, token });
      const allowed = role === 'admin' || (route.roles as string[]).length === 0 || (route.roles as string[]).includes(role);
      if (allowed) expect([401, 403], `${role} is allowed: got ${res.status} ${JSON.stringify(res.body)}`).not.toContain(res.status);
      else {
        expect(res.status, `${role} must be refused`).toBe(403);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
      }
    }
  });
});
