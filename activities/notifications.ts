import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../platform/database.js';

/** The ApplicationFailure type of a notification the webhook refused for good (non-retryable). */
export const WEBHOOK_REFUSED = 'WebhookRefused';

/**
 * A 4xx says the receiver refuses this request (bad payload, no access, no such hook): sending it again cannot help.
 * 408 (timeout) and 429 (too many requests) ask to try later, as do 5xx, timeouts and connection errors.
 */
export function isPermanentWebhookStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

class WebhookAnswered extends Error {
  constructor(readonly status: number) {
    super(`webhook answered ${status}${isPermanentWebhookStatus(status) ? ' (refused: not retried)' : ''}`);
  }
}

/**
 * Delivers a process's undelivered notifications to the configured webhook (the outbox pattern: the row was
 * committed with the process state; delivery happens after). Without a webhook, recording is the delivery.
 * A failing webhook is recorded on the row and the activity fails, so Temporal retries it with backoff; the
 * workflow gives up after its retry budget, and the undelivered rows stay visible (deliveredAt null, lastError).
 * When every failure is a refusal (see isPermanentWebhookStatus) the failure is non-retryable: no backoff for hours.
 */
export async function deliverPendingNotifications(
  db: Db,
  workflowId: string,
  webhookUrl: string | undefined,
  fetchImpl: typeof fetch = fetch,
): Promise<{ delivered: number; failed: number }> {
  // A refused notification is not sent again (refusedAt); one that failed otherwise is, with the next delivery.
  const pending = await db.notification.findMany({ where: { workflowId, deliveredAt: null, refusedAt: null }, orderBy: { createdAt: 'asc' } });
  let delivered = 0;
  let failed = 0;
  let refused = 0;
  for (const n of pending) {
    if (!webhookUrl) {
      await db.notification.update({ where: { id: n.id }, data: { deliveredAt: new Date() } });
      delivered++;
      continue;
    }
    try {
      const res = await fetchImpl(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `${n.workflowId}#${n.eventKey}` },
        body: JSON.stringify({ id: n.id, workflowId, kind: n.kind, recipients: n.recipients, message: n.message, payload: n.payload }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new WebhookAnswered(res.status);
      await db.notification.update({ where: { id: n.id }, data: { deliveredAt: new Date(), attempts: { increment: 1 }, lastError: null } });
      delivered++;
    } catch (err) {
      const isRefusal = err instanceof WebhookAnswered && isPermanentWebhookStatus(err.status);
      await db.notification.update({ where: { id: n.id }, data: { attempts: { increment: 1 }, lastError: (err as Error).message.slice(0, 500), ...(isRefusal ? { refusedAt: new Date() } : {}) } });
      failed++;
      if (isRefusal) refused++;
    }
  }
  if (failed > 0 && refused === failed) {
    throw ApplicationFailure.create({ type: WEBHOOK_REFUSED, message: `the webhook refused ${refused} notification(s) of ${workflowId}; not retried`, nonRetryable: true });
  }
  if (failed > 0) throw new Error(`${failed} notification(s) of ${workflowId} could not be delivered to the webhook; will retry`);
  return { delivered, failed };
}
