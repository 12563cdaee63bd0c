import type { WorkflowHandle } from '@temporalio/client';
import type { architectureReview } from '../../workflows/architecture-review/workflow.js';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { ArchitectureReviewPolicy, Verdict } from '../../domain/policy/types.js';
import { verifyAuditLog } from '../../activities/transparency-log.js';
import { resubmitUpdate, reviewVoteUpdate, type ArchitectureReviewState } from '../../workflows/architecture-review/contract.js';
import { delegateUpdate, extendDeadlineUpdate, stateQuery, withdrawUpdate, type Actor } from '../../workflows/contracts/common.js';
import { person, requester, reviewers, securityArchitect, securityArchitect2, techLead, domainExpert, enterpriseArchitect, chair } from '../support/actors.js';
import { architectureReviewInput, rulingsFor } from '../support/reviews.js';
import { useWorkflowStack } from '../support/stack.js';
import { refusal, actThenState } from '../support/updates.js';

const stack = useWorkflowStack('arch-review');
const { taskQueue } = stack;


async function startReview(policyOverride?: Partial<ArchitectureReviewPolicy>) {
  const businessKey = `ARCH-${randomUUID().slice(0, 8)}`;
  const policy = { ...stack.policySet.architectureReview, ...policyOverride };
  const input = architectureReviewInput(stack.policySet, businessKey, { title: `Payments platform redesign ${businessKey}`, evidence: ['https://wiki.example.com/adr/42'], policy });
  const handle = await stack.env.client.workflow.start<typeof architectureReview>('architectureReview', { taskQueue, workflowId: `architecture-review/${businessKey}`, args: [input] });
  return { handle, policy, businessKey };
}

type Handle = WorkflowHandle<typeof architectureReview>;

function vote(handle: Handle, actor: Actor, role: string, rulings: Record<string, Verdict>, extra: Record<string, unknown> = {}) {
  return handle.executeUpdate(reviewVoteUpdate, { args: [{ actor, role, rulings, ...extra }] });
}

async function approveAll(handle: Handle) {
  for (const [role, actor] of Object.entries(reviewers)) await vote(handle, actor, role, rulingsFor(stack.policySet, 'approve'));
}


describe('architecture review', () => {
  it('is approved when every required role approves, and the record and audit chain show it', async () => {
    const { handle } = await startReview();
    await approveAll(handle);
    const result = (await handle.result()) as ArchitectureReviewState;
    expect(result.outcome).toBe('approved');
    expect(result.votes.map((v) => v.role).sort()).toEqual(Object.keys(reviewers).sort());

    const row = await stack.db.process.findUniqueOrThrow({ where: { workflowId: handle.workflowId }, include: { decisions: true } });
    expect(row.outcome).toBe('approved');
    expect(row.completedAt).not.toBeNull();
    expect(row.policyVersion).toBe(stack.policySet.version.id);
    expect(row.decisions).toHaveLength(4);
    expect(new Set(row.decisions.map((d) => d.actor))).toEqual(new Set(Object.values(reviewers).map((a) => a.id)));
    const audit = await stack.db.auditEntry.findMany({ where: { workflowId: handle.workflowId }, orderBy: { seq: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['started', 'voted', 'voted', 'voted', 'voted', 'decided']);
    expect(audit.every((a) => a.policyVersion === stack.policySet.version.id)).toBe(true);
    expect((await verifyAuditLog(stack.db)).ok).toBe(true);
    // This worker sends on no channel: its notices are recorded, and no delivery activity is scheduled for them.
    const scheduled = (await handle.fetchHistory()).events?.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []);
    expect(scheduled).not.toContain('deliverNotifications');
    expect(await stack.db.notification.count({ where: { workflowId: handle.workflowId } })).toBeGreaterThan(0);
  });

  it('refuses invalid votes and leaves the state unchanged', async () => {
    const { handle, policy } = await startReview();
    await vote(handle, techLead, 'technical_lead', rulingsFor(stack.policySet, 'approve'));
    const before = await handle.query(stateQuery);

    expect((await refusal(vote(handle, techLead, 'security_architect', rulingsFor(stack.policySet, 'approve')))).type).toBe('Forbidden');
    expect((await refusal(vote(handle, techLead, 'technical_lead', rulingsFor(stack.policySet, 'approve')))).type).toBe('Conflict');
    expect((await refusal(vote(handle, securityArchitect, 'security_architect', rulingsFor(stack.policySet, 'reject')))).type).toBe('RuleViolation');
    expect(
      (await refusal(vote(handle, securityArchitect, 'security_architect', rulingsFor(stack.policySet, 'approve_with_conditions'), { justification: 'ok' }))).type,
    ).toBe('RuleViolation');
    const partial = { [policy.approvalCriteria[0]!]: 'approve' as Verdict };
    expect((await refusal(vote(handle, securityArchitect, 'security_architect', partial))).type).toBe('ValidationError');
    expect((await refusal(vote(handle, person('mallory', 'requester'), 'requester', rulingsFor(stack.policySet, 'approve')))).type).toBe('ValidationError');

    const after = await handle.query(stateQuery);
    expect(after).toEqual(before);

    // Revising is explicit, and replaces the earlier vote.
    await vote(handle, techLead, 'technical_lead', rulingsFor(stack.policySet, 'approve_with_conditions'), {
      revise: true,
      justification: 'needs load test',
      conditions: ['load test at 10x before go-live'],
    });
    const revised = (await handle.query(stateQuery)) as ArchitectureReviewState;
    expect(revised.votes).toHaveLength(1);
    expect(revised.votes[0]).toMatchObject({ verdict: 'approve_with_conditions', revisedFrom: 'approve' });

    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'superseded by ARCH-2' }] });
    // Refused by the validator while the workflow flushes its record, or by Temporal once it has finished.
    const late = await vote(handle, securityArchitect, 'security_architect', rulingsFor(stack.policySet, 'approve')).then(() => null, (e: unknown) => e);
    if (late instanceof WorkflowUpdateFailedError) expect((late.cause as ApplicationFailure).type).toBe('Conflict');
    else expect(late).toBeInstanceOf(WorkflowNotFoundError);
    const result = (await handle.result()) as ArchitectureReviewState;
    expect(result.outcome).toBe('withdrawn');
    expect(result.votes).toHaveLength(1);
    // The reviewers it waited on are told, with the reason.
    expect(result.notices.at(-1)).toMatchObject({ kind: 'info', recipients: expect.arrayContaining(['security_architect', 'technical_lead']), message: expect.stringContaining('superseded by ARCH-2') });
  });

  it('ends at once when a blocking role (security) rejects', async () => {
    const { handle } = await startReview();
    await vote(handle, techLead, 'technical_lead', rulingsFor(stack.policySet, 'approve'));
    await vote(handle, securityArchitect, 'security_architect', { ...rulingsFor(stack.policySet, 'approve'), security_assessment_approval: 'reject' }, { justification: 'no encryption at rest' });
    const result = (await handle.result()) as ArchitectureReviewState;
    expect(result.outcome).toBe('rejected');
    expect(result.pendingRoles).toEqual([]);
  });

  it('goes back to the requester on "request changes" and completes in a second round', async () => {
    const { handle } = await startReview();
    await vote(handle, techLead, 'technical_lead', rulingsFor(stack.policySet, 'approve'));
    await vote(handle, enterpriseArchitect, 'enterprise_architect', rulingsFor(stack.policySet, 'approve'));
    await vote(handle, securityArchitect, 'security_architect', rulingsFor(stack.policySet, 'approve'));
    await vote(handle, domainExpert, 'domain_expert', { ...rulingsFor(stack.policySet, 'approve'), scalability_validation: 'request_changes' }, { justification: 'no capacity model' });
    await stack.env.sleep('1 hour');
    const waiting = (await handle.query(stateQuery)) as ArchitectureReviewState;
    expect(waiting.stage).toBe('changes_requested');
    expect(waiting.pendingRoles).toEqual(['requester']);
    expect((await refusal(vote(handle, techLead, 'technical_lead', rulingsFor(stack.policySet, 'approve'), { revise: true }))).type).toBe('Conflict');
    expect((await refusal(handle.executeUpdate(resubmitUpdate, { args: [{ actor: techLead, changes: 'x' }] }))).type).toBe('Forbidden');

    const resubmitted = await actThenState(handle, resubmitUpdate, { args: [{ actor: requester, changes: 'added a capacity model' }] });
    expect(resubmitted.round).toBe(2);
    expect(resubmitted.history).toHaveLength(4);
    await approveAll(handle);
    const result = (await handle.result()) as ArchitectureReviewState;
    expect(result.outcome).toBe('approved');
    expect(result.round).toBe(2);
  });

  it('reminds, escalates and finally records an SLA breach, never approving by silence', async () => {
    const { handle, policy } = await startReview();
    const result = (await handle.result()) as ArchitectureReviewState;
    expect(result.outcome).toBe('sla_breached');
    expect(result.notices.map((n) => n.kind)).toEqual(['reminder', 'escalation', 'sla_breach', 'outcome']);
    expect(result.notices[1]!.recipients).toEqual([policy.escalation.escalateToRole]);
    const events = result.events.map((e) => e.action);
    expect(events).toEqual(['started', 'reminder_sent', 'escalated', 'decided']);
    const sent = await stack.db.notification.findMany({ where: { workflowId: handle.workflowId } });
    expect(sent).toHaveLength(4);
    expect(sent.every((n) => n.deliveredAt !== null)).toBe(true);
  });

  it('moves the deadline when it is extended with a reason', async () => {
    const { handle, policy } = await startReview();
    await stack.env.sleep(`${policy.escalation.slaBreachAfterDays! - 1} days`);
    expect((await refusal(handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: techLead, days: 5, reason: 'x' }] }))).type).toBe('Forbidden');
    expect(
      (await refusal(handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: requester, days: policy.escalation.maxExtensionDays + 1, reason: 'x' }] }))).type,
    ).toBe('RuleViolation');
    const extended = await actThenState(handle, extendDeadlineUpdate, { args: [{ actor: requester, days: 10, reason: "reviewers at a conference" }] });
    expect(extended.extensionDays).toBe(10);
    await stack.env.sleep('5 days'); // past the original deadline
    expect(((await handle.query(stateQuery)) as ArchitectureReviewState).outcome).toBeNull();
    await approveAll(handle);
    expect(((await handle.result()) as ArchitectureReviewState).outcome).toBe('approved');
  });

  it('waits 60 days when the policy allows it and still completes', async () => {
    const { handle } = await startReview({
      escalation: { ...stack.policySet.architectureReview.escalation, reminderAfterDays: 20, escalateAfterDays: 40, slaBreachAfterDays: 90 },
    });
    await stack.env.sleep('60 days');
    const waiting = (await handle.query(stateQuery)) as ArchitectureReviewState;
    expect(waiting.outcome).toBeNull();
    expect(waiting.notices.map((n) => n.kind)).toEqual(['reminder', 'escalation']);
    await approveAll(handle);
    expect(((await handle.result()) as ArchitectureReviewState).outcome).toBe('approved');
  });

  it('lets a reviewer delegate to another holder of the role, and records it', async () => {
    const { handle } = await startReview();
    expect(
      (await refusal(handle.executeUpdate(delegateUpdate, { args: [{ actor: securityArchitect, role: 'security_architect', to: chair }] }))).type,
    ).toBe('RuleViolation');
    await handle.executeUpdate(delegateUpdate, { args: [{ actor: securityArchitect, role: 'security_architect', to: securityArchitect2, reason: 'on leave' }] });
    expect((await refusal(vote(handle, securityArchitect, 'security_architect', rulingsFor(stack.policySet, 'approve')))).type).toBe('Forbidden');
    await vote(handle, techLead, 'technical_lead', rulingsFor(stack.policySet, 'approve'));
    await vote(handle, enterpriseArchitect, 'enterprise_architect', rulingsFor(stack.policySet, 'approve'));
    await vote(handle, securityArchitect2, 'security_architect', rulingsFor(stack.policySet, 'approve'));
    await vote(handle, domainExpert, 'domain_expert', rulingsFor(stack.policySet, 'approve'));
    const result = (await handle.result()) as ArchitectureReviewState;
    expect(result.outcome).toBe('approved');
    expect(result.events.find((e) => e.action === 'delegated')).toMatchObject({ actor: 'sam', details: { to: 'sasha', reason: 'on leave' } });
  });
});
