import type { Db } from '../platform/database.js';

/**
 * Delivers a process's undelivered notifications to the configured webhook (the outbox pattern: the row was
 * committed with the process state; delivery happens after). Without a webhook, recording is the delivery.
 * A failing webhook is recorded on the row and the activity fails, so Temporal retries it with backoff; the
 * workflow gives up after its retry budget, and the undelivered rows stay visible (deliveredAt null, lastError).
 */
export async function deliverPendingNotifications(
  db: Db,
  workflowId: string,
  webhookUrl: string | undefined,
  fetchImpl: typeof fetch = fetch,
): Promise<{ delivered: number; failed: number }> {
  const pending = await db.notification.findMany({ where: { workflowId, deliveredAt: null }, orderBy: { createdAt: 'asc' } });
  let delivered = 0;
  let failed = 0;
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
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
      await db.notification.update({ where: { id: n.id }, data: { deliveredAt: new Date(), attempts: { increment: 1 }, lastError: null } });
      delivered++;
    } catch (err) {
      await db.notification.update({ where: { id: n.id }, data: { attempts: { increment: 1 }, lastError: (err as Error).message.slice(0, 500) } });
      failed++;
    }
  }
  if (failed > 0) throw new Error(`${failed} notification(s) of ${workflowId} could not be delivered to the webhook; will retry`);
  return { delivered, failed };
}
