import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities/index.js';
import { addMonths } from '../../domain/engines/calendar.js';
import { compileAndStoreReport, compileReport, type ReportContent } from '../../activities/reports.js';
import type { Db } from '../../platform/database.js';
import type { CtoEngagementState } from '../../workflows/cto-engagement/contract.js';
import { reportScheduleId } from '../../workflows/report/contract.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { testDb } from '../support/db.js';
import { waitFor } from '../support/processes.js';
import { devServerEnv, testWorker } from '../support/temporal.js';

// The dev server (unlike the time-skipping one) runs Temporal Schedules; the worker gets a client to manage them.
const DAY = 24 * 60 * 60 * 1000;
const taskQueue = `reports-${randomUUID()}`;
let env: TestWorkflowEnvironment;
let db: Db;
let worker: Worker;
let running: Promise<void>;
let api: TestApi;

beforeAll(async () => {
  env = await devServerEnv();
  db = testDb();
  worker = await testWorker(env, db, taskQueue, { activities: createActivities({ db, temporal: env.client }) });
  running = worker.run();
  api = await startTestApi(env, db, taskQueue);
});

afterAll(async () => {
  await api?.close();
  worker?.shutdown();
  await running;
  await db?.$disconnect();
  await env?.teardown();
});

/** Cadences every so many days; the board report runs monthly on day 1 at 09:00 in the organisation's time zone. */
const EVERY = { executive_updates: 7, technical_reviews: 14 } as const;
const SCHEDULED = { ...EVERY, board_reporting: 'monthly' } as const;

async function scheduleExists(id: string): Promise<boolean> {
  try {
    await env.client.schedule.getHandle(id).describe();
    return true;
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return false;
    throw err;
  }
}

/** An open architecture review past its SLA, with a decision yesterday: what the report must pick up. */
async function overdueReviewFixture() {
  const key = `OVERDUE-${randomUUID().slice(0, 8)}`;
  const workflowId = `architecture-review/${key}`;
  await db.process.create({
    data: {
      workflowId, kind: 'architecture_review', businessKey: key, title: `Overdue review ${key}`, requester: 'rita', stage: 'in_review',
      policyVersion: 'fixture', pendingRoles: ['security_architect'], slaDueAt: new Date(Date.now() - 3 * DAY), state: {},
    },
  });
  await db.decision.create({ data: { workflowId, eventKey: '2', actor: 'tom', role: 'technical_lead', verdict: 'approve', conditions: [], evidence: [], decidedAt: new Date(Date.now() - DAY) } });
  return workflowId;
}

describe('a report is about its own engagement', () => {
  it('lists the decisions of the engagement, its children and their committee items, with their subjects, and nothing else', async () => {
    const key = randomUUID().slice(0, 8);
    const engagement = `roadmap-engagement/RM-${key}`;
    const child = `architecture-review/RM-${key}-ARCH`;
    const committee = `committee-approval/architecture-review.RM-${key}-ARCH`;
    const unrelated = await overdueReviewFixture();
    const row = (workflowId: string, kind: string, title: string, state: object = {}) =>
      // Closed, so that no other test file's view of open processes meets these partial states.
      db.process.create({ data: { workflowId, kind, businessKey: workflowId.split('/')[1]!, title, requester: 'rita', stage: 'closed', outcome: 'approved', completedAt: new Date(), policyVersion: 'fixture', pendingRoles: [], state } });
    await row(engagement, 'roadmap_engagement', 'Roadmap 2027', { children: [{ workflowId: child }] });
    await row(child, 'architecture_review', 'Data platform review');
    await row(committee, 'committee_approval', 'Committee: data platform');
    const decided = (workflowId: string, eventKey: string) =>
      db.decision.create({ data: { workflowId, eventKey, actor: 'cleo', role: 'committee_member', verdict: 'approve', conditions: [], evidence: [], decidedAt: new Date() } });
    await decided(child, '1');
    await decided(committee, '1');
    const content = await compileReport(db, { scheduleId: `s-${key}`, kind: 'board_reporting', scope: engagement, periodStart: new Date(Date.now() - 30 * DAY).toISOString(), periodEnd: new Date(Date.now() + DAY).toISOString() });
    expect(content.decisions.map((d) => [d.workflowId, d.subject])).toEqual([[child, 'Data platform review'], [committee, 'Committee: data platform']]);
    expect(content.decisions.map((d) => d.workflowId)).not.toContain(unrelated);
    expect(content.engagement).toBeNull();
    // As a board report: the decisions with what they were about and who took them.
    const board = await compileReport(db, { scheduleId: `s-${key}`, kind: 'board_reporting', scope: engagement, periodStart: new Date(Date.now() - 30 * DAY).toISOString(), periodEnd: new Date(Date.now() + DAY).toISOString(), template: 'board_report' });
    expect(board.sections).toMatchObject({
      template: 'board_report',
      decisions: [
        { workflowId: child, subject: 'Data platform review', actor: 'cleo', role: 'committee_member', verdict: 'approve' },
        { workflowId: committee, subject: 'Committee: data platform', actor: 'cleo' },
      ],
    });
  });
});

describe('CTO engagement reporting on Temporal Schedules', () => {
  it('creates one schedule per cadence, stores a triggered report, serves it, and deletes the schedules on termination', async () => {
    const sponsor = await api.tokenFor('carla', 'requester');
    const lead = await api.tokenFor('lena', 'engagement_lead');
    const execSponsor = await api.tokenFor('sara', 'executive_sponsor');
    const key = `CTO-${randomUUID().slice(0, 8)}`;
    const workflowId = `cto-engagement/${key}`;

    const badType = await api.call('POST', '/cto-engagements', { token: sponsor, body: { businessKey: key, title: 'x', clientOrg: 'Acme', engagementType: 'fractional_cto', termMonths: 6, engagementLead: 'lena', sponsor: 'sara' } });
    expect(badType.status).toBe(400);
    expect(badType.body.errors).toEqual([expect.objectContaining({ path: 'engagementType' })]);
    const badTerm = await api.call('POST', '/cto-engagements', { token: sponsor, body: { businessKey: key, title: 'x', clientOrg: 'Acme', engagementType: 'project_cto', termMonths: 13, engagementLead: 'lena', sponsor: 'sara' } });
    expect(badTerm.status).toBe(400);
    expect(badTerm.body.errors).toEqual([expect.objectContaining({ path: 'termMonths' })]);
    expect((await api.call('POST', '/cto-engagements', { token: lead, body: { businessKey: key, title: 'x', clientOrg: 'Acme', engagementType: 'project_cto', termMonths: 3, engagementLead: 'lena', sponsor: 'sara' } })).status).toBe(403);
    const noSponsor = await api.call('POST', '/cto-engagements', { token: sponsor, body: { businessKey: key, title: 'x', clientOrg: 'Acme', engagementType: 'project_cto', termMonths: 3, engagementLead: 'lena', sponsor: 'lena' } });
    expect(noSponsor.body.errors).toEqual([{ path: 'sponsor', message: 'must name an active principal holding executive_sponsor' }]);

    const started = await api.call('POST', '/cto-engagements', {
      token: sponsor,
      body: { businessKey: key, title: 'Logistics platform', clientOrg: 'Acme Logistics', engagementType: 'project_cto', termMonths: 3, engagementLead: 'lena', sponsor: 'sara' },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body.workflowId).toBe(workflowId);

    const scheduled = await waitFor('the reporting schedules', async () => {
      const res = await api.call('GET', `/cto-engagements/${key}`, { token: sponsor });
      return res.body?.reportingStatus === 'scheduled' ? (res.body as CtoEngagementState) : null;
    });
    expect(scheduled.reporting.map((r) => r.key).sort()).toEqual(Object.keys(SCHEDULED).sort());
    for (const kind of Object.keys(SCHEDULED)) {
      const described = await env.client.schedule.getHandle(reportScheduleId(workflowId, kind)).describe();
      if (kind in EVERY) expect(described.spec.intervals?.[0]?.every).toBe(EVERY[kind as keyof typeof EVERY] * DAY);
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'buildReport', taskQueue });
    }
    const board = await env.client.schedule.getHandle(reportScheduleId(workflowId, 'board_reporting')).describe();
    expect(board.spec.intervals ?? []).toEqual([]);
    expect(board.spec.timezone).toBe('Europe/Brussels');
    expect(board.spec.calendars).toEqual([expect.objectContaining({ dayOfMonth: [{ start: 1, end: 1, step: 1 }], hour: [{ start: 9, end: 9, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] })]);
    // Its next runs: the 1st of the coming months at 09:00 in Brussels.
    const brussels = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Brussels', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const nextRuns = board.info.nextActionTimes.slice(0, 3);
    expect(nextRuns.length).toBe(3);
    for (const at of nextRuns) expect(brussels.format(at)).toBe('1, 09:00');
    expect(new Set(nextRuns.map((d) => d.getUTCMonth())).size).toBe(3);
    // "as needed" communication has no cadence, so no schedule.
    expect(await scheduleExists(reportScheduleId(workflowId, 'stakeholder_communication'))).toBe(false);

    const delivered = await api.call('POST', `/cto-engagements/${key}/deliverables`, { token: lead, body: { deliverable: 'technical_decisions', documentRef: 'https://docs.example.com/adr' } });
    expect(delivered.status, JSON.stringify(delivered.body)).toBe(200);
    const engagement = await api.call('GET', `/cto-engagements/${key}`, { token: lead });
    expect(engagement.body.deliverables.find((d: { key: string }) => d.key === 'technical_decisions').status).toBe('delivered');
    const overdueId = await overdueReviewFixture();
    await waitFor('the delivery in the projection', async () => {
      const row = await db.process.findUnique({ where: { workflowId } });
      return (row?.state as unknown as CtoEngagementState | undefined)?.deliverables.some((d) => d.status === 'delivered') ?? false;
    });

    // A run's period ends at its nominal time, which the server keeps in whole seconds: trigger in a later one.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const scheduleId = reportScheduleId(workflowId, 'executive_updates');
    await env.client.schedule.getHandle(scheduleId).trigger();
    const stored = await waitFor('the triggered report', () => db.report.findFirst({ where: { scope: workflowId, kind: 'executive_updates' } }), 60_000, 300);
    expect(stored.periodEnd.getTime() - stored.periodStart.getTime()).toBe(7 * DAY);
    const content = stored.content as unknown as ReportContent;
    expect(content.engagement).toMatchObject({
      workflowId,
      engagementType: 'project_cto',
      stage: 'active',
      deliverables: { total: 3, delivered: 1, pending: ['project_leadership', 'implementation_oversight'], deliveredInPeriod: ['technical_decisions'] },
    });
    expect(content.engagement!.daysRemaining).toBeGreaterThanOrEqual(88);
    // A review the engagement did not start is not in its report, however overdue.
    for (const list of [content.overdue, content.openReviews, content.decisions]) expect(list.map((r) => r.workflowId)).not.toContain(overdueId);
    expect(content.summary).toMatchObject({ overdue: 0, openReviews: 0, decisions: 0 });
    // The pinned policy names the cadence's template: an executive update, with a status and its reasons.
    expect(content.sections).toMatchObject({ template: 'executive_update', progress: ['technical decisions delivered'], blockers: [] });
    expect(content.status).toMatchObject({ rating: 'green' });
    expect(Date.parse(content.period.start)).toBeGreaterThanOrEqual(Date.parse(started.headers.get('date')!) - 1000);

    // Idempotent: the same schedule and period never makes a second report.
    const again = await compileAndStoreReport(db, { scheduleId, kind: 'executive_updates', scope: workflowId, periodStart: stored.periodStart.toISOString(), periodEnd: stored.periodEnd.toISOString() });
    expect(again).toEqual({ id: stored.id, created: false });
    expect(await db.report.count({ where: { scope: workflowId } })).toBe(1);

    // Through the API.
    const cto = await api.tokenFor('chloe', 'chief_technology_officer');
    const list = await api.call('GET', `/reports?scope=${encodeURIComponent(workflowId)}&kind=executive_updates`, { token: cto });
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([stored.id]);
    expect((await api.call('GET', `/reports?scope=${encodeURIComponent(workflowId)}&kind=board_reporting`, { token: cto })).body.items).toEqual([]);
    const one = await api.call('GET', `/reports/${stored.id}`, { token: lead });
    expect(one.status).toBe(200);
    expect(one.body.content.engagement.workflowId).toBe(workflowId);
    expect((await api.call('GET', '/reports/rpt_nope', { token: cto })).status).toBe(404);
    // The engagement's own people read its reports; another sponsor neither lists nor reads them.
    expect((await api.call('GET', `/reports/${stored.id}`, { token: execSponsor })).status).toBe(200);
    expect((await api.call('GET', '/reports', { token: sponsor })).body.items.map((r: { id: string }) => r.id)).toContain(stored.id);
    const otherSponsor = await api.tokenFor('otto', 'executive_sponsor');
    expect((await api.call('GET', '/reports', { token: otherSponsor })).body.items).toEqual([]);
    expect((await api.call('GET', `/reports/${stored.id}`, { token: otherSponsor })).status).toBe(403);
    expect((await api.call('GET', `/reports?scope=${encodeURIComponent(workflowId)}`, { token: otherSponsor })).status).toBe(403);

    // The lead sends a stakeholder communication (the policy's "as needed" cadence); nobody else may.
    const message = { scope: workflowId, subject: 'Cut-over moved a week', message: 'The carrier API freeze moves the cut-over to 12 January.\nNothing else changes.', audience: ['board'] };
    expect((await api.call('POST', '/reports/communications', { token: sponsor, body: message })).status).toBe(403);
    const sent = await api.call('POST', '/reports/communications', { token: lead, body: message });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toMatchObject({ kind: 'stakeholder_communication', scope: workflowId });
    const communication = await api.call('GET', `/reports/${sent.body.id}`, { token: execSponsor });
    expect(communication.body.content.sections).toEqual({ template: 'stakeholder_communication', ...message, scope: undefined, from: 'lena' });
    expect(communication.body.content.status.rating).toMatch(/^(green|amber|red)$/);
    expect((await api.call('GET', `/reports/${sent.body.id}`, { token: otherSponsor })).status).toBe(403);
    expect(await db.auditEntry.count({ where: { workflowId, action: 'stakeholder_communication_sent', actor: 'lena' } })).toBe(1);

    // A monthly board report covers the calendar month up to its run (the same day and time a month before).
    await env.client.schedule.getHandle(reportScheduleId(workflowId, 'board_reporting')).trigger();
    const boardReport = await waitFor('the board report', () => db.report.findFirst({ where: { scope: workflowId, kind: 'board_reporting' } }), 60_000, 300);
    const end = boardReport.periodEnd.toISOString();
    expect(boardReport.periodStart.toISOString()).toBe(`${addMonths(end.slice(0, 10), -1)}${end.slice(10)}`);

    // Renewal beyond the type's maximum is a rule the workflow refuses (422); within it, it moves the term.
    expect((await api.call('POST', `/cto-engagements/${key}/renew`, { token: sponsor, body: { months: 10, reason: 'long' } })).status).toBe(422);
    const renewed = await api.call('POST', `/cto-engagements/${key}/renew`, { token: sponsor, body: { months: 1, reason: 'phase two' } });
    expect(renewed.status).toBe(200);
    // The receipt's due date is the term's end: a 3-month term renewed by one calendar month.
    expect(renewed.body.slaDueAt).toBe(`${addMonths(scheduled.startDate, 4)}T00:00:00.000Z`);

    const terminated = await api.call('POST', `/cto-engagements/${key}/terminate`, { token: sponsor, body: { reason: 'acquired by a competitor' } });
    expect(terminated.status, JSON.stringify(terminated.body)).toBe(200);
    expect(terminated.body.outcome).toBe('terminated');
    const final = (await env.client.workflow.getHandle(workflowId).result()) as CtoEngagementState;
    expect(final.reportingStatus).toBe('removed');
    for (const kind of Object.keys(SCHEDULED)) expect(await scheduleExists(reportScheduleId(workflowId, kind))).toBe(false);
    expect((await api.call('POST', `/cto-engagements/${key}/terminate`, { token: sponsor, body: { reason: 'again' } })).status).toBe(409);
    // Its closing report covers the whole engagement: how it ended, what was delivered and what was not.
    const closing = await db.report.findUniqueOrThrow({ where: { id: final.closingReportId! } });
    expect(closing.kind).toBe('closing_report');
    expect((closing.content as unknown as ReportContent).sections).toMatchObject({
      template: 'closing_report',
      outcome: 'terminated',
      reason: 'acquired by a competitor',
      delivered: [expect.objectContaining({ key: 'technical_decisions' })],
      outstanding: [expect.objectContaining({ key: 'project_leadership' }), expect.objectContaining({ key: 'implementation_oversight' })],
    });
    expect((await api.call('GET', `/reports/${closing.id}`, { token: execSponsor })).status).toBe(200);

    // The engagement's retrospective was started as it ended; participants add insights through the API.
    const retroKey = `cto-${key}`;
    const retro = await waitFor('the retrospective', async () => {
      const res = await api.call('GET', `/retrospectives/${retroKey}`, { token: lead });
      return res.status === 200 ? res.body : null;
    });
    expect(retro).toMatchObject({ subjectWorkflowId: workflowId, facilitator: 'lena', stage: 'capturing' });
    const insight = await api.call('POST', `/retrospectives/${retroKey}/insights`, { token: sponsor, body: { text: 'Reporting kept the board informed', category: 'went_well' } });
    expect(insight.status, JSON.stringify(insight.body)).toBe(200);
    expect((await api.call('GET', `/retrospectives/${retroKey}`, { token: lead })).body.insights).toHaveLength(1);
    const stranger = await api.tokenFor('sid', 'technical_lead');
    expect((await api.call('POST', `/retrospectives/${retroKey}/insights`, { token: stranger, body: { text: 'hi' } })).status).toBe(403);
  });

  it('runs a retrospective through every action of the API', async () => {
    const facilitator = await api.tokenFor('fiona', 'engagement_lead');
    const owner = await api.tokenFor('paul', 'technical_lead');
    const key = `RETRO-${randomUUID().slice(0, 8)}`;
    const body = { businessKey: key, title: 'Phase 1 retrospective', subjectWorkflowId: 'roadmap-engagement/RM-9', participants: ['paul'], facilitator: 'fiona' };
    expect((await api.call('POST', '/retrospectives', { token: owner, body })).status).toBe(403);
    expect((await api.call('POST', '/retrospectives', { token: facilitator, body: { ...body, participants: [] } })).status).toBe(400);
    const unknownPeople = await api.call('POST', '/retrospectives', { token: facilitator, body: { ...body, participants: ['paul', 'nobody'] } });
    expect(unknownPeople.status).toBe(400);
    expect(unknownPeople.body.errors).toEqual([expect.objectContaining({ path: 'participants.1' })]);
    const started = await api.call('POST', '/retrospectives', { token: facilitator, body });
    expect(started.status, JSON.stringify(started.body)).toBe(201);

    const call = (path: string, token: string, payload: unknown) => api.call('POST', `/retrospectives/${key}/${path}`, { token, body: payload });
    // Participants hold no special role: the retrospective reaches their inbox by name, and leaves it when done.
    const inboxOf = async (token: string) => ((await api.call('GET', '/inbox', { token })).body.items as { businessKey: string }[]).map((i) => i.businessKey);
    await waitFor('the retrospective in the participant’s inbox', async () => (await inboxOf(owner)).includes(key) || null);
    expect((await call('insights', owner, { text: 'Too many meetings', category: 'to_improve' })).status).toBe(200);
    expect((await call('close-capture', owner, {})).status).toBe(403);
    expect((await call('close-capture', facilitator, {})).status).toBe(200);
    const due = new Date(Date.now() + 7 * DAY).toISOString().slice(0, 10);
    expect((await call('synthesis', facilitator, { themes: [{ title: 'Meetings', summary: 'Cut them' }], actions: [{ title: 'Halve standing meetings', owner: 'paul', dueDate: 'soon' }] })).status).toBe(400);
    const synthesised = await call('synthesis', facilitator, { themes: [{ title: 'Meetings', summary: 'Cut them', insightIds: ['I1'] }], actions: [{ title: 'Halve standing meetings', owner: 'paul', dueDate: due }] });
    expect(synthesised.status, JSON.stringify(synthesised.body)).toBe(200);
    await waitFor('the retrospective in the facilitator’s inbox only', async () => ((await inboxOf(facilitator)).includes(key) && !(await inboxOf(owner)).includes(key)) || null);
    expect((await call('dissemination-plan', facilitator, { audiences: ['delivery'], channels: ['wiki'] })).status).toBe(200);
    await waitFor('the open action in its owner’s inbox', async () => (await inboxOf(owner)).includes(key) || null);
    expect((await call('complete-action', facilitator, { actionId: 'A1' })).status).toBe(403);
    const done = await call('complete-action', owner, { actionId: 'A1', note: 'calendar cleaned up' });
    expect(done.status).toBe(200);
    const result = (await env.client.workflow.getHandle(`retrospective/${key}`).result()) as { outcome: string };
    expect(result.outcome).toBe('completed');
  });
});
