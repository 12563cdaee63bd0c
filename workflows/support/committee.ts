import { condition, startChild } from '@temporalio/workflow';
import {
  COMMITTEE_APPROVAL_WORKFLOW,
  committeeWithdrawSignal,
  type CommitteeApprovalInput,
  type CommitteeApprovalState,
} from '../committee-approval/contract.js';
import { committeeKeyFor } from '../committee-approval/contract.js';
import { workflowIdFor, type Actor, type ProcessStateBase, type WithdrawRequest } from '../contracts/common.js';
import type { ProcessAccess } from '../../domain/policy/access.js';
import type { GovernanceCommitteePolicy } from '../../domain/policy/types.js';
import type { ProcessRecorder } from '../kernel/process-recorder.js';

/** A referring review's outcome once the committee has ruled. */
export type FinalOutcome = 'approved' | 'approved_with_conditions' | 'rejected' | 'sla_breached';

/**
 * Asks the governance committee for final approval as a child process and waits for its decision. If the
 * parent is withdrawn meanwhile (`withdrawal()` returns the request), the item is withdrawn from the committee
 * too, so no committee member votes on a dead request.
 */
export async function decideByCommittee(
  input: CommitteeApprovalInput,
  hooks: { started?(workflowId: string): void; withdrawal(): WithdrawRequest | null },
): Promise<CommitteeApprovalState> {
  const child = await startChild(COMMITTEE_APPROVAL_WORKFLOW, {
    workflowId: workflowIdFor('committee_approval', input.businessKey),
    args: [input],
  });
  hooks.started?.(child.workflowId);
  let settled = false;
  const result = (child.result() as Promise<CommitteeApprovalState>).finally(() => {
    settled = true;
  });
  await condition(() => settled || hooks.withdrawal() !== null);
  const withdrawal = hooks.withdrawal();
  if (!settled && withdrawal) await child.signal(committeeWithdrawSignal, withdrawal);
  return result;
}

/**
 * A review whose own reviewers approved, referred to the governance committee for final approval (when its
 * policy says so): waits in stage `awaiting_committee` and answers the review's final outcome, or null if the
 * review was closed meanwhile (withdrawn).
 */
export async function referToCommittee<S extends ProcessStateBase & { committeeWorkflowId: string | null }>(
  rec: ProcessRecorder<S>,
  referral: {
    proposed: 'approved' | 'approved_with_conditions';
    summary: string;
    requester: Actor;
    urgent: boolean;
    policy: GovernanceCommitteePolicy;
    /** The committee's access, handed down from the parent's pinned access. */
    access?: ProcessAccess;
    /** Recorded with the referral event. */
    details: Record<string, unknown>;
    withdrawal(): WithdrawRequest | null;
  },
): Promise<{ outcome: FinalOutcome; reason: string; conditions: string[] } | null> {
  const { state } = rec;
  state.stage = 'awaiting_committee';
  state.pendingRoles = ['committee_member'];
  state.slaDueAt = null;
  rec.event('system', 'referred_to_committee', referral.details);
  const committee = await decideByCommittee(
    {
      businessKey: committeeKeyFor(state.kind, state.businessKey),
      title: state.title,
      subject: { kind: state.kind, workflowId: state.workflowId, summary: referral.summary, recommendation: referral.proposed },
      requester: referral.requester,
      urgent: referral.urgent,
      urgencyReason: referral.urgent ? `the ${state.kind.replace(/_/g, ' ')} was raised as urgent` : undefined,
      policyVersion: state.policyVersion,
      policy: referral.policy,
      ...(referral.access ? { access: referral.access } : {}),
    },
    {
      started: (workflowId) => {
        state.committeeWorkflowId = workflowId;
        rec.changed();
      },
      withdrawal: referral.withdrawal,
    },
  );
  return state.outcome === null ? outcomeAfterCommittee(committee, referral.proposed) : null;
}

/** The parent's outcome once the committee has ruled on the approval its own reviewers reached. */
function outcomeAfterCommittee(
  committee: CommitteeApprovalState,
  proposed: 'approved' | 'approved_with_conditions',
): { outcome: FinalOutcome; reason: string; conditions: string[] } {
  if (committee.outcome === 'approved') {
    const withConditions = committee.conditions.length > 0 || proposed === 'approved_with_conditions';
    return { outcome: withConditions ? 'approved_with_conditions' : 'approved', reason: 'the reviewers and the governance committee approved', conditions: committee.conditions };
  }
  if (committee.outcome === 'sla_breached') return { outcome: 'sla_breached', reason: 'the governance committee did not decide in time', conditions: [] };
  return { outcome: 'rejected', reason: `the governance committee did not approve (${committee.outcome?.replace(/_/g, ' ')})`, conditions: [] };
}
