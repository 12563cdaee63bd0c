import type { WorkflowHandle } from '@temporalio/client';
import type { retrospective } from '../../workflows/retrospective/workflow.js';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extendDeadlineUpdate, stateQuery, withdrawUpdate } from '../../workflows/contracts/common.js';
import { addInsightUpdate, closeCaptureUpdate, completeActionUpdate, planDisseminationUpdate, synthesiseUpdate, type RetrospectiveInput, type RetrospectiveState } from '../../workflows/retrospective/contract.js';
import { person } from '../support/actors.js';
import { waitFor } from '../support/processes.js';
import { useWorkflowStack } from '../support/stack.js';
import { refusal, actThenState } from '../support/updates.js';

const DAY = 24 * 60 * 60 * 1000;
const stack = useWorkflowStack('retrospective');
const { taskQueue } = stack;
const facilitator = person('fiona', 'engagement_lead');
const paul = person('paul', 'technical_lead');
const petra = person('petra', 'enterprise_architect');
const outsider = person('oscar', 'technical_lead');
const sponsor = person('carla', 'executive_sponsor');

async function startRetro(extra: Partial<RetrospectiveInput> = {}) {
  const businessKey = `RETRO-${randomUUID().slice(0, 8)}`;
  const input: RetrospectiveInput = {
    businessKey,
    title: `Roadmap phase 1 retrospective ${businessKey}`,
    subjectWorkflowId: 'roadmap-engagement/RM-1',
    participants: [paul.id, petra.id],
    facilitator: facilitator.id,
    requester: sponsor,
    policyVersion: stack.policySet.version.id,
    ...extra,
  };
  return stack.env.client.workflow.start<typeof retrospective>('retrospective', { taskQueue, workflowId: `retrospective/${businessKey}`, args: [input] });
}

type Handle = WorkflowHandle<typeof retrospective>;

/** The error code a refused Update answered with. */
const refusedWith = async (promise: Promise<unknown>) => (await refusal(promise)).type;

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const state = async (h: Handle) => (await h.query(stateQuery)) as RetrospectiveState;

describe('retrospective', () => {
  it('captures insights, synthesises, plans dissemination, reminds the owner of an overdue action and completes', async () => {
    const handle = await startRetro();
    await handle.executeUpdate(addInsightUpdate, { args: [{ actor: paul, text: 'Weekly demos kept the sponsor close', category: 'went_well' }] });
    await handle.executeUpdate(addInsightUpdate, { args: [{ actor: petra, text: 'The gap analysis started too late', category: 'to_improve' }] });
    expect(await refusedWith(handle.executeUpdate(addInsightUpdate, { args: [{ actor: outsider, text: 'not mine to say' }] }))).toBe('Forbidden');
    expect(await refusedWith(handle.executeUpdate(addInsightUpdate, { args: [{ actor: paul, text: '  ' }] }))).toBe('RuleViolation');
    expect(await refusedWith(handle.executeUpdate(synthesiseUpdate, { args: [{ actor: facilitator, themes: [{ title: 't', summary: 's' }], actions: [] }] }))).toBe('Conflict');
    expect(await refusedWith(handle.executeUpdate(closeCaptureUpdate, { args: [{ actor: paul }] }))).toBe('Forbidden');

    const closed = await actThenState(handle, closeCaptureUpdate, { args: [{ actor: facilitator }] });
    expect(closed).toMatchObject({ stage: 'synthesising', pendingRoles: ['facilitator'] });
    expect(await refusedWith(handle.executeUpdate(addInsightUpdate, { args: [{ actor: paul, text: 'late thought' }] }))).toBe('Conflict');

    const now = Date.parse((await state(handle)).events.at(-1)!.at);
    const themes = [{ title: 'Start the assessment early', summary: 'Gap analysis gated the strategy phase', insightIds: ['I2'] }];
    const past = await refusedWith(handle.executeUpdate(synthesiseUpdate, { args: [{ actor: facilitator, themes, actions: [{ title: 'x', owner: paul.id, dueDate: isoDate(now - 3 * DAY) }] }] }));
    expect(past).toBe('RuleViolation');
    expect(await refusedWith(handle.executeUpdate(synthesiseUpdate, { args: [{ actor: facilitator, themes: [{ ...themes[0]!, insightIds: ['I9'] }], actions: [] }] }))).toBe('RuleViolation');
    const synthesised = await actThenState(handle, synthesiseUpdate, {
      args: [{
        actor: facilitator,
        themes,
        actions: [
          { title: 'Add a gap-analysis kick-off to the playbook', owner: paul.id, dueDate: isoDate(now + 5 * DAY) },
          { title: 'Share the demo cadence with other engagements', owner: petra.id, dueDate: isoDate(now + 10 * DAY) },
        ],
      }],
    });
    expect(synthesised.stage).toBe('planning_dissemination');
    expect(synthesised.actions.map((a) => [a.id, a.owner, a.status])).toEqual([['A1', 'paul', 'open'], ['A2', 'petra', 'open']]);

    expect(await refusedWith(handle.executeUpdate(planDisseminationUpdate, { args: [{ actor: facilitator, audiences: ['engineering'], channels: [] }] }))).toBe('RuleViolation');
    const planned = await actThenState(handle, planDisseminationUpdate, { args: [{ actor: facilitator, audiences: ['engineering', 'delivery leads'], channels: ['wiki', 'all-hands'] }] });
    expect(planned).toMatchObject({ stage: 'tracking_actions', pendingRoles: ['action_owner'], dissemination: { channels: ['wiki', 'all-hands'] } });
    expect(planned.slaDueAt).toBe(new Date(Date.parse(`${planned.actions[0]!.dueDate}T00:00:00Z`) + DAY).toISOString());

    expect(await refusedWith(handle.executeUpdate(completeActionUpdate, { args: [{ actor: petra, actionId: 'A1' }] }))).toBe('Forbidden');
    expect(await refusedWith(handle.executeUpdate(completeActionUpdate, { args: [{ actor: paul, actionId: 'A7' }] }))).toBe('ValidationError');
    await handle.executeUpdate(completeActionUpdate, { args: [{ actor: paul, actionId: 'A1', note: 'playbook PR merged' }] });
    expect(await refusedWith(handle.executeUpdate(completeActionUpdate, { args: [{ actor: paul, actionId: 'A1' }] }))).toBe('Conflict');

    // A2 falls due on day 10: by day 14 its owner has been reminded once, and nobody else.
    await stack.env.sleep('14 days');
    const overdue = await state(handle);
    expect(overdue.outcome).toBeNull();
    const reminders = overdue.notices.filter((n) => n.kind === 'reminder');
    expect(reminders).toEqual([expect.objectContaining({ recipients: ['petra'] })]);
    expect(reminders[0]!.message).toContain('A2');
    expect(overdue.actions.find((a) => a.id === 'A2')!.remindersSent).toBe(1);
    expect(overdue.events.filter((e) => e.action === 'action_overdue_reminder').map((e) => e.details.actionId)).toEqual(['A2']);

    await handle.executeUpdate(completeActionUpdate, { args: [{ actor: petra, actionId: 'A2' }] });
    const result = (await handle.result()) as RetrospectiveState;
    expect(result.outcome).toBe('completed');
    expect(result.events.map((e) => e.action)).toEqual([
      'started',
      'insight_added',
      'insight_added',
      'capture_closed',
      'synthesised',
      'dissemination_planned',
      'action_completed',
      'action_overdue_reminder',
      'action_completed',
      'completed',
    ]);
    const notification = await waitFor('the reminder in the outbox', () => stack.db.notification.findFirst({ where: { workflowId: handle.workflowId, kind: 'reminder' } }));
    expect(notification.recipients).toEqual(['petra']);
    const row = await waitFor('the completed row', () => stack.db.process.findFirst({ where: { workflowId: handle.workflowId, completedAt: { not: null } } }));
    expect(row.outcome).toBe('completed');
  });

  it('escalates to the facilitator after the last reminder and stops reminding', async () => {
    const handle = await startRetro({ reminderEveryDays: 2 });
    await handle.executeUpdate(closeCaptureUpdate, { args: [{ actor: facilitator }] });
    const today = isoDate(Date.parse((await state(handle)).events.at(-1)!.at));
    await handle.executeUpdate(synthesiseUpdate, { args: [{ actor: facilitator, themes: [{ title: 'Scope', summary: 'Scope crept' }], actions: [{ title: 'Write scope rules', owner: paul.id, dueDate: today }] }] });
    await handle.executeUpdate(planDisseminationUpdate, { args: [{ actor: facilitator, audiences: ['pmo'], channels: ['newsletter'] }] });
    await stack.env.sleep('30 days');
    const s = await state(handle);
    expect(s.notices.filter((n) => n.kind === 'reminder').map((n) => n.recipients)).toEqual([['paul'], ['paul']]);
    expect(s.notices.filter((n) => n.kind === 'escalation').map((n) => n.recipients)).toEqual([['paul', 'fiona']]);
    expect(s.actions[0]!.remindersSent).toBe(3);
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: facilitator, reason: 'engagement cancelled' }] });
    expect(((await handle.result()) as RetrospectiveState).outcome).toBe('withdrawn');
  });

  it('closes capture at its deadline, which an extension moves', async () => {
    const handle = await startRetro({ captureDays: 3 });
    expect(await refusedWith(handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: paul, days: 2, reason: 'holidays' }] }))).toBe('Forbidden');
    expect(await refusedWith(handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: facilitator, days: 31, reason: 'long' }] }))).toBe('RuleViolation');
    await handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: facilitator, days: 2, reason: 'holidays' }] });
    await stack.env.sleep('4 days');
    expect((await state(handle)).stage).toBe('capturing');
    await stack.env.sleep('2 days');
    const s = await state(handle);
    expect(s.stage).toBe('synthesising');
    expect(s.events.find((e) => e.action === 'capture_closed')).toMatchObject({ actor: 'govflow', details: { reason: 'the capture deadline passed', insights: 0 } });
    expect(await refusedWith(handle.executeUpdate(withdrawUpdate, { args: [{ actor: paul, reason: 'no' }] }))).toBe('Forbidden');
    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: sponsor, reason: 'nobody contributed' }] });
    expect(((await handle.result()) as RetrospectiveState).outcome).toBe('withdrawn');
  });
});
