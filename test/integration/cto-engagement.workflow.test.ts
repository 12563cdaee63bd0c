import type { WorkflowHandle } from '@temporalio/client';
import type { ctoEngagement } from '../../workflows/cto-engagement/workflow.js';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { extendDeadlineUpdate, stateQuery, withdrawUpdate, type Actor } from '../../workflows/contracts/common.js';
import { addDays, addMonths } from '../../domain/engines/calendar.js';
import { deliverUpdate, renewUpdate, terminateUpdate, type CtoEngagementInput, type CtoEngagementState } from '../../workflows/cto-engagement/contract.js';
import type { RetrospectiveState } from '../../workflows/retrospective/contract.js';
import { admin, person } from '../support/actors.js';
import { waitFor } from '../support/processes.js';
import { useWorkflowStack } from '../support/stack.js';
import { refusal, actThenState } from '../support/updates.js';

const DAY = 24 * 60 * 60 * 1000;
const stack = useWorkflowStack('cto-engagement');
const { taskQueue } = stack;
const sponsor = person('carla', 'requester', 'executive_sponsor');
const lead = person('lena', 'engagement_lead');
const otherLead = person('leo', 'engagement_lead');

async function startEngagement(engagementType: string, extra: Partial<CtoEngagementInput> = {}, settle = true) {
  const businessKey = `CTO-${randomUUID().slice(0, 8)}`;
  const input: CtoEngagementInput = {
    businessKey,
    title: `Platform modernisation ${businessKey}`,
    clientOrg: 'Acme Logistics',
    engagementType,
    requester: sponsor,
    engagementLead: lead.id,
    policyVersion: stack.policySet.version.id,
    policy: stack.policySet.ctoServiceModel,
    ...extra,
  };
  const handle = await stack.env.client.workflow.start<typeof ctoEngagement>('ctoEngagement', { taskQueue, workflowId: `cto-engagement/${businessKey}`, args: [input] });
  if (settle) {
    // Let the reporting set-up settle first, so the order of recorded events is fixed.
    await waitFor('the reporting set-up', async () => ((await handle.query(stateQuery)) as CtoEngagementState).reportingStatus !== 'pending');
  }
  return { handle, businessKey };
}

type Handle = WorkflowHandle<typeof ctoEngagement>;

const state = async (h: Handle) => (await h.query(stateQuery)) as CtoEngagementState;
const deliver = (h: Handle, actor: Actor, deliverable: string, documentRef = `https://docs.example.com/${deliverable}`) =>
  actThenState(h, deliverUpdate, { args: [{ actor, deliverable, documentRef, summary: `${deliverable} v1` }] });

/** The error code a refused Update answered with. */
const refusedWith = async (promise: Promise<unknown>) => (await refusal(promise)).type;

const actions = (s: CtoEngagementState) => s.events.map((e) => e.action);

describe('CTO engagement', () => {
  it('a 3-month project engagement tracks its deliverables, reminds before the end and completes at term end', async () => {
    const { handle, businessKey } = await startEngagement('project_cto', { termMonths: 3, retrospectiveParticipants: ['pat'] });
    const started = await state(handle);
    expect(started.deliverables.map((d) => d.key)).toEqual(['project_leadership', 'technical_decisions', 'implementation_oversight']);
    expect(started.termEndsAt).toBe(`${addMonths(started.startDate, 3)}T00:00:00.000Z`);
    expect(started.pendingRoles).toEqual(['engagement_lead']);

    expect(await refusedWith(deliver(handle, otherLead, 'technical_decisions'))).toBe('Forbidden');
    expect(await refusedWith(deliver(handle, lead, 'strategy'))).toBe('ValidationError');
    expect(await refusedWith(deliver(handle, lead, 'technical_decisions', ' '))).toBe('RuleViolation');
    await deliver(handle, lead, 'technical_decisions');
    const second = await deliver(handle, lead, 'technical_decisions', 'https://docs.example.com/adr-log-v2');
    expect(second.deliverables.find((d) => d.key === 'technical_decisions')).toMatchObject({ status: 'delivered', deliveries: [{ by: 'lena' }, { documentRef: 'https://docs.example.com/adr-log-v2' }] });

    const result = (await handle.result()) as CtoEngagementState;
    expect(result.outcome).toBe('completed');
    expect(result.stage).toBe('closed');
    // No Temporal client in this worker: the engagement says so instead of pretending reports are scheduled.
    expect(result.reportingStatus).toBe('not_configured');
    expect(actions(result)).toEqual([
      'started',
      'reporting_not_scheduled',
      'deliverable_delivered',
      'deliverable_delivered',
      'term_end_reminder',
      'term_ended',
      'closing_report_stored',
      'retrospective_started',
    ]);
    // The closing report, stored as the engagement ended, says how it ended.
    const closing = await stack.db.report.findUniqueOrThrow({ where: { id: result.closingReportId! } });
    expect(closing).toMatchObject({ kind: 'closing_report', scope: result.workflowId, content: { sections: { template: 'closing_report', outcome: 'completed', reason: `the term ended on ${result.termEndsAt!.slice(0, 10)}` } } });
    const reminder = result.events.find((e) => e.action === 'term_end_reminder')!;
    expect(Date.parse(result.termEndsAt!) - Date.parse(reminder.at)).toBeLessThanOrEqual(30 * DAY);
    const ended = result.events.find((e) => e.action === 'term_ended')!;
    expect(Date.parse(ended.at)).toBeGreaterThanOrEqual(Date.parse(result.termEndsAt!));
    expect(ended.details.outstandingDeliverables).toEqual(['project_leadership', 'implementation_oversight']);
    expect(result.notices.filter((n) => n.kind === 'reminder')).toEqual([expect.objectContaining({ recipients: ['carla', 'lena'] })]);

    // The retrospective outlives the engagement (ABANDON): it is running, about this engagement.
    expect(result.retrospectiveWorkflowId).toBe(`retrospective/cto-${businessKey}`);
    const retro = stack.env.client.workflow.getHandle(result.retrospectiveWorkflowId!);
    expect((await retro.describe()).status.name).toBe('RUNNING');
    const retroState = (await retro.query(stateQuery)) as RetrospectiveState;
    // (Its stage depends on how far the test server has skipped time since: capture may already have closed.)
    expect(retroState).toMatchObject({ subjectWorkflowId: handle.workflowId, facilitator: 'lena' });
    expect(retroState.participants.sort()).toEqual(['carla', 'lena', 'pat']);

    const row = await waitFor('the completed process row', () => stack.db.process.findFirst({ where: { workflowId: handle.workflowId, completedAt: { not: null } } }));
    expect(row.outcome).toBe('completed');
    const audit = await stack.db.auditEntry.findMany({ where: { workflowId: handle.workflowId }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(actions(result));
  });

  it('counts a term in calendar months: 12 months from 1 December end on 1 December, a month end stays a month end', async () => {
    // Dates after the test server's clock, which the other tests move on by months.
    const { handle } = await startEngagement('interim_cto', { termMonths: 12, startDate: '2030-12-01' });
    const year = await state(handle);
    expect(year.termEndsAt).toBe('2031-12-01T00:00:00.000Z');
    expect(year.slaDueAt).toBe('2031-12-01T00:00:00.000Z');
    expect((await actThenState(handle, renewUpdate, { args: [{ actor: sponsor, months: 2, reason: 'phase two' }] })).termEndsAt).toBe('2032-02-01T00:00:00.000Z');
    const { handle: monthEnd } = await startEngagement('interim_cto', { termMonths: 6, startDate: '2030-08-31' });
    expect((await state(monthEnd)).termEndsAt).toBe('2031-02-28T00:00:00.000Z');
    for (const h of [handle, monthEnd]) await h.executeUpdate(terminateUpdate, { args: [{ actor: sponsor, reason: 'test over' }] });
  });

  it('renews and extends the term within the type’s maximum, and completes at the new end', async () => {
    const { handle } = await startEngagement('project_cto', { termMonths: 3 });
    expect(await refusedWith(handle.executeUpdate(renewUpdate, { args: [{ actor: lead, months: 2, reason: 'more work' }] }))).toBe('Forbidden');
    expect(await refusedWith(handle.executeUpdate(renewUpdate, { args: [{ actor: sponsor, months: 10, reason: 'a long one' }] }))).toBe('RuleViolation');
    expect(await refusedWith(handle.executeUpdate(renewUpdate, { args: [{ actor: sponsor, months: 2, reason: ' ' }] }))).toBe('RuleViolation');

    const before = await state(handle);
    await stack.env.sleep('70 days'); // inside the reminder window of the first term
    const reminded = await state(handle);
    expect(reminded.notices.filter((n) => n.kind === 'reminder')).toHaveLength(1);

    const renewed = await actThenState(handle, renewUpdate, { args: [{ actor: sponsor, months: 2, reason: 'phase two' }] });
    expect(renewed.termEndsAt).toBe(`${addMonths(before.startDate, 5)}T00:00:00.000Z`);
    const extended = await actThenState(handle, extendDeadlineUpdate, { args: [{ actor: admin, days: 10, reason: 'hand-over' }] });
    expect(extended.termEndsAt).toBe(`${addDays(addMonths(before.startDate, 5), 10)}T00:00:00.000Z`);
    expect(extended.termDays).toBe(160);
    expect(extended.termChanges.map((c) => c.kind)).toEqual(['renewal', 'extension']);
    // 160 days + 7 months would exceed the 12-month maximum.
    expect(await refusedWith(handle.executeUpdate(renewUpdate, { args: [{ actor: sponsor, months: 7, reason: 'more' }] }))).toBe('RuleViolation');

    const result = (await handle.result()) as CtoEngagementState;
    expect(result.outcome).toBe('completed');
    const ended = result.events.find((e) => e.action === 'term_ended')!;
    expect(Date.parse(ended.at)).toBeGreaterThanOrEqual(Date.parse(extended.termEndsAt!));
    // The renewal re-armed the end reminder for the new term.
    expect(result.notices.filter((n) => n.kind === 'reminder')).toHaveLength(2);
    expect(result.endReminderSentFor).toBe(extended.termEndsAt);
  });

  it('is terminated early by the requester with a reason; withdrawal is refused once work was delivered', async () => {
    const { handle } = await startEngagement('interim_cto', { termMonths: 6 });
    // The lead is out of office: their deputy (another engagement lead) delivers in their seat, on their behalf.
    const delivered = await actThenState(handle, deliverUpdate, { args: [{ actor: { ...otherLead, onBehalfOf: lead.id }, deliverable: 'strategy', documentRef: 'https://docs.example.com/strategy' }] });
    expect(delivered.events.at(-1)).toMatchObject({ action: 'deliverable_delivered', actor: 'leo', details: expect.objectContaining({ onBehalfOf: 'lena' }) });
    expect(await refusedWith(handle.executeUpdate(withdrawUpdate, { args: [{ actor: sponsor, reason: 'changed our mind' }] }))).toBe('Conflict');
    expect(await refusedWith(handle.executeUpdate(terminateUpdate, { args: [{ actor: lead, reason: 'done' }] }))).toBe('Forbidden');
    expect(await refusedWith(handle.executeUpdate(terminateUpdate, { args: [{ actor: sponsor, reason: '' }] }))).toBe('RuleViolation');
    const terminated = await actThenState(handle, terminateUpdate, { args: [{ actor: sponsor, reason: 'budget cut' }] });
    expect(terminated).toMatchObject({ outcome: 'terminated', stage: 'closed', termination: { by: 'carla', reason: 'budget cut' } });
    const result = (await handle.result()) as CtoEngagementState;
    expect(result.outcome).toBe('terminated');
    expect(actions(result)).toEqual(['started', 'reporting_not_scheduled', 'deliverable_delivered', 'terminated', 'closing_report_stored', 'retrospective_started']);
    expect(result.events.find((e) => e.action === 'terminated')!.details).toMatchObject({ reason: 'budget cut', outstandingDeliverables: ['team_building', 'process_establishment'] });
  });

  it('an ongoing advisory engagement has no term to renew; a withdrawal before any delivery ends it without a retrospective', async () => {
    const { handle } = await startEngagement('advisory_cto');
    const s = await state(handle);
    expect(s.termEndsAt).toBeNull();
    expect(await refusedWith(handle.executeUpdate(renewUpdate, { args: [{ actor: sponsor, months: 3, reason: 'more' }] }))).toBe('Conflict');
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: sponsor, reason: 'merged into another engagement' }] });
    const result = (await handle.result()) as CtoEngagementState;
    expect(result.outcome).toBe('withdrawn');
    expect(result.retrospectiveWorkflowId).toBeNull();
  });

  it('refuses a term outside the engagement type’s duration', async () => {
    const { handle } = await startEngagement('project_cto', { termMonths: 2 }, false);
    const err = await handle.result().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe('ValidationError');
  });

  it('continues as new without losing any state, and keeps numbering events where it left off', async () => {
    const { handle } = await startEngagement('project_cto', { termMonths: 6, continueAsNewAfterDays: 10 });
    await deliver(handle, lead, 'project_leadership');
    await deliver(handle, lead, 'technical_decisions');
    await handle.executeUpdate(renewUpdate, { args: [{ actor: sponsor, months: 1, reason: 'scope grew' }] });
    await stack.env.sleep('1 day');
    const before = await state(handle);

    await stack.env.sleep('11 days'); // past the 10-day mark: the run continued as new
    const described = await handle.describe();
    expect(described.runId).not.toBe(handle.firstExecutionRunId);
    const firstRun = await stack.env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
    expect(firstRun.status.name).toBe('CONTINUED_AS_NEW');

    const after = await state(handle);
    expect(after).toEqual(before);

    // The new run carries on: event numbers continue, and the database projection keeps taking its writes.
    const lastSeq = Math.max(...before.events.map((e) => e.seq), ...before.notices.map((n) => n.seq));
    const delivered = await deliver(handle, lead, 'implementation_oversight');
    expect(delivered.events.at(-1)).toMatchObject({ action: 'deliverable_delivered', seq: lastSeq + 1 });
    expect(delivered.deliverables.every((d) => d.status === 'delivered')).toBe(true);
    await waitFor('the projection of the new run', async () => {
      const row = await stack.db.process.findUnique({ where: { workflowId: handle.workflowId } });
      return (row?.state as unknown as CtoEngagementState | undefined)?.deliverables.every((d) => d.status === 'delivered') ?? false;
    });

    await handle.executeUpdate(terminateUpdate, { args: [{ actor: sponsor, reason: 'goals met early' }] });
    const result = (await handle.result()) as CtoEngagementState;
    expect(result.outcome).toBe('terminated');
    expect(result.events.slice(0, before.events.length)).toEqual(before.events);
    expect(result.termChanges).toEqual(before.termChanges);
    const audit = await stack.db.auditEntry.findMany({ where: { workflowId: handle.workflowId }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => a.eventKey)).toEqual(result.events.map((e) => `${handle.workflowId}#${e.seq}`));
  });
});
