import type { EscalationPolicy } from '../../domain/policy/types.js';
import type { WorkflowHandle } from '@temporalio/client';
import type { pocScaleUp } from '../../workflows/poc-scale-up/workflow.js';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { verifyAuditLog } from '../../activities/transparency-log.js';
import type { Ballot } from '../../domain/review/voting.js';
import { committeeVoteUpdate, type CommitteeApprovalState } from '../../workflows/committee-approval/contract.js';
import { extendDeadlineUpdate, stateQuery, withdrawUpdate, type Actor } from '../../workflows/contracts/common.js';
import { completeStageUpdate, gateReviewUpdate, POC_SCALE_UP_WORKFLOW, type PocScaleUpInput, type PocScaleUpState } from '../../workflows/poc-scale-up/contract.js';
import { chair, person, requester } from '../support/actors.js';
import { committee, gateCriteria, gateReviewer, pocScaleUpInput, sponsor, stageCompletion, teamStages } from '../support/poc-scale-up.js';
import { waitFor } from '../support/processes.js';
import { expectedMeetingAt } from '../support/reviews.js';
import { useWorkflowStack } from '../support/stack.js';
import { refusal, actThenState } from '../support/updates.js';

const stack = useWorkflowStack('poc');
const { taskQueue } = stack;

async function startPoc(overrides: Partial<PocScaleUpInput> = {}) {
  const businessKey = `POC-${randomUUID().slice(0, 8)}`;
  const input = pocScaleUpInput(stack.policySet, businessKey, overrides);
  const handle = await stack.env.client.workflow.start<typeof pocScaleUp>(POC_SCALE_UP_WORKFLOW, { taskQueue, workflowId: `poc-scale-up/${businessKey}`, args: [input] });
  return { handle, businessKey, input };
}

type Handle = WorkflowHandle<typeof pocScaleUp>;

const state = async (h: Handle) => (await h.query(stateQuery)) as PocScaleUpState;

async function passGate(h: Handle) {
  return actThenState(h, gateReviewUpdate, { args: [{ actor: gateReviewer, criteria: gateCriteria(stack.policySet) }] });
}

/** Completes every team stage, alternating requester and sponsor; answers the state after the last one. */
async function completeStages(h: Handle, results: 'meet' | 'miss' = 'meet') {
  let last: PocScaleUpState | undefined;
  for (const [i, stage] of teamStages(stack.policySet).entries()) {
    last = await actThenState(h, completeStageUpdate, { args: [stageCompletion(i % 2 ? sponsor : requester, stage, results)] });
  }
  return last!;
}

async function throughStages(h: Handle, results: 'meet' | 'miss' = 'meet') {
  await passGate(h);
  return completeStages(h, results);
}

/** The committee child, once it has started and opened voting (urgent items open at once). */
async function committeeHandle(parent: PocScaleUpState) {
  const h = stack.env.client.workflow.getHandle(parent.committeeWorkflowId!);
  await waitFor('the committee to open voting', async () => ((await h.query(stateQuery)) as CommitteeApprovalState).stage === 'voting', 30_000);
  return h;
}

const ballot = (h: ReturnType<typeof stack.env.client.workflow.getHandle>, actor: Actor, b: Ballot) =>
  h.executeUpdate(committeeVoteUpdate, { args: [{ actor, ballot: b, justification: b === 'reject' ? 'not convinced by the evidence' : undefined }] });


describe('proof of concept to scale-up', () => {
  it('passes the gate and every stage, and scales up when the committee (a child workflow) approves', async () => {
    const { handle } = await startPoc();
    const gated = await passGate(handle);
    expect(gated.gate).toMatchObject({ reviewer: gateReviewer.id, role: 'committee_member', passed: true });
    expect(gated.stage).toBe('hypothesis_formation');
    expect(gated.pendingRoles).toEqual(['requester', 'business_sponsor']);

    const analysed = await completeStages(handle);
    expect(analysed.stage).toBe('scale_up_decision');
    expect(analysed.analysis).toMatchObject({ met: 2, total: 2, allMet: true, recommendation: 'scale_up' });
    expect(analysed.completedStages.map((s) => s.stage)).toEqual(teamStages(stack.policySet));

    const waiting = await waitFor('the committee to be started', async () => {
      const s = await state(handle);
      return s.committeeWorkflowId ? s : null;
    });
    expect(waiting.committeeWorkflowId).toBe(`committee-approval/poc-scale-up.${waiting.businessKey}`);
    expect(waiting.portfolioWarning).toBeNull();
    expect(waiting.portfolioProjection!.after.buckets.find((b) => b.bucket === 'core')!.count).toBe(16);
    const child = await committeeHandle(waiting);
    const item = (await child.query(stateQuery)) as CommitteeApprovalState;
    expect(item.subject).toMatchObject({ kind: 'poc_scale_up', workflowId: handle.workflowId, recommendation: 'scale_up' });
    expect(item.subject.summary).toContain('2 of 2 success metrics met');
    // The committee does not take updates meant for the PoC, nor the requester's ballot.
    expect((await refusal(ballot(child, { ...requester, roles: ['committee_member'] }, 'approve'))).type).toBe('Forbidden');

    for (const member of committee.slice(0, 3)) await ballot(child, member, 'approve');
    const result = (await handle.result()) as PocScaleUpState;
    expect(result.outcome).toBe('scaled_up');
    expect(result.committeeOutcome).toBe('approved');
    expect(result.stage).toBe('closed');
    expect(result.events.map((e) => e.action)).toEqual([
      'started',
      'gate_reviewed',
      'stage_completed',
      'stage_completed',
      'stage_completed',
      'stage_completed',
      'results_analysed',
      'committee_requested',
      'committee_decided',
      'decided',
    ]);

    const row = await stack.db.process.findUniqueOrThrow({ where: { workflowId: handle.workflowId }, include: { decisions: true } });
    expect(row.outcome).toBe('scaled_up');
    expect(row.riskTier).toBe('medium');
    expect((row.state as { bucket: string }).bucket).toBe('core');
    expect(row.decisions.map((d) => [d.actor, d.role, d.verdict])).toEqual([[gateReviewer.id, 'committee_member', 'selected']]);
    const childRow = await stack.db.process.findUniqueOrThrow({ where: { workflowId: waiting.committeeWorkflowId! } });
    expect(childRow.outcome).toBe('approved');
    expect(childRow.kind).toBe('committee_approval');
    expect((await verifyAuditLog(stack.db)).ok).toBe(true);
  });

  it('is not selected when the gate finds a criterion unmet, and refuses invalid gate reviews without a trace', async () => {
    const { handle } = await startPoc();
    const before = await state(handle);
    expect((await refusal(handle.executeUpdate(gateReviewUpdate, { args: [{ actor: { ...requester, roles: ['requester', 'committee_member'] }, criteria: gateCriteria(stack.policySet) }] }))).type).toBe('Forbidden');
    expect((await refusal(handle.executeUpdate(gateReviewUpdate, { args: [{ actor: person('pat', 'technical_lead'), criteria: gateCriteria(stack.policySet) }] }))).type).toBe('Forbidden');
    const unexplained = { ...gateCriteria(stack.policySet), clear_success_metrics: { met: false } };
    const noNote = await refusal(handle.executeUpdate(gateReviewUpdate, { args: [{ actor: gateReviewer, criteria: unexplained }] }));
    expect(noNote.type).toBe('RuleViolation');
    expect(noNote.fields).toEqual([{ path: 'criteria.clear_success_metrics.note', message: 'required when the criterion is not met' }]);
    const { defined_business_sponsor: _omitted, ...partial } = gateCriteria(stack.policySet);
    const missing = await refusal(handle.executeUpdate(gateReviewUpdate, { args: [{ actor: gateReviewer, criteria: { ...partial, vibes: { met: true } } }] }));
    expect(missing.type).toBe('ValidationError');
    expect((missing.fields as { path: string }[]).map((f) => f.path).sort()).toEqual(['criteria.defined_business_sponsor', 'criteria.vibes']);
    expect((await refusal(handle.executeUpdate(completeStageUpdate, { args: [stageCompletion(requester, 'hypothesis_formation')] }))).type).toBe('Conflict');
    expect(await state(handle)).toEqual(before);

    await handle.executeUpdate(gateReviewUpdate, { args: [{ actor: sponsor, criteria: gateCriteria(stack.policySet, ['manageable_implementation_risk', 'clear_success_metrics']) }] });
    const result = (await handle.result()) as PocScaleUpState;
    expect(result.outcome).toBe('not_selected');
    expect(result.gate).toMatchObject({ reviewer: sponsor.id, role: 'business_sponsor', passed: false });
    expect(result.reasons).toEqual(['manageable_implementation_risk: manageable_implementation_risk not shown', 'clear_success_metrics: clear_success_metrics not shown']);
    expect(result.completedStages).toEqual([]);
    expect(result.committeeWorkflowId).toBeNull();
    const row = await stack.db.process.findUniqueOrThrow({ where: { workflowId: handle.workflowId }, include: { decisions: true } });
    expect(row.outcome).toBe('not_selected');
    expect(row.decisions[0]).toMatchObject({ actor: sponsor.id, verdict: 'not_selected' });
  });

  it('takes stages in order only, from the team only, with metric results for the experiment', async () => {
    const { handle } = await startPoc();
    await passGate(handle);
    const before = await state(handle);
    const outOfOrder = await refusal(handle.executeUpdate(completeStageUpdate, { args: [stageCompletion(requester, 'minimum_viable_prototype')] }));
    expect(outOfOrder.type).toBe('Conflict');
    expect(outOfOrder.message).toContain('the current stage is hypothesis_formation');
    expect((await refusal(handle.executeUpdate(completeStageUpdate, { args: [stageCompletion(person('otto', 'requester'), 'hypothesis_formation')] }))).type).toBe('Forbidden');
    expect((await refusal(handle.executeUpdate(completeStageUpdate, { args: [stageCompletion(requester, 'scale_up_decision')] }))).type).toBe('ValidationError');
    expect((await refusal(handle.executeUpdate(completeStageUpdate, { args: [{ ...stageCompletion(requester, 'hypothesis_formation'), summary: ' ' }] }))).type).toBe('ValidationError');
    expect(await state(handle)).toEqual(before);

    await handle.executeUpdate(completeStageUpdate, { args: [stageCompletion(sponsor, 'hypothesis_formation')] });
    expect((await refusal(handle.executeUpdate(completeStageUpdate, { args: [stageCompletion(requester, 'hypothesis_formation')] }))).message).toContain('already complete');
    await handle.executeUpdate(completeStageUpdate, { args: [stageCompletion(requester, 'minimum_viable_prototype')] });
    const noResults = await refusal(handle.executeUpdate(completeStageUpdate, { args: [{ ...stageCompletion(requester, 'controlled_experimentation'), metricResults: [{ name: 'resolution_uplift_pct', value: 11 }, { name: 'nps', value: 3 }] }] }));
    expect(noResults.type).toBe('ValidationError');
    expect((noResults.fields as { path: string }[]).map((f) => f.path)).toEqual(['metricResults.p95_latency_ms', 'metricResults.nps']);
    expect((await state(handle)).stage).toBe('controlled_experimentation');

    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'sponsor moved on' }] });
    const result = (await handle.result()) as PocScaleUpState;
    expect(result.outcome).toBe('withdrawn');
    expect(result.completedStages.map((s) => [s.stage, s.actor])).toEqual([
      ['hypothesis_formation', sponsor.id],
      ['minimum_viable_prototype', requester.id],
    ]);
  });

  it('warns the committee when scaling up would push transformational above 10% + tolerance; missed targets are not scaled', async () => {
    const { handle } = await startPoc({ proposal: { ...pocScaleUpInput(stack.policySet, 'x').proposal, bucket: 'transformational', riskLevel: 'high' } });
    const analysed = await throughStages(handle, 'miss');
    expect(analysed.analysis).toMatchObject({ met: 1, total: 2, allMet: false, recommendation: 'do_not_scale_up' });
    const waiting = await waitFor('the committee to be started', async () => {
      const s = await state(handle);
      return s.committeeWorkflowId ? s : null;
    });
    expect(waiting.portfolioWarning).toContain('transformational 17.4% (target 10%)');
    expect(waiting.portfolioProjection!.warnings).toEqual([{ bucket: 'transformational', share: 0.1739, target: 0.1, deviation: 0.0739 }]);
    const warning = waiting.events.find((e) => e.action === 'portfolio_imbalance_warning');
    expect(warning?.details).toMatchObject({ bucket: 'transformational' });
    expect(waiting.notices.some((n) => n.recipients.includes('committee_chair') && n.message.includes('Portfolio warning'))).toBe(true);

    const child = await committeeHandle(waiting);
    const item = (await child.query(stateQuery)) as CommitteeApprovalState;
    expect(item.subject.recommendation).toBe('do_not_scale_up');
    expect(item.subject.summary).toContain('Portfolio warning');
    for (const member of committee.slice(0, 3)) await ballot(child, member, 'reject');
    const result = (await handle.result()) as PocScaleUpState;
    expect(result.outcome).toBe('not_scaled');
    expect(result.committeeOutcome).toBe('rejected');
    const note = await waitFor('the warning notification row', () => stack.db.notification.findFirst({ where: { workflowId: handle.workflowId, recipients: { has: 'committee_chair' } } }));
    expect(note.message).toContain('transformational');
  });

  it('does not warn for a core scale-up that keeps the portfolio in balance, and passes a withdrawal on to the committee', async () => {
    const { handle } = await startPoc({ urgent: false, urgencyReason: undefined });
    await throughStages(handle);
    const waiting = await waitFor('the committee to be started', async () => {
      const s = await state(handle);
      return s.committeeWorkflowId ? s : null;
    });
    expect(waiting.portfolioWarning).toBeNull();
    expect(waiting.events.some((e) => e.action === 'portfolio_imbalance_warning')).toBe(false);
    // Not urgent: the item waits for the committee's next meeting.
    const child = stack.env.client.workflow.getHandle(waiting.committeeWorkflowId!);
    const item = await waitFor('the committee item', async () => (await child.query(stateQuery)) as CommitteeApprovalState);
    expect(item.stage).toBe('awaiting_meeting');
    expect(item.meetingAt).toBe(expectedMeetingAt(stack.policySet.aiGovernance.committee, item));
    expect((await refusal(handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: requester, days: 3, reason: 'x' }] }))).type).toBe('Conflict');

    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'budget withdrawn' }] });
    const result = (await handle.result()) as PocScaleUpState;
    expect(result.outcome).toBe('withdrawn');
    const childResult = (await child.result()) as CommitteeApprovalState;
    expect(childResult.outcome).toBe('withdrawn');
    expect(childResult.events.find((e) => e.action === 'withdrawn')?.details).toMatchObject({ via: 'parent', reason: 'budget withdrawn' });
  });

  it('reminds, escalates and breaches the SLA at the gate on the committee timers; an extension moves the deadline', async () => {
    const { handle } = await startPoc();
    const esc = stack.policySet.aiGovernance.committee.escalation as Required<EscalationPolicy>;
    await stack.env.sleep(`${esc.reminderAfterDays + 1} days`);
    const reminded = await state(handle);
    expect(reminded.notices.filter((n) => n.kind === 'reminder')).toHaveLength(1);
    expect(reminded.notices.find((n) => n.kind === 'reminder')!.recipients).toEqual(['business_sponsor', 'committee_member']);
    expect((await refusal(handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: person('pat', 'technical_lead'), days: 5, reason: 'holidays' }] }))).type).toBe('Forbidden');
    await handle.executeUpdate(extendDeadlineUpdate, { args: [{ actor: sponsor, days: 5, reason: 'holidays' }] });
    await stack.env.sleep(`${esc.slaBreachAfterDays - esc.reminderAfterDays - 1 + 2} days`);
    // Day 47: past the policy SLA (45) but within the extended one (50).
    const extended = await state(handle);
    expect(extended.outcome).toBeNull();
    expect(extended.notices.filter((n) => n.kind === 'escalation').map((n) => n.recipients)).toEqual([[esc.escalateToRole]]);
    const result = (await handle.result()) as PocScaleUpState;
    expect(result.outcome).toBe('sla_breached');
    expect(result.notices.some((n) => n.kind === 'sla_breach')).toBe(true);
    expect(result.reasons[0]).toContain(`within ${esc.slaBreachAfterDays + 5} days`);
  });

  it('refuses to start without a named business sponsor, naming the field', async () => {
    const { handle } = await startPoc({ proposal: { ...pocScaleUpInput(stack.policySet, 'x').proposal, businessSponsor: '' } });
    const err = await handle.result().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe('ValidationError');
    expect(cause.details?.[0]).toEqual([{ path: 'proposal.businessSponsor', message: 'a named business sponsor is required' }]);
    expect(await stack.db.process.findUnique({ where: { workflowId: handle.workflowId } })).toBeNull();
  });

  it('lets only committee members and the chair decide: a late ballot on a closed committee is refused', async () => {
    const { handle } = await startPoc();
    const last = await throughStages(handle);
    expect(last.stage).toBe('scale_up_decision');
    const waiting = await waitFor('the committee to be started', async () => {
      const s = await state(handle);
      return s.committeeWorkflowId ? s : null;
    });
    const child = await committeeHandle(waiting);
    expect((await refusal(ballot(child, sponsor, 'approve'))).type).toBe('Forbidden');
    await ballot(child, chair, 'approve');
    await ballot(child, committee[1]!, 'approve');
    await ballot(child, committee[2]!, 'approve');
    expect(((await handle.result()) as PocScaleUpState).outcome).toBe('scaled_up');
    const late = await ballot(child, committee[3]!, 'approve').then(() => null, (e: unknown) => e);
    if (late instanceof WorkflowUpdateFailedError) expect((late.cause as ApplicationFailure).type).toBe('Conflict');
    else expect(late).toBeInstanceOf(WorkflowNotFoundError);
  });
});
