import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { deliverPendingNotifications, WEBHOOK_REFUSED } from '../../activities/notifications.js';
import type { PolicySet } from '../../domain/policy/types.js';
import type { Db } from '../../platform/database.js';
import type { ArchitectureReviewState } from '../../workflows/architecture-review/contract.js';
import { delegateUpdate, stateQuery, withdrawUpdate } from '../../workflows/contracts/common.js';
import { requester, securityArchitect, securityArchitect2 } from '../support/actors.js';
import { testDb } from '../support/db.js';
import { defaultPolicy } from '../support/policy.js';
import { freePort, waitFor } from '../support/processes.js';
import { architectureReviewInput } from '../support/reviews.js';
import { testWorker, timeSkippingEnv } from '../support/temporal.js';

/** Webhook delivery against a real local HTTP receiver: which answers are retried and which are not. */

let db: Db;
let receiver: Server;
let hookUrl: string;
/** What the receiver answers next, and the requests it took. */
let answer = 200;
let calls = 0;

beforeAll(async () => {
  db = testDb();
  receiver = createServer((req, res) => {
    calls++;
    req.resume();
    res.writeHead(answer).end();
  }).listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
});

afterAll(async () => {
  receiver?.close();
  await db?.$disconnect();
});

/** A process with one undelivered notification. */
async function pendingNotice(): Promise<string> {
  const workflowId = `webhook-test/${randomUUID()}`;
  await db.process.create({
    data: { workflowId, kind: 'architecture_review', businessKey: workflowId, title: 'Webhook', requester: 'rita', stage: 'in_review', policyVersion: 'test', pendingRoles: [], state: {} },
  });
  await db.notification.create({ data: { workflowId, eventKey: '1', kind: 'info', recipients: ['rita'], message: 'hello', payload: {} } });
  return workflowId;
}

const failureOf = (p: Promise<unknown>) => p.then(() => expect.fail('delivered'), (err: unknown) => err as Error);

describe('notification webhook', () => {
  it.each([400, 401, 403, 404, 410, 422])('does not retry a notification the webhook refuses with %i', async (status) => {
    const workflowId = await pendingNotice();
    answer = status;
    const err = await failureOf(deliverPendingNotifications(db, workflowId, hookUrl));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: WEBHOOK_REFUSED, nonRetryable: true });
    const row = await db.notification.findFirstOrThrow({ where: { workflowId } });
    expect(row).toMatchObject({ deliveredAt: null, refusedAt: expect.any(Date), attempts: 1, lastError: `webhook answered ${status} (refused: not retried)` });
    // A later delivery (the process's next notice) does not send it again.
    answer = 200;
    expect(await deliverPendingNotifications(db, workflowId, hookUrl)).toEqual({ delivered: 0, failed: 0 });
  });

  it.each([408, 429, 500, 502, 503])('retries a notification the webhook answers %i', async (status) => {
    const workflowId = await pendingNotice();
    answer = status;
    const err = await failureOf(deliverPendingNotifications(db, workflowId, hookUrl));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((await db.notification.findFirstOrThrow({ where: { workflowId } })).lastError).toBe(`webhook answered ${status}`);
    // The next attempt, once the receiver is back, delivers it.
    answer = 204;
    expect(await deliverPendingNotifications(db, workflowId, hookUrl)).toEqual({ delivered: 1, failed: 0 });
    expect(await db.notification.findFirstOrThrow({ where: { workflowId } })).toMatchObject({ deliveredAt: expect.any(Date), attempts: 2, lastError: null });
  });

  it('retries when nothing listens at the webhook', async () => {
    const workflowId = await pendingNotice();
    const err = await failureOf(deliverPendingNotifications(db, workflowId, `http://127.0.0.1:${await freePort()}/hook`));
    expect(err).not.toBeInstanceOf(ApplicationFailure);
    expect((await db.notification.findFirstOrThrow({ where: { workflowId } })).lastError).toMatch(/fetch failed/);
  });

  describe('in a workflow', () => {
    let env: TestWorkflowEnvironment;
    let worker: Worker;
    let running: Promise<void>;
    let policy: PolicySet;
    const taskQueue = `webhook-${randomUUID()}`;
    beforeAll(async () => {
      [env, policy] = await Promise.all([timeSkippingEnv(), defaultPolicy()]);
      worker = await testWorker(env, db, taskQueue, { activities: createActivities({ db, notificationWebhookUrl: hookUrl }) });
      running = worker.run();
    });
    afterAll(async () => {
      worker?.shutdown();
      await running;
      await env?.teardown();
    });

    it('gives up on a refused notification after one attempt (not twelve over hours), and the process goes on', async () => {
      const key = `HOOK-${randomUUID().slice(0, 8)}`;
      const handle = await env.client.workflow.start('architectureReview', { taskQueue, workflowId: `architecture-review/${key}`, args: [architectureReviewInput(policy, key)] });
      answer = 400;
      calls = 0;
      await handle.executeUpdate(delegateUpdate, { args: [{ actor: securityArchitect, role: 'security_architect', to: securityArchitect2, reason: 'on leave' }] });
      // The clock does not skip while the test only queries: a retried delivery would stay in its backoff.
      await waitFor('the delivery failure on record', async () => ((await handle.query(stateQuery)) as ArchitectureReviewState).events.some((e) => e.action === 'notification_delivery_failed'), 30_000);
      expect(calls).toBe(1);
      await handle.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'done' }] });
      expect(((await handle.result()) as ArchitectureReviewState).outcome).toBe('withdrawn');
      // The withdrawal's own notice is sent (and refused) once; the refused delegation notice is never sent again.
      expect(calls).toBe(2);
    });
  });
});
