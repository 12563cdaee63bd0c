import type { WorkflowHandle } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accessFor } from '../../domain/policy/access.js';
import { extendDeadlineUpdate, stateQuery, withdrawUpdate } from '../../workflows/contracts/common.js';
import { authorityReportUpdate, closeIncidentUpdate, findingsUpdate, triageUpdate, type IncidentInput, type IncidentState } from '../../workflows/incident/contract.js';
import type { incident } from '../../workflows/incident/workflow.js';
import { person } from '../support/actors.js';
import { waitFor } from '../support/processes.js';
import { useWorkflowStack } from '../support/stack.js';
import { actThenState, refusal } from '../support/updates.js';

const DAY = 86_400_000;
const stack = useWorkflowStack('incident');
const reporter = { id: 'monitor-bot', kind: 'agent' as const, roles: ['requester'] };
const triager = person('tess', 'ethics_board_member');
const counsel = person('lex', 'legal_counsel');
const investigator = person('ivan', 'technical_specialist');
const chair = person('chris', 'committee_chair');

type Handle = WorkflowHandle<typeof incident>;
const state = async (h: Handle) => (await h.query(stateQuery)) as IncidentState;
const actions = (s: IncidentState) => s.events.map((e) => e.action);

async function report(extra: Partial<IncidentInput> = {}): Promise<Handle> {
  const businessKey = `INC-${randomUUID().slice(0, 8)}`;
  const policy = stack.policySet;
  const input: IncidentInput = {
    businessKey,
    title: `Credit model denies applicants ${businessKey}`,
    description: 'A spike of denials for one postcode after the last model release',
    system: 'credit-scoring-v3',
    // The test server's clock, which earlier tests have moved ahead of the wall clock.
    awareAt: new Date(await stack.env.currentTimeMs()).toISOString(),
    requester: reporter,
    policyVersion: policy.version.id,
    policy: { incidents: policy.aiGovernance.incidents, categories: policy.catalogues.euAiAct.seriousIncidents.categories },
    access: accessFor(policy, 'incident'),
    ...extra,
  };
  return stack.env.client.workflow.start<typeof incident>('incident', { taskQueue: stack.taskQueue, workflowId: `incident/${businessKey}`, args: [input] });
}

describe('incident', () => {
  it('a serious incident is reported within the shortest Art. 73 limit of its categories, reminded before and escalated after', async () => {
    const h = await report();
    const started = await state(h);
    expect(started).toMatchObject({ stage: 'triage', pendingRoles: ['ethics_board_member', 'committee_chair'] });

    expect((await refusal(h.executeUpdate(triageUpdate, { args: [{ actor: counsel, serious: true, categories: ['fundamental_rights'], justification: 'x' }] }))).type).toBe('Forbidden');
    const unknown = await refusal(h.executeUpdate(triageUpdate, { args: [{ actor: triager, serious: true, categories: ['bad_vibes'], justification: 'x' }] }));
    expect(unknown).toMatchObject({ type: 'ValidationError', fields: [{ path: 'categories.0', message: expect.stringContaining('fundamental_rights') }] });
    expect((await refusal(h.executeUpdate(triageUpdate, { args: [{ actor: triager, serious: true, justification: 'x' }] }))).type).toBe('RuleViolation');

    // Fundamental rights (15 days) and a widespread infringement (2 days): the shorter limit applies.
    const triaged = await actThenState(h, triageUpdate, { args: [{ actor: triager, serious: true, categories: ['fundamental_rights', 'widespread_infringement'], justification: 'denials across a whole region' }] });
    expect(triaged).toMatchObject({ stage: 'reporting', pendingRoles: ['legal_counsel', 'committee_chair'], authorityDeadline: { days: 2, provision: 'Art. 73(3)', category: 'widespread_infringement' } });
    expect(Date.parse(triaged.authorityDeadline!.dueAt) - Date.parse(triaged.awareAt)).toBe(2 * DAY);
    expect(triaged.slaDueAt).toBe(triaged.authorityDeadline!.dueAt);

    await stack.env.sleep('25 hours');
    await waitFor('the reminder', async () => actions(await state(h)).includes('reminder_sent'));
    await stack.env.sleep('1 day');
    const overdue = await waitFor('the escalation', async () => {
      const s = await state(h);
      return actions(s).includes('authority_report_overdue') ? s : null;
    });
    expect(overdue.notices.some((n) => n.kind === 'escalation' && n.recipients.includes('committee_chair'))).toBe(true);

    const reported = await actThenState(h, authorityReportUpdate, { args: [{ actor: counsel, authority: 'Bundesnetzagentur', reference: 'AI-2026-0042' }] });
    expect(reported).toMatchObject({ stage: 'investigating', authorityReport: { authority: 'Bundesnetzagentur', late: true } });
    expect((await refusal(h.executeUpdate(closeIncidentUpdate, { args: [{ actor: chair, summary: 'done' }] }))).message).toMatch(/once its findings are recorded/);
    const found = await actThenState(h, findingsUpdate, {
      args: [{ actor: investigator, rootCause: 'A postcode feature leaked into the model', correctiveActions: [{ action: 'Retrain without the feature', owner: 'ivan', dueDate: '2027-01-15' }], suspendSystem: true }],
    });
    expect(actions(found)).toEqual(expect.arrayContaining(['findings_recorded', 'system_suspension_requested']));
    const closed = await actThenState(h, closeIncidentUpdate, { args: [{ actor: chair, summary: 'Reported, retrained, back in service after review' }] });
    expect(closed).toMatchObject({ stage: 'closed', outcome: 'resolved' });
    expect((await h.result()).outcome).toBe('resolved');
  });

  it('a death is reported within 10 days; an incident that is not serious goes straight to investigation; only triage may be extended', async () => {
    const death = await report();
    const d = await actThenState(death, triageUpdate, { args: [{ actor: chair, serious: true, categories: ['death', 'serious_harm_to_health'], justification: 'a patient died' }] });
    expect(d.authorityDeadline).toMatchObject({ days: 10, provision: 'Art. 73(4)', category: 'death' });
    const lawsDeadline = await refusal(death.executeUpdate(extendDeadlineUpdate, { args: [{ actor: chair, days: 3, reason: 'more time' }] }));
    expect(lawsDeadline).toMatchObject({ type: 'RuleViolation', message: expect.stringMatching(/deadline is the law's/) });
    const reportedOnTime = await actThenState(death, authorityReportUpdate, { args: [{ actor: counsel, authority: 'AEMPS', reference: 'R-1' }] });
    expect(reportedOnTime.authorityReport!.late).toBe(false);

    const minor = await report();
    expect((await refusal(minor.executeUpdate(withdrawUpdate, { args: [{ actor: triager, reason: 'not mine' }] }))).type).toBe('Forbidden');
    const notSerious = await actThenState(minor, triageUpdate, { args: [{ actor: triager, serious: false, justification: 'one wrong answer, no harm' }] });
    expect(notSerious).toMatchObject({ stage: 'investigating', authorityDeadline: null, slaDueAt: null, pendingRoles: ['ethics_board_member', 'technical_specialist', 'committee_chair'] });
    expect((await refusal(minor.executeUpdate(withdrawUpdate, { args: [{ actor: reporter, reason: 'duplicate' }] }))).type).toBe('Conflict');

    // Nobody triages: escalated at the deadline, never closed by silence.
    const ignored = await report();
    const due = (await state(ignored)).triageDueAt;
    expect((await refusal(ignored.executeUpdate(extendDeadlineUpdate, { args: [{ actor: counsel, days: 1, reason: 'busy' }] }))).type).toBe('Forbidden');
    const extended = await actThenState(ignored, extendDeadlineUpdate, { args: [{ actor: triager, days: 1, reason: 'waiting for the logs' }] });
    expect(Date.parse(extended.triageDueAt) - Date.parse(due)).toBe(DAY);
    await stack.env.sleep('1 day');
    await stack.env.sleep('25 hours');
    const late = await waitFor('the triage escalation', async () => {
      const s = await state(ignored);
      return actions(s).includes('triage_overdue') ? s : null;
    });
    expect(late.stage).toBe('triage');
  });
});
