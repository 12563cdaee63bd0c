import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { channelSettings, type ChannelSettings } from '../../activities/notification-channels.js';
import { sendDueDigests } from '../../activities/notification-digest.js';
import { runDispatcher } from '../../activities/notifications.js';
import type { PolicySet } from '../../domain/policy/types.js';
import { loadConfig } from '../../platform/config.js';
import type { Db } from '../../platform/database.js';
import type { ArchitectureReviewState } from '../../workflows/architecture-review/contract.js';
import { COMMITTEE_APPROVAL_WORKFLOW, type CommitteeApprovalInput, type CommitteeApprovalState } from '../../workflows/committee-approval/contract.js';
import { stateQuery } from '../../workflows/contracts/common.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { launchBrowser } from '../support/browser.js';
import { privateDb } from '../support/db.js';
import { defaultPolicy } from '../support/policy.js';
import { waitFor } from '../support/processes.js';
import { architectureReviewInput, rulingsFor } from '../support/reviews.js';
import { testWorker, timeSkippingEnv } from '../support/temporal.js';
import { checkPage, checkTouchTargets, PHONE } from '../support/web.js';

/**
 * Notifications people act on, on the real stack: a real SMTP server (smtp-server) takes the reminders' emails, real
 * HTTP receivers play Slack and Teams, the worker's dispatcher sends the outbox, and the links are opened on the API.
 */

interface Mail {
  to: string;
  text: string;
}

let env: TestWorkflowEnvironment;
let db: Db;
let dropDb: (() => Promise<void>) | undefined;
let api: TestApi;
let policy: PolicySet;
let worker: Worker;
let channels: ChannelSettings;
let running: Promise<void>;
let dispatcher: { stop(): Promise<void> };
let smtp: SMTPServer;
let hooks: Server;
let hooksUrl: string;
const mails: Mail[] = [];
/** What the Slack receiver answers next, and every request the receivers took. */
let slackAnswer = 200;
const hookCalls: { path: string; status: number; body: Record<string, any> }[] = [];
const taskQueue = `notifications-${randomUUID()}`;
const run = randomUUID().slice(0, 6);

/** Quoted-printable soft breaks and escapes undone, so links read as sent. */
const unQuote = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        for (const to of session.envelope.rcptTo) mails.push({ to: to.address, text: unQuote(Buffer.concat(chunks).toString('utf8')) });
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  hooks = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const status = req.url === '/slack' ? slackAnswer : 200;
    hookCalls.push({ path: req.url ?? '', status, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    res.writeHead(status).end();
  }).listen(0, '127.0.0.1');
  await once(hooks, 'listening');
  hooksUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;

  [env, policy] = await Promise.all([timeSkippingEnv(), defaultPolicy()]);
  // A database of its own: its people's channels and its dispatcher must not reach other files' processes.
  ({ db, drop: dropDb } = await privateDb());
  api = await startTestApi(env, db, taskQueue);
  // As a worker configures them: SMTP_URL (plain SMTP on loopback), the sender, the links' origin.
  channels = channelSettings(loadConfig({ SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, SMTP_FROM: 'govflow <govflow@example.test>', PUBLIC_URL: api.url }));
  worker = await testWorker(env, db, taskQueue, { activities: createActivities({ db, channels }) });
  running = worker.run();
  dispatcher = runDispatcher(db, channels, { intervalMs: 200, onError: () => undefined });
}, 120_000);

afterAll(async () => {
  await dispatcher?.stop();
  worker?.shutdown();
  await running;
  await api?.close();
  await dropDb?.();
  await env?.teardown();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  hooks?.close();
});

/** A person with a role, a token, and the channels they chose. */
async function person(name: string, role: string, prefs: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const id = `${name}-${run}`;
  const token = await api.tokenFor(id, role);
  const set = await api.call('PUT', '/me/notification-preferences', { token, body: prefs });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
  return { id, token };
}

async function startReview(title: string) {
  const key = `NOTE-${randomUUID().slice(0, 8)}`;
  const handle = await env.client.workflow.start('architectureReview', { taskQueue, workflowId: `architecture-review/${key}`, args: [architectureReviewInput(policy, key, { title })] });
  return { key, handle };
}

const mailTo = (to: string, title: string) => waitFor(`the email to ${to}`, async () => mails.find((m) => m.to === to && m.text.includes(title)), 30_000);
const linkIn = (mail: Mail, label: string) => new RegExp(`${label}: (http\\S+)`).exec(mail.text)![1]!;
const confirm = (url: string, form: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });

describe('notifications people act on', () => {
  it("a reminder email's approve link records the vote once, through email; a second use and a stale link are refused", async () => {
    const title = `Payments core ${run}`;
    const tom = await person('tom', 'technical_lead', { channels: ['email'], email: `tom-${run}@example.test` });
    await person('erin', 'enterprise_architect', { channels: ['email'], email: `erin-${run}@example.test` });
    const { key, handle } = await startReview(title);
    await env.sleep('80 hours'); // past the policy's reminder (3 days), before its escalation (7)

    const toTom = await mailTo(`tom-${run}@example.test`, title);
    expect(toTom.text).toMatch(/Subject: \[govflow\] Payments core/);
    expect(toTom.text).toContain(`Reminder: "${title}" is waiting on`);
    expect(linkIn(toTom, 'Open')).toBe(`${api.url}/app/processes/architecture-review/${key}`);
    const approve = linkIn(toTom, 'Approve');
    expect(linkIn(toTom, 'Request changes')).not.toBe(approve);

    // Opening the link (as a mail scanner would) shows a confirmation, and records nothing.
    const shown = await fetch(approve);
    expect(shown.status).toBe(200);
    const page = await shown.text();
    expect(page).toContain('Confirm: approve');
    expect(page).toContain(tom.id);
    expect(((await handle.query(stateQuery)) as ArchitectureReviewState).votes).toEqual([]);

    const confirmed = await confirm(approve);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Your approval is recorded');
    const state = (await handle.query(stateQuery)) as ArchitectureReviewState;
    expect(state.votes).toEqual([expect.objectContaining({ actor: tom.id, role: 'technical_lead', verdict: 'approve', rulings: rulingsFor(policy, 'approve') })]);
    const voted = await waitFor('the vote in the audit log', () => db.auditEntry.findFirst({ where: { workflowId: handle.workflowId, action: 'voted' } }));
    expect(voted).toMatchObject({ actor: tom.id, details: expect.objectContaining({ via: { channel: 'email', link: expect.any(String) } }) });

    // A second use is refused, and records nothing more.
    const again = await confirm(approve);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('This link was used already');
    expect((await fetch(approve)).status).toBe(410);
    expect(((await handle.query(stateQuery)) as ArchitectureReviewState).votes).toHaveLength(1);

    // Erin's link was written for the review before Tom's vote: it is stale now, and says so.
    const erinsApprove = linkIn(await mailTo(`erin-${run}@example.test`, title), 'Approve');
    const stale = await waitFor('the stale link refused', async () => {
      const res = await fetch(erinsApprove);
      return res.status === 409 ? res.text() : null;
    });
    expect(stale).toContain('This link is stale');
    expect(stale).toContain('has changed since the message was sent');
    expect((await confirm(erinsApprove)).status).toBe(409);
    expect(((await handle.query(stateQuery)) as ArchitectureReviewState).votes.map((v) => v.actor)).toEqual([tom.id]);

    // An unknown token is not a link govflow issued.
    expect((await fetch(`${api.url}/app/act/not-a-token`)).status).toBe(404);
  });

  it('a Slack webhook answering 500 does not delay the decision; the delivery is retried and succeeds later', async () => {
    const title = `Data platform ${run}`;
    const sasha = await person('sasha', 'security_architect', { channels: ['slack'], slackWebhookUrl: `${hooksUrl}/slack` });
    const tess = await person('tess', 'domain_expert', { channels: ['teams'], teamsWebhookUrl: `${hooksUrl}/teams` });
    const { key, handle } = await startReview(title);
    slackAnswer = 500;
    await env.sleep('80 hours');
    const mine = (path: string) => hookCalls.filter((c) => c.path === path && JSON.stringify(c.body).includes(title));
    await waitFor('the failed Slack delivery and the Teams one', async () => mine('/slack').length > 0 && mine('/teams').length > 0, 30_000);
    const buttonsOf = (body: Record<string, any>) => body.blocks[1].elements.map((e: { text: { text: string }; url: string }) => [e.text.text, e.url]);
    const offered = buttonsOf(mine('/slack')[0]!.body);
    expect(offered.map((b: string[]) => b[0])).toEqual(['Approve', 'Request changes', 'Open']);
    expect(offered[0][1]).toMatch(new RegExp(`^${api.url}/app/act/`));

    // Every reviewer votes through the API while Slack is down: the review decides at once.
    const roles = ['technical_lead', 'enterprise_architect', 'security_architect', 'domain_expert'];
    for (const role of roles) {
      const voter = role === 'security_architect' ? sasha : role === 'domain_expert' ? tess : { token: await api.tokenFor(`${role}-${run}`, role) };
      const res = await api.call('POST', `/architecture-reviews/${key}/votes`, { token: voter.token, body: { role, rulings: rulingsFor(policy, 'approve') } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    expect(((await handle.result()) as ArchitectureReviewState).outcome).toBe('approved');
    const slackDelivery = () => db.notificationDelivery.findFirstOrThrow({ where: { workflowId: handle.workflowId, channel: 'slack', recipient: sasha.id } });
    expect(await slackDelivery()).toMatchObject({ status: 'pending', lastError: 'slack answered 500' });

    // Slack comes back: the dispatcher's retry (5 s after the failure) delivers it.
    slackAnswer = 200;
    await waitFor('the Slack delivery retried', async () => (await slackDelivery()).status === 'delivered', 30_000);
    expect((await slackDelivery()).attempts).toBeGreaterThanOrEqual(2);
    const retried = mine('/slack').at(-1)!.body;
    expect(retried.text).toContain(`Reminder: "${title}"`);
    // Sent again once the review was decided: it offers no decision any more, only the item.
    expect(buttonsOf(retried)).toEqual([['Open', `${api.url}/app/processes/architecture-review/${key}`]]);

    // Teams got an Adaptive Card with the same actions.
    const card = mine('/teams')[0]!.body.attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const actionSet = card.content.body.find((b: { type: string }) => b.type === 'ActionSet');
    expect(actionSet.actions.map((a: { type: string; title: string }) => `${a.type} ${a.title}`)).toEqual(['Action.OpenUrl Approve', 'Action.OpenUrl Request changes', 'Action.OpenUrl Open']);

    // The process's deliveries, and the metrics, show it.
    const requester = await api.tokenFor('rita', 'requester');
    const listed = await api.call('GET', `/notifications?workflowId=${encodeURIComponent(handle.workflowId)}`, { token: requester });
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    const reminder = listed.body.items.find((n: { kind: string }) => n.kind === 'reminder');
    expect(reminder.deliveries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channel: 'slack', recipient: sasha.id, status: 'delivered', lastError: null }),
        expect.objectContaining({ channel: 'teams', recipient: tess.id, status: 'delivered' }),
      ]),
    );
    expect((await api.call('GET', `/notifications?workflowId=${encodeURIComponent(handle.workflowId)}`, { token: tess.token })).status).toBe(403);
    const metrics = await (await fetch(`${api.url}/metrics`)).text();
    expect(metrics).toMatch(/govflow_notification_deliveries\{channel="slack",status="delivered"\} [1-9]/);
  });

  it('refuses a Slack channel without its webhook and a request for changes without a reason; the page records one in a browser', async () => {
    const token = await api.tokenFor(`nobody-${run}`, 'domain_expert');
    const refused = await api.call('PUT', '/me/notification-preferences', { token, body: { channels: ['slack'] } });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('slackWebhookUrl');

    const title = `Ledger ${run}`;
    await person('dora', 'domain_expert', { channels: ['email'], email: `dora-${run}@example.test` });
    const { handle } = await startReview(title);
    await env.sleep('80 hours');
    const changes = linkIn(await mailTo(`dora-${run}@example.test`, title), 'Request changes');
    expect((await confirm(changes)).status).toBe(422);
    // On a phone, in a real browser: the confirmation page passes axe, and its form records the request.
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ viewport: PHONE })).newPage();
      await page.goto(changes);
      await checkPage(page, 'action-link-request-changes', PHONE);
      await checkTouchTargets(page, 'action-link-request-changes', PHONE);
      await page.getByLabel('What needs to change').fill('the failover design is missing');
      await page.getByRole('button', { name: 'Confirm: request changes' }).click();
      await page.getByRole('heading', { name: 'Your request for changes is recorded' }).waitFor();
      await checkPage(page, 'action-link-recorded', PHONE);
    } finally {
      await browser.close();
    }
    const { votes } = (await handle.query(stateQuery)) as ArchitectureReviewState;
    expect(votes).toEqual([expect.objectContaining({ role: 'domain_expert', verdict: 'request_changes', justification: 'the failover design is missing' })]);
  });

  it('holds the events of someone who chose a daily digest, and sends one message a day with what waits on them', async () => {
    const title = `Search cluster ${run}`;
    const hour = new Date().getUTCHours();
    const dana = { id: `dana-${run}`, token: await api.tokenFor(`dana-${run}`, 'enterprise_architect') };
    // Today's digest counts as sent already, so the dispatcher's loop leaves it to the explicit run below.
    await db.notificationPreference.create({ data: { principalId: dana.id, channels: [], lastDigestAt: new Date() } });
    const set = await api.call('PUT', '/me/notification-preferences', { token: dana.token, body: { channels: ['email'], email: `dana-${run}@example.test`, digest: true, digestHourUtc: hour } });
    expect(set.body).toEqual({ channels: ['email'], email: `dana-${run}@example.test`, slackWebhookUrl: null, teamsWebhookUrl: null, digest: true, digestHourUtc: hour });
    const { handle } = await startReview(title);
    await env.sleep('80 hours');
    const held = await waitFor('the reminder held for the digest', () => db.notificationDelivery.findFirst({ where: { workflowId: handle.workflowId, recipient: dana.id, status: 'digest' } }), 30_000);
    expect(mails.some((m) => m.to === `dana-${run}@example.test`)).toBe(false);

    const tomorrow = new Date(Date.now() + 86_400_000);
    expect(await sendDueDigests(db, channels, tomorrow)).toBeGreaterThanOrEqual(1);
    // A second run the same day sends nothing more.
    expect(await sendDueDigests(db, channels, new Date(tomorrow.getTime() + 60_000))).toBe(0);
    const digest = await mailTo(`dana-${run}@example.test`, title);
    expect(digest.text).toMatch(/Subject: \[govflow\] What waits on you \(\d+\)/);
    expect(digest.text).toContain(`Reminder: "${title}" is waiting on`);
    expect(await db.notificationDelivery.findUniqueOrThrow({ where: { id: held.id } })).toMatchObject({ status: 'delivered', deliveredAt: expect.any(Date) });

    // Its approve link is bound to the review as it stands now, and works.
    const approve = new RegExp(`${title}\\r?\\nWaiting on you[^\\n]*\\r?\\nApprove: (http\\S+)`).exec(digest.text)![1]!;
    expect(await (await confirm(approve)).text()).toContain('Your approval is recorded');
    const { votes } = (await handle.query(stateQuery)) as ArchitectureReviewState;
    expect(votes).toEqual([expect.objectContaining({ actor: dana.id, role: 'enterprise_architect', verdict: 'approve' })]);
  });

  it("routes an absent reviewer's messages and named seat to their deputy, whose vote is recorded on their behalf", async () => {
    const title = `Identity hub ${run}`;
    const sam = await person('sam', 'security_architect', { channels: ['email'], email: `sam-${run}@example.test` });
    const sid = await person('sid', 'security_architect', { channels: ['email'], email: `sid-${run}@example.test` });
    const dale = await person('dale', 'domain_expert', { channels: [] });
    const key = `NOTE-${randomUUID().slice(0, 8)}`;
    const handle = await env.client.workflow.start('architectureReview', {
      taskQueue,
      workflowId: `architecture-review/${key}`,
      args: [architectureReviewInput(policy, key, { title, assignees: { security_architect: sam.id } })],
    });
    const vote = (token: string) => api.call('POST', `/architecture-reviews/${key}/votes`, { token, body: { role: 'security_architect', rulings: rulingsFor(policy, 'approve') } });
    await waitFor('the review on record', () => db.process.findUnique({ where: { workflowId: handle.workflowId } }));
    expect((await vote(sid.token)).body.detail).toBe(`the security_architect review is assigned to ${sam.id}`);

    const period = { from: new Date(Date.now() - 60_000).toISOString(), until: new Date(Date.now() + 7 * 86_400_000).toISOString() };
    const wrong = await api.call('PUT', '/me/out-of-office', { token: sam.token, body: { deputy: dale.id, ...period } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.detail).toContain('a deputy must hold the role they stand in for');
    const set = await api.call('PUT', '/me/out-of-office', { token: sam.token, body: { deputy: sid.id, ...period } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({ deputy: sid.id, roles: ['security_architect'] });
    expect(await db.auditEntry.findFirst({ where: { actor: sam.id, action: 'out_of_office_set' } })).toMatchObject({ details: expect.objectContaining({ deputy: sid.id }) });
    expect((await api.call('GET', '/me/out-of-office', { token: sid.token })).body).toEqual({ outOfOffice: null, deputyFor: [sam.id] });

    await env.sleep('80 hours');
    const toSid = await mailTo(`sid-${run}@example.test`, title);
    expect(toSid.text).toContain(`For ${sam.id}, who is out of office and named you as deputy: Reminder: "${title}"`);
    expect(mails.some((m) => m.to === `sam-${run}@example.test` && m.text.includes(title))).toBe(false);
    expect(await db.notificationDelivery.findFirst({ where: { workflowId: handle.workflowId, recipient: sid.id, channel: 'email' } })).toMatchObject({ onBehalfOf: sam.id });

    // The deputy's inbox has the seat, and the deputy's vote takes it, on the absent reviewer's behalf.
    const inbox = await api.call('GET', '/inbox', { token: sid.token });
    expect(inbox.body.items.map((i: { workflowId: string }) => i.workflowId)).toContain(handle.workflowId);
    expect((await vote(sid.token)).status).toBe(200);
    const voted = await waitFor('the vote in the audit log', () => db.auditEntry.findFirst({ where: { workflowId: handle.workflowId, action: 'voted' } }));
    expect(voted).toMatchObject({ actor: sid.id, role: 'security_architect', details: expect.objectContaining({ onBehalfOf: sam.id }) });

    expect((await api.call('DELETE', '/me/out-of-office', { token: sam.token })).status).toBe(204);
    expect((await api.call('GET', '/me/out-of-office', { token: sid.token })).body.deputyFor).toEqual([]);
  });

  it("a committee member approves an urgent item from the 'voting is open' email; there is no link to reject", async () => {
    const title = `Vendor AI policy ${run}`;
    await person('cleo', 'committee_member', { channels: ['email'], email: `cleo-${run}@example.test` });
    const key = `NOTE-CA-${randomUUID().slice(0, 8)}`;
    const input: CommitteeApprovalInput = {
      businessKey: key,
      title,
      subject: { kind: 'committee_approval', workflowId: null, summary: 'Adopt the vendor AI policy' },
      requester: { id: 'rita', kind: 'person', roles: ['requester'] },
      urgent: true,
      urgencyReason: 'the contract is signed on Friday',
      policyVersion: policy.version.id,
      policy: policy.aiGovernance.committee,
    };
    const handle = await env.client.workflow.start(COMMITTEE_APPROVAL_WORKFLOW, { taskQueue, workflowId: `committee-approval/${key}`, args: [input] });
    const mail = await mailTo(`cleo-${run}@example.test`, title);
    expect(mail.text).toContain(`Voting is open on "${title}"`);
    expect(mail.text).not.toContain('Request changes:');
    const confirmed = await confirm(linkIn(mail, 'Approve'));
    expect(await confirmed.text()).toContain('Your approval is recorded');
    const { ballots } = (await handle.query(stateQuery)) as CommitteeApprovalState;
    expect(ballots).toEqual([expect.objectContaining({ actor: `cleo-${run}`, ballot: 'approve' })]);
    const voted = await waitFor('the ballot in the audit log', () => db.auditEntry.findFirst({ where: { workflowId: handle.workflowId, actor: `cleo-${run}` } }));
    expect(voted.details).toMatchObject({ via: { channel: 'email' } });
  });
});
