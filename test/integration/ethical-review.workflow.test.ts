import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Ballot } from '../../domain/review/voting.js';
import { committeeVoteUpdate, type CommitteeApprovalState } from '../../workflows/committee-approval/contract.js';
import { stateQuery, withdrawUpdate, type Actor } from '../../workflows/contracts/common.js';
import { boardVoteUpdate, type EthicalReviewInput, type EthicalReviewState, type Finding } from '../../workflows/ethical-review/contract.js';
import { committeeMembers, person, requester } from '../support/actors.js';
import { assessments, boardMembers, ethicalReviewInput } from '../support/ethical-reviews.js';
import { useWorkflowStack } from '../support/stack.js';
import { refusal } from '../support/updates.js';

const stack = useWorkflowStack('ethical-review');
const { taskQueue } = stack;
const DAY = 86_400_000;

async function startReview(overrides: Partial<EthicalReviewInput> = {}) {
  const businessKey = `ERB-${randomUUID().slice(0, 8)}`;
  const input = ethicalReviewInput(stack.policySet, businessKey, { urgent: true, ...overrides });
  return stack.env.client.workflow.start('ethicalReview', { taskQueue, workflowId: `ethical-review/${businessKey}`, args: [input] });
}
type Handle = Awaited<ReturnType<typeof startReview>>;

/** Waits until the compliance assessment has run and the board can vote. */
async function boardOpen(h: Handle): Promise<EthicalReviewState> {
  for (let i = 0; i < 100; i++) {
    const s = (await h.query(stateQuery)) as EthicalReviewState;
    if (s.stage !== 'compliance_assessment') return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the compliance assessment did not finish');
}

const findingsFor = (items: string[], finding: Finding = 'satisfactory', overrides: Record<string, Finding> = {}) => ({ ...Object.fromEntries(items.map((i) => [i, finding])), ...overrides });

function vote(h: Handle, actor: Actor, ballot: Ballot, findings: Record<string, Finding>, extra: Record<string, unknown> = {}) {
  return h.executeUpdate(boardVoteUpdate, { args: [{ actor, ballot, findings, justification: ballot === 'reject' ? 'bias not addressed' : undefined, ...extra }] });
}


describe('ethical review board', () => {
  it('classifies a high-risk system, asks for a FRIA, and goes to the committee after the board approves', async () => {
    const h = await startReview();
    const open = await boardOpen(h);
    expect(open.stage).toBe('board_review');
    expect(open.riskTier).toBe('high_risk');
    expect(open.reviewItems).toContain('fundamental_rights_impact_assessment');
    expect(open.compliance?.gaps.length).toBeGreaterThan(0);
    expect(open.compliance?.remediationPlan.length).toBeGreaterThan(0);
    const evaluation = await stack.db.evaluation.findUniqueOrThrow({ where: { workflowId: h.workflowId } });
    expect(evaluation.engine).toBe('ai_compliance');

    await vote(h, boardMembers[0]!, 'approve', findingsFor(open.reviewItems));
    await vote(h, boardMembers[1]!, 'approve', findingsFor(open.reviewItems, 'satisfactory', { bias_detection_review: 'concerns' }), { conditions: ['quarterly bias audit'] });
    await vote(h, boardMembers[2]!, 'approve', findingsFor(open.reviewItems));
    // 3 of 4 seats approve: the board has decided; the policy sends it on to the committee.
    let state = (await h.query(stateQuery)) as EthicalReviewState;
    for (let i = 0; i < 50 && !state.committeeWorkflowId; i++) {
      await new Promise((r) => setTimeout(r, 100));
      state = (await h.query(stateQuery)) as EthicalReviewState;
    }
    expect(state.stage).toBe('awaiting_committee');
    expect(await refusal(vote(h, boardMembers[3]!, 'approve', findingsFor(open.reviewItems)))).toMatchObject({ type: 'Conflict', message: expect.stringContaining('committee') });
    const committee = stack.env.client.workflow.getHandle(state.committeeWorkflowId!);
    for (const m of committeeMembers.slice(1, 4)) await committee.executeUpdate(committeeVoteUpdate, { args: [{ actor: m, ballot: 'approve' }] });

    const result = (await h.result()) as EthicalReviewState;
    expect(result.outcome).toBe('approved_with_conditions');
    expect(result.conditions).toEqual(['quarterly bias audit']);
    expect(result.tally).toMatchObject({ approve: 3, members: 4, quorumMet: true });
    const child = (await committee.result()) as CommitteeApprovalState;
    expect(child.subject.summary).toContain('high_risk');
    const row = await stack.db.process.findUniqueOrThrow({ where: { workflowId: h.workflowId }, include: { decisions: true } });
    expect(row).toMatchObject({ outcome: 'approved_with_conditions', riskTier: 'high_risk' });
    expect(row.decisions).toHaveLength(3);
  });

  it('does not ask a private employer for a FRIA on its high-risk CV screener (Art. 27(1) binds public bodies and 5(b)/(c) deployers)', async () => {
    const h = await startReview({ assessment: assessments.highRiskPrivateEmployer });
    const open = await boardOpen(h);
    expect(open.riskTier).toBe('high_risk');
    expect(open.reviewItems).toEqual(['ethical_impact_assessment', 'bias_detection_review', 'fairness_evaluation', 'transparency_requirements']);
    await h.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'assessed' }] });
    expect(((await h.result()) as EthicalReviewState).outcome).toBe('withdrawn');
  });

  it('does not ask for a FRIA on a minimal-risk system, and a board rejection ends the review', async () => {
    const h = await startReview({ assessment: assessments.minimal });
    const open = await boardOpen(h);
    expect(open.riskTier).toBe('minimal');
    expect(open.reviewItems).not.toContain('fundamental_rights_impact_assessment');
    expect(await refusal(vote(h, boardMembers[0]!, 'approve', findingsFor([...open.reviewItems, 'fundamental_rights_impact_assessment'])))).toMatchObject({ type: 'ValidationError' });
    await vote(h, boardMembers[0]!, 'reject', findingsFor(open.reviewItems, 'unsatisfactory'));
    await vote(h, boardMembers[1]!, 'reject', findingsFor(open.reviewItems, 'concerns'));
    await vote(h, boardMembers[2]!, 'reject', findingsFor(open.reviewItems, 'concerns'));
    const result = (await h.result()) as EthicalReviewState;
    expect(result.outcome).toBe('rejected');
    expect(result.committeeWorkflowId).toBeNull();
  });

  it('stops a prohibited AI practice at the compliance assessment', async () => {
    const h = await startReview({ assessment: assessments.prohibited });
    const result = (await h.result()) as EthicalReviewState;
    expect(result.outcome).toBe('prohibited');
    expect(result.riskTier).toBe('prohibited');
    expect(result.ballots).toEqual([]);
    expect(result.events.find((e) => e.action === 'decided')?.details.reason).toContain('Art. 5');
  });

  it('closes with invalid_assessment when the compliance input is wrong, naming the field', async () => {
    const h = await startReview({ assessment: { ...assessments.minimal, assessmentDate: 'yesterday' } });
    const result = (await h.result()) as EthicalReviewState;
    expect(result.outcome).toBe('invalid_assessment');
    expect(JSON.stringify(result.events.at(-1))).toContain('assessmentDate');
  });

  it('refuses invalid ballots and leaves the state unchanged', async () => {
    const h = await startReview();
    const open = await boardOpen(h);
    const items = open.reviewItems;
    const before = await h.query(stateQuery);
    expect(await refusal(vote(h, person('nina', 'technical_lead'), 'approve', findingsFor(items)))).toMatchObject({ type: 'Forbidden' });
    expect(await refusal(vote(h, { ...requester, roles: ['requester', 'ethics_board_member'] }, 'approve', findingsFor(items)))).toMatchObject({ type: 'Forbidden' });
    expect(await refusal(vote(h, boardMembers[0]!, 'approve', findingsFor(items.slice(1))))).toMatchObject({ type: 'ValidationError', message: expect.stringContaining('every review item') });
    expect(await refusal(vote(h, boardMembers[0]!, 'approve', findingsFor(items, 'satisfactory', { fairness_evaluation: 'unsatisfactory' })))).toMatchObject({ type: 'RuleViolation' });
    expect(await refusal(vote(h, boardMembers[0]!, 'approve', findingsFor(items, 'satisfactory', { fairness_evaluation: 'concerns' })))).toMatchObject({ type: 'RuleViolation', message: expect.stringContaining('conditions') });
    expect(await refusal(vote(h, boardMembers[0]!, 'reject', findingsFor(items), { justification: '' }))).toMatchObject({ type: 'RuleViolation' });
    expect(await h.query(stateQuery)).toEqual(before);
    await h.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'vendor changed' }] });
    expect(((await h.result()) as EthicalReviewState).outcome).toBe('withdrawn');
  });

  it('reminds, escalates to the committee chair, and breaches the SLA without a quorum', async () => {
    const h = await startReview();
    const open = await boardOpen(h);
    await vote(h, boardMembers[0]!, 'approve', findingsFor(open.reviewItems));
    const result = (await h.result()) as EthicalReviewState;
    expect(result.outcome).toBe('sla_breached');
    const { escalation } = stack.policySet.aiGovernance.ethicalReviewBoard;
    expect(result.notices.find((n) => n.kind === 'escalation')?.recipients).toEqual([escalation.escalateToRole]);
    const opened = Date.parse(result.events.find((e) => e.action === 'board_review_opened')!.at);
    const decided = Date.parse(result.events.find((e) => e.action === 'decided')!.at);
    expect(Math.round((decided - opened) / DAY)).toBe(escalation.slaBreachAfterDays);
  });
});
