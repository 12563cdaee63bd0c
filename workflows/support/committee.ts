import { condition, startChild } from '@temporalio/workflow';
import {
  COMMITTEE_APPROVAL_WORKFLOW,
  committeeWithdrawSignal,
  type CommitteeApprovalInput,
  type CommitteeApprovalState,
} from '../contracts/committee-approval.js';
import { workflowIdFor, type WithdrawRequest } from '../contracts/common.js';

/**
 * Asks the governance committee for final approval as a child process and waits for its decision. If the
 * parent is withdrawn meanwhile (`withdrawal()` returns the request), the item is withdrawn from the committee
 * too, so no committee member votes on a dead request.
 */
export async function decideByCommittee(
  input: CommitteeApprovalInput,
  hooks: { started(workflowId: string): void; withdrawal(): WithdrawRequest | null },
): Promise<CommitteeApprovalState> {
  const child = await startChild(COMMITTEE_APPROVAL_WORKFLOW, {
    workflowId: workflowIdFor('committee_approval', input.businessKey),
    args: [input],
  });
  hooks.started(child.workflowId);
  let settled = false;
  const result = (child.result() as Promise<CommitteeApprovalState>).finally(() => {
    settled = true;
  });
  await condition(() => settled || hooks.withdrawal() !== null);
  const withdrawal = hooks.withdrawal();
  if (!settled && withdrawal) await child.signal(committeeWithdrawSignal, withdrawal);
  return result;
}

/** The parent's outcome once the committee has ruled on the approval its own reviewers reached. */
export function outcomeAfterCommittee(
  committee: CommitteeApprovalState,
  proposed: 'approved' | 'approved_with_conditions',
): { outcome: string; reason: string; conditions: string[] } {
  if (committee.outcome === 'approved') {
    const withConditions = committee.conditions.length > 0 || proposed === 'approved_with_conditions';
    return { outcome: withConditions ? 'approved_with_conditions' : 'approved', reason: 'the reviewers and the governance committee approved', conditions: committee.conditions };
  }
  if (committee.outcome === 'sla_breached') return { outcome: 'sla_breached', reason: 'the governance committee did not decide in time', conditions: [] };
  return { outcome: 'rejected', reason: `the governance committee did not approve (${committee.outcome?.replace(/_/g, ' ')})`, conditions: [] };
}
