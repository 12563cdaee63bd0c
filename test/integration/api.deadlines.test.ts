import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { defaultPolicyDir, loadPolicySet } from '../../domain/policy/load.js';
import type { Db } from '../../platform/database.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { testDb } from '../support/db.js';
import { waitFor } from '../support/processes.js';
import { devServerEnv, testWorker } from '../support/temporal.js';

/**
 * A copy of the default policy whose architecture review reminds after 3 seconds, escalates after 6 and breaches
 * after 9, on the real dev server (as README's "Try the escalation path" does in minutes).
 */
const policyDir = mkdtempSync(path.join(os.tmpdir(), 'govflow-seconds-'));
let env: TestWorkflowEnvironment;
let db: Db;
let worker: Worker;
let running: Promise<void>;
let api: TestApi;
const taskQueue = `deadlines-${randomUUID()}`;

beforeAll(async () => {
  cpSync(defaultPolicyDir(), policyDir, { recursive: true });
  const file = path.join(policyDir, 'architecture-review.yaml');
  const text = readFileSync(file, 'utf8');
  const edited = text.replace(/ {2}reminderAfterDays: \d+\n {2}escalateAfterDays: \d+\n {2}slaBreachAfterDays: \d+\n/, '  reminderAfter: PT3S\n  escalateAfter: PT6S\n  slaBreachAfter: PT9S\n');
  expect(edited).not.toBe(text);
  writeFileSync(file, edited);
  env = await devServerEnv();
  db = testDb();
  worker = await testWorker(env, db, taskQueue);
  running = worker.run();
  api = await startTestApi(env, db, taskQueue, {}, await loadPolicySet(policyDir));
});

afterAll(async () => {
  await api?.close();
  worker?.shutdown();
  await running;
  await db?.$disconnect();
  await env?.teardown();
  rmSync(policyDir, { recursive: true, force: true });
});

describe('deadlines in seconds on a real server', () => {
  it('shows the reminder, escalation and breach the review will fire on, then fires them: reminder → escalation → sla_breached', async () => {
    const rita = await api.tokenFor('rita', 'requester');
    const key = `SECONDS-${randomUUID().slice(0, 8)}`;
    const body = { businessKey: key, title: 'Fast escalation', trigger: 'new_system_design', systemDescription: 'A review nobody acts on', evidence: [] };
    expect((await api.call('POST', '/architecture-reviews', { token: rita, body })).status).toBe(201);

    const deadlines = await waitFor('the deadlines', async () => {
      const res = await api.call('GET', `/architecture-reviews/${key}/deadlines`, { token: rita });
      return res.status === 200 && res.body.dueAt ? res.body : null;
    });
    const state = (await api.call('GET', `/architecture-reviews/${key}`, { token: rita })).body;
    const startedAt = Date.parse(state.events.find((e: { action: string }) => e.action === 'started').at);
    expect(deadlines).toEqual({ workflowId: `architecture-review/${key}`, reminderAt: state.deadlines.reminderAt, escalationAt: state.deadlines.escalationAt, dueAt: state.slaDueAt, escalateTo: 'committee_chair', breachAtDue: true });
    // The clock starts within the start's workflow task, a moment after the `started` event's time.
    for (const [at, seconds] of [[deadlines.reminderAt, 3], [deadlines.escalationAt, 6], [deadlines.dueAt, 9]] as const) {
      expect(Date.parse(at) - startedAt).toBeGreaterThanOrEqual(seconds * 1000);
      expect(Date.parse(at) - startedAt).toBeLessThan(seconds * 1000 + 1000);
    }

    const closed = await waitFor('the SLA breach', async () => {
      const res = await api.call('GET', `/architecture-reviews/${key}`, { token: rita });
      return res.body.outcome ? res.body : null;
    }, 30_000);
    expect(closed.outcome).toBe('sla_breached');
    expect(closed.events.map((e: { action: string }) => e.action)).toEqual(['started', 'reminder_sent', 'escalated', 'decided']);
    expect(closed.notices.map((n: { kind: string }) => n.kind)).toEqual(['reminder', 'escalation', 'sla_breach', 'outcome']);
    const firedAt = (action: string) => Date.parse(closed.events.find((e: { action: string }) => e.action === action).at);
    expect(firedAt('reminder_sent')).toBeGreaterThanOrEqual(Date.parse(deadlines.reminderAt));
    expect(firedAt('escalated')).toBeGreaterThanOrEqual(Date.parse(deadlines.escalationAt));
    expect(firedAt('decided')).toBeGreaterThanOrEqual(Date.parse(deadlines.dueAt));
    expect(closed.events.at(-1).details.reason).toBe('no decision within 9 seconds; referred to the committee_chair');

    // Closed: nothing is due any more.
    const after = await api.call('GET', `/architecture-reviews/${key}/deadlines`, { token: rita });
    expect(after.body).toEqual({ workflowId: `architecture-review/${key}`, reminderAt: null, escalationAt: null, dueAt: null, breachAtDue: false });
  });

  it('answers 404 for a review that does not exist', async () => {
    const rita = await api.tokenFor('rita', 'requester');
    expect((await api.call('GET', '/architecture-reviews/NOPE-1/deadlines', { token: rita })).status).toBe(404);
  });
});
