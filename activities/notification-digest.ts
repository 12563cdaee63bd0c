import { issueActionLinks } from '../platform/action-links.js';
import type { Db } from '../platform/database.js';
import { coveredBy } from '../platform/out-of-office.js';
import { waitingOnWhere } from '../platform/waiting-on.js';
import { processHref } from '../web/links.js';
import { formatDate, humanize } from '../web/html.js';
import type { ProcessStateBase } from '../workflows/contracts/common.js';
import type { ChannelSettings, MessageItem } from './notification-channels.js';
import { sendToPerson, settleNotification } from './notifications.js';

/*
 * The daily digest: for a person who chose it, one message a day at their hour (UTC) on each of their channels,
 * listing every open process that waits on them (with its action links) and the notifications held for it since the
 * last digest. It runs in the workers' dispatcher loop, not as a Temporal Schedule per person: it is a query over the
 * record, due at an hour per person, and claiming the day's digest with a conditional update keeps it to one sender.
 */

/** The digest hour of `now`'s day (UTC) for a person. */
const dueAtOn = (now: Date, hour: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), hour));

/** Sends the digests that are due (their hour has come today and today's has not been sent); answers how many. */
export async function sendDueDigests(db: Db, s: ChannelSettings, now = new Date()): Promise<number> {
  const prefs = await db.notificationPreference.findMany({ where: { digest: true } });
  let sent = 0;
  for (const pref of prefs) {
    const dueAt = dueAtOn(now, pref.digestHour);
    if (now < dueAt || (pref.lastDigestAt && pref.lastDigestAt >= dueAt)) continue;
    // Today's digest is this sender's once it wins the conditional update (other workers find it taken).
    const claimed = await db.notificationPreference.updateMany({ where: { principalId: pref.principalId, lastDigestAt: pref.lastDigestAt }, data: { lastDigestAt: now } });
    if (claimed.count !== 1) continue;
    const person = await db.principal.findUnique({ where: { id: pref.principalId } });
    if (!person || person.disabled) continue;
    if (await sendDigest(db, s, person, pref, now)) sent++;
  }
  return sent;
}

async function sendDigest(
  db: Db,
  s: ChannelSettings,
  person: { id: string; email: string | null; roles: string[] },
  pref: { channels: string[]; email: string | null; slackWebhookUrl: string | null; teamsWebhookUrl: string | null },
  now: Date,
): Promise<boolean> {
  const [waiting, held] = await Promise.all([
    db.process.findMany({ where: waitingOnWhere(person, await coveredBy(db, person.id, now)), orderBy: [{ slaDueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }], take: 100 }),
    db.notificationDelivery.findMany({ where: { recipient: person.id, status: 'digest' }, include: { notification: { include: { process: { select: { title: true } } } } }, orderBy: { createdAt: 'asc' } }),
  ]);
  if (waiting.length === 0 && held.length === 0) return false;
  const day = now.toISOString().slice(0, 10);
  // Held notifications are listed once, whichever of the person's channels they were held for.
  const notices = [...new Map(held.map((d) => [d.notificationId, d.notification])).values()];
  const channels = [...new Set([...held.map((d) => d.channel), ...(pref.channels.length ? pref.channels : ['email'])])];
  const failures: string[] = [];
  for (const channel of channels) {
    const items: MessageItem[] = [];
    for (const p of waiting) {
      const state = p.state as unknown as ProcessStateBase;
      const links = await issueActionLinks(db, { state, person, stateVersion: p.stateVersion, deliveryId: `digest:${person.id}:${day}:${channel}:${p.workflowId}`, channel, publicUrl: s.publicUrl, ttlMs: s.actionLinkTtlMs, now });
      const due = p.slaDueAt ? `, due ${formatDate(p.slaDueAt)}` : '';
      items.push({ title: p.title, message: `Waiting on you: ${humanize(p.kind)} ${p.businessKey}, ${humanize(p.stage)}${due}`, openUrl: `${s.publicUrl}${processHref(p.workflowId)}`, links });
    }
    for (const n of notices) items.push({ title: n.process.title, message: n.message, openUrl: `${s.publicUrl}${processHref(n.workflowId)}`, links: [] });
    try {
      await sendToPerson(s, channel, person, pref, { deliveryId: `digest:${person.id}:${day}:${channel}`, subject: `What waits on you (${waiting.length}), ${day}`, items });
    } catch (err) {
      failures.push(`${channel}: ${(err as Error).message}`);
    }
  }
  // Held notifications are delivered once a digest carried them; otherwise they wait for the next one, with the error.
  const lastError = failures.length === channels.length ? failures.join('; ').slice(0, 500) : null;
  for (const d of held) {
    await db.notificationDelivery.update({
      where: { id: d.id },
      data: lastError ? { attempts: { increment: 1 }, lastError } : { status: 'delivered', deliveredAt: new Date(), attempts: { increment: 1 }, lastError: null },
    });
  }
  for (const id of new Set(held.map((d) => d.notificationId))) await settleNotification(db, id);
  return lastError === null;
}
