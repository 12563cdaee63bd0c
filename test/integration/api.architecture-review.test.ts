import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Db } from '../../platform/database.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { testDb } from '../support/db.js';
import { defaultPolicy } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
import { devServerEnv, testWorker } from '../support/temporal.js';

const taskQueue = `api-${randomUUID()}`;
let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let db: Db;
let api: TestApi;
let criteria: string[];

beforeAll(async () => {
  env = await devServerEnv();
  db = testDb();
  worker = await testWorker(env, db, taskQueue);
  running = worker.run();
  api = await startTestApi(env, db, taskQueue);
  criteria = (await defaultPolicy()).architectureReview.approvalCriteria;
});

afterAll(async () => {
  await api?.close();
  worker?.shutdown();
  await running;
  await db?.$disconnect();
  await env?.teardown();
});

const approveAll = () => Object.fromEntries(criteria.map((c) => [c, 'approve']));

function startBody(businessKey: string) {
  return {
    businessKey,
    title: 'Customer data platform',
    trigger: 'new_system_design',
    systemDescription: 'A new CDP on the lakehouse',
    evidence: ['https://wiki.example.com/cdp'],
  };
}

describe('architecture review through the API', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await api.call('GET', '/healthz')).status).toBe(200);
    const ready = await api.call('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ temporal: 'ok', database: 'ok' });
  });

  it('starts a review, takes four votes, completes it, and shows it in Temporal and in the database', async () => {
    const requester = await api.tokenFor('rita', 'requester');
    const key = `ARCH-${randomUUID().slice(0, 8)}`;
    const started = await api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key) });
    expect(started.status).toBe(201);
    expect(started.headers.get('location')).toBe(`/architecture-reviews/${key}`);
    expect(started.body.workflowId).toBe(`architecture-review/${key}`);

    for (const role of ['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert']) {
      const token = await api.tokenFor(`${role}-1`, role);
      const voted = await api.call('POST', `/architecture-reviews/${key}/votes`, { token, body: { role, rulings: approveAll() } });
      expect(voted.status, JSON.stringify(voted.body)).toBe(200);
      expect(voted.body.votes.some((v: { role: string }) => v.role === role)).toBe(true);
    }

    const handle = env.client.workflow.getHandle(started.body.workflowId);
    expect(((await handle.result()) as { outcome: string }).outcome).toBe('approved');
    const described = await handle.describe();
    expect(described.status.name).toBe('COMPLETED');
    expect(described.memo?.policyVersion).toBe((await defaultPolicy()).version.id);

    const row = await waitFor('the completed process row', () => db.process.findFirst({ where: { workflowId: started.body.workflowId, completedAt: { not: null } } }));
    expect(row.outcome).toBe('approved');
    expect(await db.decision.count({ where: { workflowId: started.body.workflowId } })).toBe(4);

    const state = await api.call('GET', `/architecture-reviews/${key}`, { token: requester });
    expect(state.status).toBe(200);
    expect(state.body.outcome).toBe('approved');

    const list = await api.call('GET', '/architecture-reviews?outcome=approved&limit=200', { token: requester });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { businessKey: string }) => i.businessKey)).toContain(key);
  });

  it('is filterable in Temporal visibility by the pending role', async () => {
    const requester = await api.tokenFor('rita', 'requester');
    const key = `ARCH-${randomUUID().slice(0, 8)}`;
    await api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key) });
    const sec = await api.tokenFor('sec-2', 'security_architect');
    await api.call('POST', `/architecture-reviews/${key}/votes`, { token: sec, body: { role: 'security_architect', rulings: approveAll() } });
    const found = await waitFor('the review in the visibility store', async () => {
      const ids: string[] = [];
      for await (const wf of env.client.workflow.list({ query: `GovflowPendingRoles = 'technical_lead' AND GovflowBusinessKey = '${key}'` })) ids.push(wf.workflowId);
      return ids.length ? ids : null;
    });
    expect(found).toEqual([`architecture-review/${key}`]);
    const noSecurity: string[] = [];
    for await (const wf of env.client.workflow.list({ query: `GovflowPendingRoles = 'security_architect' AND GovflowBusinessKey = '${key}'` })) noSecurity.push(wf.workflowId);
    expect(noSecurity).toEqual([]);
  });

  it('answers problem+json: 400 bad input, 401 no token, 403 wrong role, 404 unknown, 409 duplicate, 422 refused by the workflow', async () => {
    const requester = await api.tokenFor('rita', 'requester');
    const bad = await api.call('POST', '/architecture-reviews', { token: requester, body: { businessKey: 'has spaces', title: '' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['businessKey', 'title', 'trigger', 'systemDescription']));

    const malformed = await api.call('POST', '/architecture-reviews', { token: requester, body: '{"businessKey":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);

    expect((await api.call('POST', '/architecture-reviews', { body: startBody('X-1') })).status).toBe(401);
    expect((await api.call('POST', '/architecture-reviews', { token: 'gf_not-a-real-token', body: startBody('X-1') })).status).toBe(401);

    const sec = await api.tokenFor('sec-3', 'security_architect');
    expect((await api.call('POST', '/architecture-reviews', { token: sec, body: startBody('X-2') })).status).toBe(403);

    expect((await api.call('GET', '/architecture-reviews/NOPE-404', { token: requester })).status).toBe(404);
    expect((await api.call('POST', '/architecture-reviews/NOPE-404/votes', { token: sec, body: { role: 'security_architect', rulings: approveAll() } })).status).toBe(404);

    const key = `ARCH-${randomUUID().slice(0, 8)}`;
    expect((await api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key) })).status).toBe(201);
    const dup = await api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key) });
    expect(dup.status).toBe(409);

    const wrongTrigger = await api.call('POST', '/architecture-reviews', { token: requester, body: { ...startBody(`ARCH-${randomUUID().slice(0, 8)}`), trigger: 'whim' } });
    expect(wrongTrigger.status).toBe(400);
    expect(wrongTrigger.body.errors[0].path).toBe('trigger');

    const unjustified = await api.call('POST', `/architecture-reviews/${key}/votes`, {
      token: sec,
      body: { role: 'security_architect', rulings: { ...approveAll(), security_assessment_approval: 'reject' } },
    });
    expect(unjustified.status).toBe(422);
    expect(unjustified.body.code).toBe('RuleViolation');
    expect(unjustified.body.errors).toEqual([{ path: 'justification', message: 'required' }]);

    const first = await api.call('POST', `/architecture-reviews/${key}/votes`, { token: sec, body: { role: 'security_architect', rulings: approveAll() } });
    expect(first.status).toBe(200);
    const twice = await api.call('POST', `/architecture-reviews/${key}/votes`, { token: sec, body: { role: 'security_architect', rulings: approveAll() } });
    expect(twice.status).toBe(409);

    // Once the process has finished, an action on it is a conflict with its outcome, not an unknown process.
    expect((await api.call('POST', `/architecture-reviews/${key}/withdraw`, { token: requester, body: { reason: 'superseded' } })).status).toBe(200);
    await waitFor('the withdrawn review to finish', async () => (await db.process.findUnique({ where: { workflowId: `architecture-review/${key}` } }))?.completedAt);
    await waitFor('Temporal to close the workflow', async () => (await env.client.workflow.getHandle(`architecture-review/${key}`).describe()).status.name === 'COMPLETED');
    const late = await api.call('POST', `/architecture-reviews/${key}/votes`, { token: sec, body: { role: 'security_architect', rulings: approveAll(), revise: true } });
    expect(late.status).toBe(409);
    expect(late.body.detail).toContain('closed (withdrawn)');
  });

  it('replays a retried POST with the same Idempotency-Key: one process, one vote', async () => {
    const requester = await api.tokenFor('rita', 'requester');
    const key = `ARCH-${randomUUID().slice(0, 8)}`;
    const idem = { 'idempotency-key': randomUUID() };
    const [a, b] = await Promise.all([
      api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key), headers: idem }),
      api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key), headers: idem }),
    ]);
    expect([a.status, b.status].sort()).toEqual(expect.arrayContaining([201]));
    const again = await api.call('POST', '/architecture-reviews', { token: requester, body: startBody(key), headers: idem });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const sec = await api.tokenFor('sec-4', 'security_architect');
    const voteKey = { 'idempotency-key': randomUUID() };
    const body = { role: 'security_architect', rulings: approveAll() };
    const votes = await Promise.all([1, 2, 3].map(() => api.call('POST', `/architecture-reviews/${key}/votes`, { token: sec, body, headers: voteKey })));
    expect(votes.some((v) => v.status === 200)).toBe(true);
    expect(votes.every((v) => v.status === 200 || v.status === 409)).toBe(true);
    const state = await api.call('GET', `/architecture-reviews/${key}`, { token: requester });
    expect(state.body.votes).toHaveLength(1);

    const reused = await api.call('POST', '/architecture-reviews', { token: requester, body: { ...startBody(key), title: 'other' }, headers: idem });
    expect(reused.status).toBe(422);
  });

  it('serves the current policy set and every version a process pinned', async () => {
    const token = await api.tokenFor('rita', 'requester');
    const current = await api.call('GET', '/policies', { token });
    expect(current.status).toBe(200);
    const version = (await defaultPolicy()).version.id;
    expect(current.body.current.version.id).toBe(version);
    expect(current.body.pinnedVersions.map((v: { id: string }) => v.id)).toContain(version); // pinned by the reviews above
    const pinned = await api.call('GET', `/policies/${encodeURIComponent(version)}`, { token });
    expect(pinned.status).toBe(200);
    expect(pinned.body.architectureReview.approvalCriteria).toEqual(criteria);
    expect((await api.call('GET', '/policies/9.9.9+000000000000', { token })).status).toBe(404);
  });
});
