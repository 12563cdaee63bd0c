import { ApplicationFailure } from '@temporalio/common';
import { issueActionLinks } from '../platform/action-links.js';
import { deputiesAt } from '../platform/out-of-office.js';
import type { Db } from '../platform/database.js';
import { Prisma } from '../prisma/generated/client.js';
import { runEvery } from '../platform/run-every.js';
import { sendDueDigests } from './notification-digest.js';
import type { ProcessStateBase } from '../workflows/contracts/common.js';
import { processHref } from '../web/links.js';
import { DeliveryFailed, sendEmail, sendSlack, sendTeams, sendWebhook, type ChannelSettings, type PersonMessage } from './notification-channels.js';

/*
 * The notification outbox. Recording a notification writes its deliveries in the same transaction: one for the
 * generic webhook (when one is configured) and one per person it reaches and channel that person chose. A delivery
 * is then sent by whoever claims it first: the process's own delivery activity right after the record, or a
 * worker's dispatcher loop, which also retries failed ones with backoff. Nothing the process decides waits for it.
 */

/** The ApplicationFailure type of a delivery refused for good (non-retryable): the process records the failure. */
export const DELIVERY_REFUSED = 'NotificationRefused';

export const CHANNELS = ['email', 'slack', 'teams'] as const;
export type PersonChannel = (typeof CHANNELS)[number];

/** Retries back off from 5 s, doubling, to 15 minutes apart; a delivery still failing a day later is given up. */
const backoffMs = (attempts: number) => Math.min(5_000 * 2 ** (attempts - 1), 15 * 60_000);
const GIVE_UP_AFTER_MS = 24 * 3_600_000;
/**
 * A claimed delivery is its sender's for this long, longer than a batch of sends can take (each is bounded by its
 * channel's timeout); a worker that dies mid-batch leaves its deliveries to another after the lease.
 */
const LEASE_MS = 15 * 60_000;
/** Deliveries claimed at once by one sender. */
const BATCH = 20;

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** The channels this deployment sends on besides the per-person webhooks (Slack, Teams): deliveries only go there. */
export interface OutboxChannels {
  webhook: boolean;
  email: boolean;
}

export const outboxChannels = (s: ChannelSettings | undefined): OutboxChannels => ({ webhook: Boolean(s?.webhookUrl), email: Boolean(s?.mailer) });

/**
 * Writes the deliveries of newly recorded notifications (call it in the transaction that records them). Recipients
 * are principal IDs or role names; a role reaches every active person holding it. A notification that reaches no
 * channel is delivered by being recorded. Answers how many deliveries wait to be sent now (not in a digest).
 */
export async function enqueueDeliveries(
  tx: Tx,
  notifications: { id: string; workflowId: string; recipients: string[] }[],
  stateVersion: number,
  opts: OutboxChannels,
): Promise<number> {
  if (notifications.length === 0) return 0;
  const names = [...new Set(notifications.flatMap((n) => n.recipients))];
  const people = await tx.principal.findMany({ where: { disabled: false, kind: 'person', OR: [{ id: { in: names } }, { roles: { hasSome: names } }] } });
  // Someone out of office is told through their deputy, for the period they set.
  const deputyOf = await deputiesAt(tx, people.map((p) => p.id));
  const deputies = new Map((await tx.principal.findMany({ where: { id: { in: [...deputyOf.values()] }, disabled: false } })).map((d) => [d.id, d]));
  const toldFor = (p: (typeof people)[number]) => {
    const deputy = deputies.get(deputyOf.get(p.id) ?? '');
    return deputy ? { person: deputy, onBehalfOf: p.id } : { person: p, onBehalfOf: null };
  };
  const told = [...people, ...deputies.values()].map((p) => p.id);
  const prefs = new Map((await tx.notificationPreference.findMany({ where: { principalId: { in: told } } })).map((p) => [p.principalId, p]));
  const channelsOf = (person: (typeof people)[number]): PersonChannel[] => {
    const pref = prefs.get(person.id);
    const chosen = (pref?.channels.length ? pref.channels : ['email']) as PersonChannel[];
    const address: Record<PersonChannel, unknown> = { email: pref?.email ?? person.email, slack: pref?.slackWebhookUrl, teams: pref?.teamsWebhookUrl };
    return chosen.filter((c) => address[c] && (c !== 'email' || opts.email));
  };
  const rows = notifications.flatMap((n) => [
    ...(opts.webhook ? [{ notificationId: n.id, workflowId: n.workflowId, channel: 'webhook', recipient: '', stateVersion, status: 'pending' }] : []),
    ...people
      .filter((p) => n.recipients.includes(p.id) || p.roles.some((r) => n.recipients.includes(r)))
      .map(toldFor)
      // A deputy also reached in their own right gets the message once, saying for whom.
      .sort((a, b) => Number(b.onBehalfOf !== null) - Number(a.onBehalfOf !== null))
      // Someone who chose a daily digest gets this in it, not now.
      .flatMap(({ person, onBehalfOf }) =>
        channelsOf(person).map((channel) => ({ notificationId: n.id, workflowId: n.workflowId, channel, recipient: person.id, onBehalfOf, stateVersion, status: prefs.get(person.id)?.digest ? 'digest' : 'pending' })),
      ),
  ]);
  await tx.notificationDelivery.createMany({ data: rows, skipDuplicates: true });
  const reached = new Set(rows.map((r) => r.notificationId));
  const unreached = notifications.filter((n) => !reached.has(n.id)).map((n) => n.id);
  if (unreached.length) await tx.notification.updateMany({ where: { id: { in: unreached } }, data: { deliveredAt: new Date() } });
  return rows.filter((r) => r.status === 'pending').length;
}

export interface DispatchResult {
  delivered: number;
  /** Failed this time, to be retried. */
  failed: number;
  /** Refused for good (never sent again). */
  refused: number;
}

/** Claims due deliveries (optionally of one process) so no other sender takes them, oldest first. */
async function claimDue(db: Db, now: Date, max: number, workflowId?: string): Promise<string[]> {
  const lease = new Date(now.getTime() + LEASE_MS);
  const ofProcess = workflowId ? Prisma.sql`AND "workflowId" = ${workflowId}` : Prisma.empty;
  const rows = await db.$queryRaw<{ id: string }[]>`UPDATE "NotificationDelivery" SET "nextAttemptAt" = ${lease} WHERE id IN (
    SELECT id FROM "NotificationDelivery" WHERE status = 'pending' AND "nextAttemptAt" <= ${now} ${ofProcess}
    ORDER BY "nextAttemptAt" LIMIT ${max} FOR UPDATE SKIP LOCKED) RETURNING id`;
  return rows.map((r) => r.id);
}

/** Sends the deliveries that are due (of one process, or all) once each, and records how each went. */
export async function dispatchDue(db: Db, settings: ChannelSettings, scope: { workflowId?: string; now?: Date; max?: number } = {}): Promise<DispatchResult> {
  const now = scope.now ?? new Date();
  const ids = await claimDue(db, now, scope.max ?? BATCH, scope.workflowId);
  const result: DispatchResult = { delivered: 0, failed: 0, refused: 0 };
  if (ids.length === 0) return result;
  for (const d of await findClaimed(db, ids)) {
    try {
      await send(db, settings, d, now);
      await db.notificationDelivery.update({ where: { id: d.id }, data: { status: 'delivered', deliveredAt: new Date(), attempts: { increment: 1 }, lastError: null } });
      result.delivered++;
    } catch (err) {
      const permanent = err instanceof DeliveryFailed && err.permanent;
      const attempts = d.attempts + 1;
      const givenUp = !permanent && now.getTime() - d.createdAt.getTime() >= GIVE_UP_AFTER_MS;
      await db.notificationDelivery.update({
        where: { id: d.id },
        data: {
          attempts,
          lastError: (err as Error).message.slice(0, 500),
          ...(permanent ? { status: 'refused' } : givenUp ? { status: 'failed' } : { nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) }),
        },
      });
      if (permanent) result.refused++;
      else result.failed++;
    }
    await settleNotification(db, d.notificationId);
  }
  return result;
}

/** The notification's own columns summarise its deliveries: delivered once all are, refused once one is. */
export async function settleNotification(db: Db, notificationId: string): Promise<void> {
  const rows = await db.notificationDelivery.findMany({ where: { notificationId }, select: { status: true, attempts: true, lastError: true } });
  const refused = rows.some((r) => r.status === 'refused');
  await db.notification.update({
    where: { id: notificationId },
    data: {
      attempts: rows.reduce((sum, r) => sum + r.attempts, 0),
      lastError: rows.find((r) => r.lastError)?.lastError ?? null,
      deliveredAt: rows.every((r) => r.status === 'delivered') ? new Date() : null,
      refusedAt: refused ? new Date() : null,
    },
  });
}

const findClaimed = (db: Db, ids: string[]) =>
  db.notificationDelivery.findMany({ where: { id: { in: ids } }, include: { notification: { include: { process: true } } }, orderBy: { createdAt: 'asc' } });
type ClaimedDelivery = Awaited<ReturnType<typeof findClaimed>>[number];

async function send(db: Db, s: ChannelSettings, d: ClaimedDelivery, now: Date): Promise<void> {
  const n = d.notification;
  const openUrl = `${s.publicUrl}${processHref(n.workflowId)}`;
  if (d.channel === 'webhook') {
    if (!s.webhookUrl) throw new DeliveryFailed('no NOTIFICATION_WEBHOOK_URL is configured on this worker', false);
    return sendWebhook(s, { deliveryId: d.id, notification: n, openUrl });
  }
  const [person, pref] = await Promise.all([db.principal.findUnique({ where: { id: d.recipient } }), db.notificationPreference.findUnique({ where: { principalId: d.recipient } })]);
  if (!person || person.disabled) throw new DeliveryFailed(`${d.recipient} is no longer an active principal`, true);
  const state = n.process.state as unknown as ProcessStateBase;
  const links = await issueActionLinks(db, { state, person, stateVersion: d.stateVersion, deliveryId: d.id, channel: d.channel, publicUrl: s.publicUrl, ttlMs: s.actionLinkTtlMs, now });
  const message = d.onBehalfOf ? `For ${d.onBehalfOf}, who is out of office and named you as deputy: ${n.message}` : n.message;
  await sendToPerson(s, d.channel, person, pref, { deliveryId: d.id, subject: n.process.title, items: [{ title: n.process.title, message, openUrl, links }] });
}

/** Sends a message to a person on one of their channels, at the address their preference (or identity) gives. */
export async function sendToPerson(
  s: ChannelSettings,
  channel: string,
  person: { id: string; email: string | null },
  pref: { email: string | null; slackWebhookUrl: string | null; teamsWebhookUrl: string | null } | null,
  message: PersonMessage,
): Promise<void> {
  switch (channel) {
    case 'email': {
      const to = pref?.email ?? person.email;
      if (!to) throw new DeliveryFailed(`${person.id} has no email address`, true);
      if (!s.mailer) throw new DeliveryFailed('no SMTP_URL is configured on this worker', false);
      return sendEmail(s, to, message);
    }
    case 'slack':
      if (!pref?.slackWebhookUrl) throw new DeliveryFailed(`${person.id} has no Slack webhook`, true);
      return sendSlack(s, pref.slackWebhookUrl, message);
    case 'teams':
      if (!pref?.teamsWebhookUrl) throw new DeliveryFailed(`${person.id} has no Teams webhook`, true);
      return sendTeams(s, pref.teamsWebhookUrl, message);
    default:
      throw new DeliveryFailed(`unknown channel ${channel}`, true);
  }
}

/**
 * The process's delivery activity: sends its due deliveries once, right after they were recorded. A failure that a
 * retry may mend is left to the dispatcher's backoff (the process does not wait for it); a refusal fails the
 * activity for good, so the process records `notification_delivery_failed`.
 */
export async function deliverPendingNotifications(db: Db, workflowId: string, settings: ChannelSettings): Promise<DispatchResult> {
  const result = await dispatchDue(db, settings, { workflowId });
  if (result.refused > 0) {
    throw ApplicationFailure.create({ type: DELIVERY_REFUSED, message: `${result.refused} of the notification deliveries of ${workflowId} refused; not retried`, nonRetryable: true });
  }
  return result;
}

/** Sends due deliveries and due daily digests every `intervalMs` until stopped (several workers share the work: claims skip locked rows). */
export function runDispatcher(db: Db, settings: ChannelSettings, opts: { intervalMs: number; onError: (err: unknown) => void }): { stop(): Promise<void> } {
  const loop = runEvery(opts.intervalMs, async () => {
    await dispatchDue(db, settings);
    await sendDueDigests(db, settings);
  }, opts.onError);
  return {
    async stop() {
      await loop.stop();
      settings.mailer?.close();
    },
  };
}
