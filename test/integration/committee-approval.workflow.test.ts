import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { GovernanceCommitteePolicy } from '../../domain/policy/types.js';
import type { Ballot } from '../../domain/review/voting.js';
import type { ArchitectureReviewState } from '../../workflows/architecture-review/contract.js';
import { reviewVoteUpdate } from '../../workflows/architecture-review/contract.js';
import { COMMITTEE_APPROVAL_WORKFLOW, committeeVoteUpdate, type CommitteeApprovalInput, type CommitteeApprovalState } from '../../workflows/committee-approval/contract.js';
import { extendDeadlineUpdate, stateQuery, withdrawUpdate, type Actor } from '../../workflows/contracts/common.js';
import { chair, committeeMembers, person, requester, reviewers } from '../support/actors.js';
import { architectureReviewInput, expectedMeetingAt, rulingsFor } from '../support/reviews.js';
import { useWorkflowStack } from '../support/stack.js';
import { refusal } from '../support/updates.js';
import { submitEvidenceUpdate, verifyObligationUpdate, type ObligationState } from '../../workflows/obligation/contract.js';

const stack = useWorkflowStack('committee');
const { taskQueue } = stack;
const members = committeeMembers;
const DAY = 86_400_000;

async function startItem(opts: { urgent?: boolean; policy?: Partial<GovernanceCommitteePolicy>; obligations?: boolean } = {}) {
  const businessKey = `GC-${randomUUID().slice(0, 8)}`;
  const input: CommitteeApprovalInput = {
    businessKey,
    title: `Customer-facing LLM assistant ${businessKey}`,
    subject: { kind: 'committee_approval', workflowId: null, summary: 'Final approval of the assistant rollout' },
    requester,
    urgent: opts.urgent ?? false,
    urgencyReason: opts.urgent ? 'regulator deadline' : undefined,
    policyVersion: stack.policySet.version.id,
    policy: { ...stack.policySet.aiGovernance.committee, ...opts.policy },
    ...(opts.obligations ? { obligations: stack.policySet.aiGovernance.obligations } : {}),
  };
  return stack.env.client.workflow.start(COMMITTEE_APPROVAL_WORKFLOW, { taskQueue, workflowId: `committee-approval/${businessKey}`, args: [input] });
}

type Handle = Awaited<ReturnType<typeof startItem>>;

const vote = (h: Handle, actor: Actor, ballot: Ballot, extra: Record<string, unknown> = {}) =>
  h.executeUpdate(committeeVoteUpdate, { args: [{ actor, ballot, justification: ballot === 'reject' ? 'risk not mitigated' : undefined, ...extra }] });


describe('governance committee approval', () => {
  it('waits for the next monthly meeting before voting opens, then decides by majority', async () => {
    const h = await startItem();
    const before = await h.query(stateQuery) as CommitteeApprovalState;
    expect(before.stage).toBe('awaiting_meeting');
    const meetingAt = Date.parse(before.meetingAt!);
    expect(before.meetingAt).toBe(expectedMeetingAt(stack.policySet.aiGovernance.committee, before));
    const now = await stack.env.currentTimeMs();
    expect(meetingAt).toBeGreaterThan(now);
    expect(meetingAt - now).toBeLessThanOrEqual(31 * DAY);
    expect(await refusal(vote(h, members[1]!, 'approve'))).toMatchObject({ type: 'Conflict', message: expect.stringContaining('voting opens') });

    await stack.env.sleep(meetingAt - now + 60_000);
    const open = await h.query(stateQuery) as CommitteeApprovalState;
    expect(open.stage).toBe('voting');
    const opened = open.events.find((e) => e.action === 'voting_opened')!;
    expect(Date.parse(opened.at)).toBeGreaterThanOrEqual(meetingAt);

    await vote(h, members[1]!, 'approve');
    await vote(h, members[2]!, 'approve', { conditions: ['quarterly bias report'] });
    await vote(h, members[3]!, 'approve');
    // 3 of 5 approve: the two outstanding seats cannot overturn it.
    const result = (await h.result()) as CommitteeApprovalState;
    expect(result.outcome).toBe('approved');
    expect(result.tally).toMatchObject({ approve: 3, cast: 3, quorumMet: true, decidedBy: 'majority' });
    expect(result.conditions).toEqual(['quarterly bias report']);

    const row = await stack.db.process.findUniqueOrThrow({ where: { workflowId: h.workflowId }, include: { decisions: true } });
    expect(row.outcome).toBe('approved');
    expect(row.decisions.map((d) => d.actor).sort()).toEqual(['cleo', 'cora', 'cyrus']);
  });

  it('follows the policy cadence: a different meeting day moves the wait', async () => {
    const h = await startItem({ policy: { meetingDayOfMonth: 3 } });
    const state = await h.query(stateQuery) as CommitteeApprovalState;
    expect(state.meetingAt).toBe(expectedMeetingAt({ ...stack.policySet.aiGovernance.committee, meetingDayOfMonth: 3 }, state));
    expect(state.meetingAt).not.toBe(expectedMeetingAt(stack.policySet.aiGovernance.committee, state));
    await h.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'superseded' }] });
    expect(((await h.result()) as CommitteeApprovalState).outcome).toBe('withdrawn');
  });

  it('decides an urgent item out of cycle; an even split goes to the chair’s casting vote', async () => {
    const h = await startItem({ urgent: true });
    const state = await h.query(stateQuery) as CommitteeApprovalState;
    expect(state.stage).toBe('voting');
    expect(state.events.map((e) => e.action)).toContain('convened_out_of_cycle');
    await vote(h, chair, 'approve');
    await vote(h, members[1]!, 'approve');
    await vote(h, members[2]!, 'reject');
    await vote(h, members[3]!, 'reject');
    expect(((await h.query(stateQuery)) as CommitteeApprovalState).outcome).toBeNull();
    await vote(h, members[4]!, 'abstain');
    const result = (await h.result()) as CommitteeApprovalState;
    expect(result.outcome).toBe('approved');
    expect(result.tally).toMatchObject({ approve: 2, reject: 2, abstain: 1, decidedBy: 'casting_vote' });
  });

  it('stays a tie without a casting vote in the policy', async () => {
    const h = await startItem({ urgent: true, policy: { voting: { ...stack.policySet.aiGovernance.committee.voting, chairCastingVote: false } } });
    for (const [i, b] of (['approve', 'approve', 'reject', 'reject', 'abstain'] as Ballot[]).entries()) await vote(h, members[i]!, b);
    expect(((await h.result()) as CommitteeApprovalState).outcome).toBe('tie');
  });

  it('refuses invalid ballots and leaves the state unchanged', async () => {
    const h = await startItem({ urgent: true });
    await vote(h, members[1]!, 'approve');
    const before = await h.query(stateQuery);
    expect(await refusal(vote(h, person('nina', 'technical_lead'), 'approve'))).toMatchObject({ type: 'Forbidden' });
    expect(await refusal(vote(h, { ...requester, roles: ['requester', 'committee_member'] }, 'approve'))).toMatchObject({ type: 'Forbidden', message: expect.stringContaining('segregation of duties (selfApproval)') });
    expect(await refusal(vote(h, members[1]!, 'reject'))).toMatchObject({ type: 'Conflict', message: expect.stringContaining('revise') });
    expect(await refusal(vote(h, members[2]!, 'reject', { justification: ' ' }))).toMatchObject({ type: 'RuleViolation' });
    expect(await refusal(vote(h, members[2]!, 'abstain', { conditions: ['x'] }))).toMatchObject({ type: 'RuleViolation' });
    expect(await refusal(vote(h, members[2]!, 'approve', { revise: true }))).toMatchObject({ type: 'Conflict' });
    expect(await h.query(stateQuery)).toEqual(before);
    // An explicit revision replaces the ballot.
    await vote(h, members[1]!, 'reject', { revise: true, justification: 'new evidence' });
    const after = await h.query(stateQuery) as CommitteeApprovalState;
    expect(after.ballots).toEqual([expect.objectContaining({ actor: 'cleo', ballot: 'reject', revisedFrom: 'approve' })]);
    await h.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'test over' }] });
    await h.result();
    // A finished workflow takes no more Updates (the API answers 409 from the record).
    await expect(vote(h, members[3]!, 'approve')).rejects.toBeInstanceOf(WorkflowNotFoundError);
  });

  it('reminds, escalates and breaches the SLA without a quorum, never approving by silence', async () => {
    const h = await startItem({ urgent: true });
    await vote(h, members[1]!, 'approve');
    const result = (await h.result()) as CommitteeApprovalState;
    expect(result.outcome).toBe('sla_breached');
    expect(result.notices.map((n) => n.kind)).toEqual(expect.arrayContaining(['reminder', 'escalation', 'sla_breach']));
    const escalation = result.notices.find((n) => n.kind === 'escalation')!;
    expect(escalation.recipients).toContain(stack.policySet.aiGovernance.committee.escalation.escalateToRole);
    const { escalation: e } = stack.policySet.aiGovernance.committee;
    const started = Date.parse(result.events.find((x) => x.action === 'voting_opened')!.at);
    const decided = Date.parse(result.events.find((x) => x.action === 'decided')!.at);
    expect(Math.round((decided - started) / DAY)).toBe(e.slaBreachAfterDays);
  });

  it('closes the vote as cast at the deadline once a quorum voted, and extensions move the deadline', async () => {
    const h = await startItem({ urgent: true });
    await vote(h, members[1]!, 'approve');
    await vote(h, members[2]!, 'approve');
    await vote(h, members[3]!, 'reject');
    await h.executeUpdate(extendDeadlineUpdate, { args: [{ actor: chair, days: 10, reason: 'two members on leave' }] });
    const result = (await h.result()) as CommitteeApprovalState;
    expect(result.outcome).toBe('approved');
    const started = Date.parse(result.events.find((x) => x.action === 'voting_opened')!.at);
    const decided = Date.parse(result.events.find((x) => x.action === 'decided')!.at);
    expect(Math.round((decided - started) / DAY)).toBe(stack.policySet.aiGovernance.committee.escalation.slaBreachAfterDays! + 10);
    expect(result.events.find((x) => x.action === 'decided')!.details.reason).toContain('deadline');
  });

  describe('as the final approval of an architecture review', () => {
    async function startReview() {
      const businessKey = `ARCH-${randomUUID().slice(0, 8)}`;
      const input = architectureReviewInput(stack.policySet, businessKey, {
        urgent: true,
        policy: { ...stack.policySet.architectureReview, outcome: { ...stack.policySet.architectureReview.outcome, requiresCommitteeApproval: true } },
      });
      const h = await stack.env.client.workflow.start('architectureReview', { taskQueue, workflowId: `architecture-review/${businessKey}`, args: [input] });
      for (const [role, actor] of Object.entries(reviewers)) await h.executeUpdate(reviewVoteUpdate, { args: [{ actor, role, rulings: rulingsFor(stack.policySet, 'approve') }] });
      let state = (await h.query(stateQuery)) as ArchitectureReviewState;
      for (let i = 0; i < 50 && !state.committeeWorkflowId; i++) {
        await new Promise((r) => setTimeout(r, 100));
        state = (await h.query(stateQuery)) as ArchitectureReviewState;
      }
      expect(state.stage).toBe('awaiting_committee');
      expect(state.committeeWorkflowId).toBe(`committee-approval/architecture-review.${businessKey}`);
      return { h, committee: stack.env.client.workflow.getHandle(state.committeeWorkflowId!) };
    }

    it('is approved only once the committee approves, with the committee’s conditions', async () => {
      const { h, committee } = await startReview();
      expect(await refusal(h.executeUpdate(reviewVoteUpdate, { args: [{ actor: reviewers.technical_lead, role: 'technical_lead', rulings: rulingsFor(stack.policySet, 'approve'), revise: true }] }))).toMatchObject({ type: 'Conflict' });
      for (const m of members.slice(1, 4)) await committee.executeUpdate(committeeVoteUpdate, { args: [{ actor: m, ballot: 'approve', conditions: m.id === 'cora' ? ['annual re-review'] : [] }] });
      const result = (await h.result()) as ArchitectureReviewState;
      expect(result.outcome).toBe('approved_with_conditions');
      expect(result.conditions).toContain('annual re-review');
      const child = (await committee.result()) as CommitteeApprovalState;
      expect(child.subject).toMatchObject({ kind: 'architecture_review', workflowId: h.workflowId, recommendation: 'approved' });
      // govflow submitted the item on the review's behalf; the requester did not.
      expect(child.events.find((e) => e.action === 'submitted')).toMatchObject({ actor: 'govflow', actorKind: 'system', details: { onBehalfOf: requester.id } });
    });

    it('is rejected when the committee rejects', async () => {
      const { h, committee } = await startReview();
      for (const m of members.slice(1, 4)) await committee.executeUpdate(committeeVoteUpdate, { args: [{ actor: m, ballot: 'reject', justification: 'no business case' }] });
      expect(((await h.result()) as ArchitectureReviewState).outcome).toBe('rejected');
    });

    it('withdraws the committee item when the review is withdrawn', async () => {
      const { h, committee } = await startReview();
      expect(await refusal(committee.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'direct' }] }))).toMatchObject({ type: 'Conflict' });
      await h.executeUpdate(withdrawUpdate, { args: [{ actor: requester, reason: 'project cancelled' }] });
      expect(((await h.result()) as ArchitectureReviewState).outcome).toBe('withdrawn');
      const child = (await committee.result()) as CommitteeApprovalState;
      expect(child.outcome).toBe('withdrawn');
      expect(child.events.find((e) => e.action === 'withdrawn')?.details).toMatchObject({ reason: 'project cancelled', via: 'parent' });
    });
  });
});

// Last in the file: once an abandoned child (the obligation) completes after its parent, the time-skipping test
// server no longer skips time for later sleeps (temporalio/sdk-typescript#1101, sdk-java#2392).
describe('a direct item approved with conditions', () => {
  it("a direct item approved with a condition: the condition becomes an obligation the chair verifies", async () => {
    const h = await startItem({ urgent: true, obligations: true });
    await vote(h, members[1]!, 'approve');
    await vote(h, members[2]!, 'approve', { conditions: ['publish the model card'] });
    await vote(h, members[3]!, 'approve');
    const result = (await h.result()) as CommitteeApprovalState;
    expect(result).toMatchObject({ outcome: 'approved', obligations: [`obligation/committee-approval.${result.businessKey}.1`] });
    const obligation = (await stack.env.client.workflow.getHandle(result.obligations![0]!).query(stateQuery)) as ObligationState;
    expect(obligation).toMatchObject({ condition: 'publish the model card', owner: requester.id, verifierRole: 'committee_chair', parent: { workflowId: h.workflowId } });
    const handle = stack.env.client.workflow.getHandle(obligation.workflowId);
    await handle.executeUpdate(submitEvidenceUpdate, { args: [{ actor: requester, evidence: ['https://models.example.com/card/3'] }] });
    await handle.executeUpdate(verifyObligationUpdate, { args: [{ actor: chair, accept: true }] });
    expect(((await handle.result()) as ObligationState).outcome).toBe('fulfilled');
  });
});
