import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import type { ChannelSettings } from '../../activities/notification-channels.js';
import { deliverPendingNotifications, dispatchDue, DELIVERY_REFUSED, enqueueDeliveries } from '../../activities/notifications.js';
import type { PolicySet } from '../../domain/policy/types.js';
import type { Db } from '../../platform/database.js';
import { signatureHeaders, verifySignature } from '../../platform/webhook-signature.js';
import type { ArchitectureReviewState } from '../../workflows/architecture-review/contract.js';
import { delegateUpdate, stateQuery, withdrawUpdate } from '../../workflows/contracts/common.js';
import { requester, securityArchitect, securityArchitect2 } from '../support/actors.js';
import { testDb } from '../support/db.js';
import { defaultPolicy } from '../support/policy.js';
import { freePort, waitFor } from '../support/processes.js';
import { architectureReviewInput } from '../support/reviews.js';
import { testWorker, timeSkippingEnv } from '../support/temporal.js';

/** The signed webhook against a real local HTTP receiver that checks signatures as README's recipe says. */

const NEW_SECRET = 'whsec-new-0123456789abcdef0123456789abcdef';
const OLD_SECRET = 'whsec-old-0123456789abcdef0123456789abcdef';

let db: Db;
let receiver: Server;
let hookUrl: string;
/** What the receiver answers next, the secret it knows, and what it took. */
let answer = 200;
let receiverSecret = NEW_SECRET;
let calls = 0;
const accepted: { deliveryId: string; workflowId: string }[] = [];
const seenDeliveries = new Set<string>();

/** README's verification recipe, written out with node:crypto alone (not govflow's own helper). */
function verifyAsReadme(req: IncomingMessage, body: string): boolean {
  const timestamp = String(req.headers['govflow-timestamp'] ?? '');
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = createHmac('sha256', receiverSecret).update(`${timestamp}.${body}`).digest();
  return String(req.headers['govflow-signature'] ?? '')
    .split(' ')
    .filter((s) => s.startsWith('v1='))
    .some((s) => {
      const given = Buffer.from(s.slice(3), 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

beforeAll(async () => {
  db = testDb();
  receiver = createServer(async (req, res) => {
    calls++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (!verifyAsReadme(req, body)) return void res.writeHead(401).end();
    const parsed = JSON.parse(body) as { deliveryId: string; workflowId: string };
    // Replay protection on the receiver's side: a delivery ID seen before is acknowledged, not acted on again.
    if (answer < 300 && !seenDeliveries.has(parsed.deliveryId)) {
      seenDeliveries.add(parsed.deliveryId);
      accepted.push(parsed);
    }
    res.writeHead(answer).end();
  }).listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
});

afterAll(async () => {
  receiver?.close();
  await db?.$disconnect();
});

const settings = (over: Partial<ChannelSettings> = {}): ChannelSettings => ({
  webhookUrl: hookUrl,
  webhookSecrets: [NEW_SECRET],
  mailFrom: 'govflow <govflow@localhost>',
  publicUrl: 'http://govflow.test',
  actionLinkTtlMs: 3_600_000,
  ...over,
});

/** A process with one notification and its webhook delivery in the outbox, as the projection writes them. */
async function pendingNotice(): Promise<string> {
  const workflowId = `webhook-test/${randomUUID()}`;
  await db.process.create({
    data: { workflowId, kind: 'architecture_review', businessKey: workflowId, title: 'Webhook', requester: 'rita', stage: 'in_review', policyVersion: 'test', pendingRoles: [], state: {} },
  });
  await db.$transaction(async (tx) => {
    const n = await tx.notification.create({ data: { workflowId, eventKey: '1', kind: 'info', recipients: ['rita'], message: 'hello', payload: {} } });
    await enqueueDeliveries(tx, [n], 1, { webhook: true, email: false });
  });
  return workflowId;
}

const deliveryOf = (workflowId: string) => db.notificationDelivery.findFirstOrThrow({ where: { workflowId, channel: 'webhook' } });
const failureOf = (p: Promise<unknown>) => p.then(() => expect.fail('delivered'), (err: unknown) => err as Error);
const later = (ms: number) => new Date(Date.now() + ms);

describe('signed notification webhook', () => {
  it('signs the body and timestamp; the receiver verifies it, and a replayed or altered request fails the check', async () => {
    answer = 200;
    const workflowId = await pendingNotice();
    expect(await deliverPendingNotifications(db, workflowId, settings())).toEqual({ delivered: 1, failed: 0, refused: 0 });
    const d = await deliveryOf(workflowId);
    expect(accepted.find((a) => a.workflowId === workflowId)).toMatchObject({ deliveryId: d.id });
    expect(d).toMatchObject({ status: 'delivered', attempts: 1, deliveredAt: expect.any(Date) });
    expect(await db.notification.findFirstOrThrow({ where: { workflowId } })).toMatchObject({ deliveredAt: expect.any(Date) });

    const body = '{"deliveryId":"d1"}';
    const signed = signatureHeaders([NEW_SECRET], body, new Date('2026-12-01T10:00:00Z'));
    const headers = { signature: signed['govflow-signature'], timestamp: signed['govflow-timestamp'] };
    expect(verifySignature([NEW_SECRET], headers, body, new Date('2026-12-01T10:04:00Z'))).toBeNull();
    expect(verifySignature([NEW_SECRET], headers, body, new Date('2026-12-01T10:06:00Z'))).toMatch(/tolerance/);
    expect(verifySignature([NEW_SECRET], headers, '{"deliveryId":"d2"}', new Date('2026-12-01T10:01:00Z'))).toBe('no signature matches');
    expect(verifySignature([OLD_SECRET], headers, body, new Date('2026-12-01T10:01:00Z'))).toBe('no signature matches');
  });

  it('rotates a secret: while both are configured, a receiver knowing only the old one accepts; after, it refuses', async () => {
    answer = 200;
    receiverSecret = OLD_SECRET;
    try {
      const during = await pendingNotice();
      expect(await deliverPendingNotifications(db, during, settings({ webhookSecrets: [NEW_SECRET, OLD_SECRET] }))).toMatchObject({ delivered: 1 });
      const after = await pendingNotice();
      const err = await failureOf(deliverPendingNotifications(db, after, settings({ webhookSecrets: [NEW_SECRET] })));
      expect(err).toMatchObject({ type: DELIVERY_REFUSED, nonRetryable: true });
      expect(await deliveryOf(after)).toMatchObject({ status: 'refused', lastError: 'webhook answered 401 (refused: not retried)' });
    } finally {
      receiverSecret = NEW_SECRET;
    }
  });

  it.each([400, 403, 404, 410, 422])('does not retry a delivery the webhook refuses with %i', async (status) => {
    const workflowId = await pendingNotice();
    answer = status;
    const err = await failureOf(deliverPendingNotifications(db, workflowId, settings()));
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: DELIVERY_REFUSED, nonRetryable: true });
    expect(await deliveryOf(workflowId)).toMatchObject({ status: 'refused', attempts: 1, lastError: `webhook answered ${status} (refused: not retried)` });
    expect(await db.notification.findFirstOrThrow({ where: { workflowId } })).toMatchObject({ deliveredAt: null, refusedAt: expect.any(Date) });
    // Nor does the dispatcher, however much later.
    answer = 200;
    expect(await dispatchDue(db, settings(), { workflowId, now: later(86_400_000) })).toEqual({ delivered: 0, failed: 0, refused: 0 });
  });

  it.each([408, 429, 500, 502, 503])('leaves a delivery answered %i to the dispatcher, which retries it after a backoff', async (status) => {
    const workflowId = await pendingNotice();
    answer = status;
    // The process's own attempt does not fail (the process waits for nothing); the delivery is due again in 5 s.
    expect(await deliverPendingNotifications(db, workflowId, settings())).toEqual({ delivered: 0, failed: 1, refused: 0 });
    const failed = await deliveryOf(workflowId);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastError: `webhook answered ${status}` });
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 3_000);
    answer = 204;
    // Not due yet: nothing is sent.
    expect(await dispatchDue(db, settings(), { workflowId })).toEqual({ delivered: 0, failed: 0, refused: 0 });
    expect(await dispatchDue(db, settings(), { workflowId, now: later(6_000) })).toEqual({ delivered: 1, failed: 0, refused: 0 });
    expect(await deliveryOf(workflowId)).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
  });

  it('backs off further on each failure when nothing listens at the webhook', async () => {
    const workflowId = await pendingNotice();
    const down = settings({ webhookUrl: `http://127.0.0.1:${await freePort()}/hook` });
    await deliverPendingNotifications(db, workflowId, down);
    const first = await deliveryOf(workflowId);
    expect(first.lastError).toMatch(/fetch failed/);
    await dispatchDue(db, down, { workflowId, now: later(6_000) });
    const second = await deliveryOf(workflowId);
    expect(second.attempts).toBe(2);
    // 5 s after the first failure, 10 s after the second.
    expect(second.nextAttemptAt.getTime() - (Date.now() + 6_000)).toBeGreaterThan(9_000);
  });

  describe('in a workflow', () => {
    let env: TestWorkflowEnvironment;
    let worker: Worker;
    let running: Promise<void>;
    let policy: PolicySet;
    const taskQueue = `webhook-${randomUUID()}`;
    beforeAll(async () => {
      [env, policy] = await Promise.all([timeSkippingEnv(), defaultPolicy()]);
      worker = await testWorker(env, db, taskQueue, { activities: createActivities({ db, channels: settings() }) });
      running = worker.run();
    });
    afterAll(async () => {
      worker?.shutdown();
      await running;
      await env?.teardown();
    });

    it('records a refused delivery on the process after one attempt, and the process goes on', async () => {
      const key = `HOOK-${randomUUID().slice(0, 8)}`;
      const handle = await env.client.workflow.start('architectureReview', { taskQueue, workflowId: `architecture-review/${key}`, args: [architectureReviewInput(policy, key)] });
      answer = 400;
      calls = 0;
      await handle.executeUpdate(delegateUpdate, { args: [{ actor: securityArchitect, role: 'security_architect', to: securityArchitect2, reason: 'on leave' }] });
      await waitFor('the delivery failure on record', async () => ((await handle.query(stateQuery)) as ArchitectureReviewState).events.some((e) => e.action === 'notification_delivery_failed'), 30_000);
      expect(calls).toBe(1);
      await handle.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'done' }] });
      expect(((await handle.result()) as ArchitectureReviewState).outcome).toBe('withdrawn');
      // The withdrawal's notices are sent (and refused) once; the refused delegation notice is never sent again.
      expect(calls).toBe(2);
      answer = 200;
    });
  });
});
