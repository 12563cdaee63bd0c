import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../platform/config.js';
import { DELIVERY_HEADER, signatureHeaders } from '../platform/webhook-signature.js';
import { escapeHtml } from '../web/html.js';

/** Where and how messages go: the generic webhook, SMTP, and the base of the links they carry. */
export interface ChannelSettings {
  webhookUrl?: string;
  /** Every secret signs each webhook request (the new and the old one while rotating). */
  webhookSecrets: string[];
  mailer?: Transporter;
  mailFrom: string;
  /** The web app's public origin, for the links in messages. */
  publicUrl: string;
  actionLinkTtlMs: number;
  fetchImpl?: typeof fetch;
}

export function channelSettings(config: Config): ChannelSettings {
  return {
    webhookUrl: config.NOTIFICATION_WEBHOOK_URL,
    webhookSecrets: config.NOTIFICATION_WEBHOOK_SECRETS,
    mailer: config.SMTP_URL ? nodemailer.createTransport(boundedSmtpUrl(config.SMTP_URL)) : undefined,
    mailFrom: config.SMTP_FROM,
    publicUrl: (config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`).replace(/\/$/, ''),
    actionLinkTtlMs: config.ACTION_LINK_TTL_HOURS * 3_600_000,
  };
}

/**
 * The SMTP URL with timeouts (unless it sets its own, as query parameters), bounded like the webhooks' requests so a
 * hung mail server cannot outlast a claimed batch's lease.
 */
function boundedSmtpUrl(url: string): string {
  const u = new URL(url);
  for (const [key, ms] of Object.entries({ connectionTimeout: '10000', greetingTimeout: '10000', socketTimeout: '30000' })) {
    if (!u.searchParams.has(key)) u.searchParams.set(key, ms);
  }
  return u.toString();
}

/** A failed send; `permanent` when sending the same message again cannot help (it is then never retried). */
export class DeliveryFailed extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/**
 * A 4xx says the receiver refuses this request (bad payload, no access, no such hook): sending it again cannot help.
 * 408 (timeout) and 429 (too many requests) ask to try later, as do 5xx, timeouts and connection errors.
 */
export function isPermanentWebhookStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** The generic webhook's message: the notification itself, as JSON. */
export interface WebhookMessage {
  deliveryId: string;
  notification: { id: string; workflowId: string; kind: string; recipients: string[]; message: string; payload: unknown };
  openUrl: string;
}

export type ActionLinkUrl = { action: 'approve' | 'request_changes'; url: string };

/** One thing a message to a person is about: a notification, or one entry of their digest. */
export interface MessageItem {
  title: string;
  message: string;
  openUrl: string;
  links: ActionLinkUrl[];
}

/** A message to a person: one item for a notification, several for a digest. */
export interface PersonMessage {
  deliveryId: string;
  subject: string;
  items: MessageItem[];
}

const LINK_LABELS = { approve: 'Approve', request_changes: 'Request changes' } as const;
const buttons = (item: MessageItem) => [...item.links.map((l) => ({ label: LINK_LABELS[l.action], url: l.url })), { label: 'Open', url: item.openUrl }];

async function post(url: string, body: string, headers: Record<string, string>, fetchImpl: typeof fetch, what: string): Promise<void> {
  let res: Response;
  try {
    res = await fetchImpl(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new DeliveryFailed(`${what}: ${(err as Error).message}`, false);
  }
  await res.body?.cancel();
  if (!res.ok) throw new DeliveryFailed(`${what} answered ${res.status}${isPermanentWebhookStatus(res.status) ? ' (refused: not retried)' : ''}`, isPermanentWebhookStatus(res.status));
}

/** The generic webhook: the notification as JSON, signed (see platform/webhook-signature.ts). */
export async function sendWebhook(s: ChannelSettings, m: WebhookMessage): Promise<void> {
  const n = m.notification;
  const body = JSON.stringify({ deliveryId: m.deliveryId, id: n.id, workflowId: n.workflowId, kind: n.kind, recipients: n.recipients, message: n.message, payload: n.payload, href: m.openUrl });
  const headers = { 'idempotency-key': m.deliveryId, [DELIVERY_HEADER]: m.deliveryId, ...signatureHeaders(s.webhookSecrets, body) };
  await post(s.webhookUrl!, body, headers, s.fetchImpl ?? fetch, 'webhook');
}

/** Slack's incoming webhook: per item a section and its buttons (Block Kit). */
export async function sendSlack(s: ChannelSettings, url: string, m: PersonMessage): Promise<void> {
  const body = JSON.stringify({
    text: m.items.length === 1 ? m.items[0]!.message : m.subject,
    blocks: m.items.flatMap((item) => [
      { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(item.title)}*\n${slackEscape(item.message)}` } },
      { type: 'actions', elements: buttons(item).map((b, i) => ({ type: 'button', action_id: `govflow-${i}`, text: { type: 'plain_text', text: b.label }, url: b.url, ...(i === 0 && item.links.length ? { style: 'primary' } : {}) })) },
    ]),
  });
  await post(url, body, {}, s.fetchImpl ?? fetch, 'slack');
}

const slackEscape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Microsoft Teams incoming webhook (or Workflows webhook): an Adaptive Card, per item its text and an ActionSet of links. */
export async function sendTeams(s: ChannelSettings, url: string, m: PersonMessage): Promise<void> {
  const body = JSON.stringify({
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: m.items.flatMap((item) => [
            { type: 'TextBlock', text: item.title, weight: 'Bolder', wrap: true },
            { type: 'TextBlock', text: item.message, wrap: true },
            { type: 'ActionSet', actions: buttons(item).map((b) => ({ type: 'Action.OpenUrl', title: b.label, url: b.url })) },
          ]),
        },
      },
    ],
  });
  await post(url, body, {}, s.fetchImpl ?? fetch, 'teams');
}

/** An email over SMTP, text and HTML; an SMTP 5xx answer is a refusal (a bad address), anything else is retried. */
export async function sendEmail(s: ChannelSettings, to: string, m: PersonMessage): Promise<void> {
  const text = m.items.map((item) => `${item.title}\n${item.message}\n${buttons(item).map((l) => `${l.label}: ${l.url}`).join('\n')}\n`).join('\n');
  const html = m.items
    .map((item) => `<h2>${escapeHtml(item.title)}</h2><p>${escapeHtml(item.message)}</p><p>${buttons(item).map((l) => `<a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a>`).join(' &middot; ')}</p>`)
    .join('');
  try {
    await s.mailer!.sendMail({ from: s.mailFrom, to, subject: `[govflow] ${m.subject}`, text, html, headers: { 'X-Govflow-Delivery': m.deliveryId } });
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    throw new DeliveryFailed(`email: ${(err as Error).message}`, code !== undefined && code >= 500);
  }
}
