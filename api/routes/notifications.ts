import { z } from 'zod';
import { CHANNELS } from '../../activities/notifications.js';
import { GovflowError } from '../../domain/errors.js';
import { holdsAny, permittedRoles } from '../../domain/policy/access.js';
import { actorOf } from '../auth.js';
import type { ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { clearOutOfOffice, coveredBy, setOutOfOffice } from '../../platform/out-of-office.js';
import { principalId, safeString } from '../schemas/common.js';
import { notificationPage, notificationPreferences, outOfOffice, outOfOfficeState } from '../schemas/responses.js';

const webhookUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });
const preferencesBody = z
  .strictObject({
    channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).describe('Where to be told; empty = email when an address is known'),
    email: z.email().max(320).nullable().optional().describe("Overrides the identity provider's address"),
    slackWebhookUrl: webhookUrl.nullable().optional().describe('A Slack incoming webhook (e.g. of a direct-message channel)'),
    teamsWebhookUrl: webhookUrl.nullable().optional().describe('A Microsoft Teams incoming (or Workflows) webhook'),
    digest: z.boolean().default(false).describe('One message a day listing what waits on me, instead of one per event'),
    digestHourUtc: z.number().int().min(0).max(23).default(8).describe('The hour (UTC) of the daily digest'),
  })
  .refine((p) => !p.channels.includes('slack') || p.slackWebhookUrl, { path: ['slackWebhookUrl'], message: 'required with the slack channel' })
  .refine((p) => !p.channels.includes('teams') || p.teamsWebhookUrl, { path: ['teamsWebhookUrl'], message: 'required with the teams channel' });

export function registerNotificationRoutes(registry: RouteRegistry, { db, policies }: ApiDeps): void {
  const readers = permittedRoles(policies.current, 'audit', 'read');

  registry.add({
    method: 'get',
    path: '/notifications',
    summary: "A process's notifications and each one's deliveries (channel, recipient, status, attempts, last error)",
    description: `For the process's requester and holders of ${readers.join(', ')} (the audit readers).`,
    tag: 'Notifications',
    roles: [],
    query: z.strictObject({ workflowId: safeString().min(1).max(300) }),
    response: notificationPage,
    notFound: true,
    handler: async ({ query }, _req, res) => {
      const actor = actorOf(res);
      const process = await db.process.findUnique({ where: { workflowId: query.workflowId }, select: { requester: true } });
      if (!process) throw new GovflowError('NotFound', `no process ${query.workflowId}`);
      if (process.requester !== actor.id && !holdsAny(actor, readers)) throw new GovflowError('Forbidden', `only the requester or a holder of ${readers.join(', ')} may read the deliveries of ${query.workflowId}`);
      const rows = await db.notification.findMany({ where: { workflowId: query.workflowId }, orderBy: { createdAt: 'asc' }, include: { deliveries: { orderBy: { createdAt: 'asc' } } } });
      return {
        items: rows.map((n) => ({
          id: n.id,
          kind: n.kind,
          recipients: n.recipients,
          message: n.message,
          createdAt: n.createdAt,
          deliveredAt: n.deliveredAt,
          deliveries: n.deliveries.map((d) => ({ id: d.id, channel: d.channel, recipient: d.recipient, status: d.status, attempts: d.attempts, lastError: d.lastError, nextAttemptAt: d.nextAttemptAt, deliveredAt: d.deliveredAt })),
        })),
      };
    },
  });

  const mine = async (principalId: string) => {
    const [pref, principal] = await Promise.all([db.notificationPreference.findUnique({ where: { principalId } }), db.principal.findUnique({ where: { id: principalId }, select: { email: true } })]);
    return {
      channels: (pref?.channels ?? []) as (typeof CHANNELS)[number][],
      email: pref?.email ?? principal?.email ?? null,
      slackWebhookUrl: pref?.slackWebhookUrl ?? null,
      teamsWebhookUrl: pref?.teamsWebhookUrl ?? null,
      digest: pref?.digest ?? false,
      digestHourUtc: pref?.digestHour ?? 8,
    };
  };

  registry.add({
    method: 'get',
    path: '/me/notification-preferences',
    summary: 'How I am told: my channels, their addresses and my digest',
    tag: 'Notifications',
    roles: [],
    response: notificationPreferences,
    handler: (_ctx, _req, res) => mine(actorOf(res).id),
  });

  registry.add({
    method: 'put',
    path: '/me/notification-preferences',
    summary: 'Choose my channels (email, Slack, Teams), their addresses, and a daily digest',
    tag: 'Notifications',
    roles: [],
    body: preferencesBody,
    response: notificationPreferences,
    handler: async ({ body }, _req, res) => {
      const principalId = actorOf(res).id;
      const row = { channels: body.channels, email: body.email ?? null, slackWebhookUrl: body.slackWebhookUrl ?? null, teamsWebhookUrl: body.teamsWebhookUrl ?? null, digest: body.digest, digestHour: body.digestHourUtc };
      await db.notificationPreference.upsert({ where: { principalId }, create: { principalId, ...row }, update: row });
      return mine(principalId);
    },
  });

  registry.add({
    method: 'get',
    path: '/me/out-of-office',
    summary: 'My absence and deputy, and whom I stand in for now',
    tag: 'Notifications',
    roles: [],
    response: outOfOfficeState,
    handler: async (_ctx, _req, res) => {
      const me = actorOf(res).id;
      const [row, deputyFor] = await Promise.all([db.outOfOffice.findUnique({ where: { principalId: me } }), coveredBy(db, me)]);
      return { outOfOffice: row ? { deputy: row.deputyId, from: row.from, until: row.until } : null, deputyFor };
    },
  });

  registry.add({
    method: 'put',
    path: '/me/out-of-office',
    summary: 'Set my absence: for the period, my messages and named seats go to my deputy',
    description: 'The deputy must be an active person holding one of my roles. Recorded in the audit log; what the deputy does in my seats is recorded as on my behalf.',
    tag: 'Notifications',
    roles: [],
    body: z.strictObject({ deputy: principalId, from: z.iso.datetime({ offset: true }), until: z.iso.datetime({ offset: true }) }),
    response: outOfOffice,
    handler: ({ body }, _req, res) => setOutOfOffice(db, actorOf(res), { deputy: body.deputy, from: new Date(body.from), until: new Date(body.until) }),
  });

  registry.add({
    method: 'delete',
    path: '/me/out-of-office',
    summary: 'End my absence now',
    tag: 'Notifications',
    roles: [],
    status: 204,
    handler: async (_ctx, _req, res) => {
      await clearOutOfOffice(db, actorOf(res));
    },
  });
}
