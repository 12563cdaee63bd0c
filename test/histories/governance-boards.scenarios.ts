import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PolicySet } from '../../domain/policy/types.js';
import { until, type Scenario } from './scenario.js';
import { accessFor } from '../../domain/policy/access.js';
import { reviewVoteUpdate, type ArchitectureReviewState } from '../../workflows/architecture-review/contract.js';
import { COMMITTEE_APPROVAL_WORKFLOW, committeeVoteUpdate, type CommitteeApprovalInput } from '../../workflows/committee-approval/contract.js';
import { stateQuery } from '../../workflows/contracts/common.js';
import { boardVoteUpdate, type EthicalReviewState } from '../../workflows/ethical-review/contract.js';
import { committeeMembers, requester, reviewers } from '../support/actors.js';
import { assessments, boardMembers, ethicalReviewInput } from '../support/ethical-reviews.js';
import { architectureReviewInput, rulingsFor } from '../support/reviews.js';

async function committeeVotes(env: TestWorkflowEnvironment, workflowId: string, ballots: ('approve' | 'reject')[]) {
  const h = env.client.workflow.getHandle(workflowId);
  for (const [i, ballot] of ballots.entries()) {
    await h.executeUpdate(committeeVoteUpdate, { args: [{ actor: committeeMembers[i]!, ballot, justification: ballot === 'reject' ? 'recorded' : undefined }] });
  }
}

/** A committee item put to the committee directly (no parent process), waiting for the next meeting. */
function directItem(policy: PolicySet, businessKey: string, title: string): CommitteeApprovalInput {
  return {
    businessKey,
    title,
    subject: { kind: 'committee_approval', workflowId: null, summary: 'recorded scenario' },
    requester,
    urgent: false,
    policyVersion: policy.version.id,
    policy: policy.aiGovernance.committee,
  };
}

export const governanceBoardScenarios: Scenario[] = [
  {
    // Access pinned at start: every voter role pending and the meeting date due while the item waits.
    name: 'committee-approval/seats-visible-then-approved',
    async run(env, taskQueue, policy) {
      const input = { ...directItem(policy, 'REC-GC-2', 'Recorded committee item with pinned access'), access: accessFor(policy, 'committee_approval') };
      const h = await env.client.workflow.start(COMMITTEE_APPROVAL_WORKFLOW, { taskQueue, workflowId: 'committee-approval/REC-GC-2', args: [input] });
      await env.sleep('32 days');
      await committeeVotes(env, h.workflowId, ['approve', 'approve', 'approve']);
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'committee-approval/monthly-meeting-casting-vote',
    async run(env, taskQueue, policy) {
      const input = directItem(policy, 'REC-GC-1', 'Recorded committee item');
      const h = await env.client.workflow.start(COMMITTEE_APPROVAL_WORKFLOW, { taskQueue, workflowId: 'committee-approval/REC-GC-1', args: [input] });
      await env.sleep('32 days'); // past the next monthly meeting
      await committeeVotes(env, h.workflowId, ['approve', 'approve', 'reject', 'reject']);
      await env.sleep('50 days'); // the deadline closes the vote: an even split, the chair's casting vote
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'architecture-review/committee-final-approval',
    async run(env, taskQueue, policy) {
      const input = architectureReviewInput(policy, 'REC-4', {
        urgent: true,
        policy: { ...policy.architectureReview, outcome: { ...policy.architectureReview.outcome, requiresCommitteeApproval: true } },
      });
      const h = await env.client.workflow.start('architectureReview', { taskQueue, workflowId: 'architecture-review/REC-4', args: [input] });
      for (const [role, actor] of Object.entries(reviewers)) await h.executeUpdate(reviewVoteUpdate, { args: [{ actor, role, rulings: rulingsFor(policy, 'approve') }] });
      const s = await until(() => h.query(stateQuery) as Promise<ArchitectureReviewState>, (x) => x.committeeWorkflowId !== null);
      await committeeVotes(env, s.committeeWorkflowId!, ['approve', 'approve', 'approve']);
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'ethical-review/high-risk-to-committee',
    async run(env, taskQueue, policy) {
      const h = await env.client.workflow.start('ethicalReview', { taskQueue, workflowId: 'ethical-review/REC-ERB-1', args: [ethicalReviewInput(policy, 'REC-ERB-1', { urgent: true })] });
      const open = await until(() => h.query(stateQuery) as Promise<EthicalReviewState>, (x) => x.stage === 'board_review');
      const findings = Object.fromEntries(open.reviewItems.map((i) => [i, 'satisfactory' as const]));
      for (const actor of boardMembers.slice(0, 3)) await h.executeUpdate(boardVoteUpdate, { args: [{ actor, ballot: 'approve', findings }] });
      const s = await until(() => h.query(stateQuery) as Promise<EthicalReviewState>, (x) => x.committeeWorkflowId !== null);
      await committeeVotes(env, s.committeeWorkflowId!, ['approve', 'approve', 'approve']);
      await h.result();
      return h.workflowId;
    },
  },
  {
    name: 'ethical-review/prohibited',
    async run(env, taskQueue, policy) {
      const h = await env.client.workflow.start('ethicalReview', { taskQueue, workflowId: 'ethical-review/REC-ERB-2', args: [ethicalReviewInput(policy, 'REC-ERB-2', { assessment: assessments.prohibited })] });
      await h.result();
      return h.workflowId;
    },
  },
];
