import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import type { ObligationPolicy } from '../../domain/policy/types.js';
import type { Actor, ProcessStateBase } from '../contracts/common.js';
import { workflowIdFor } from '../contracts/common.js';
import type { ProcessRecorder } from '../kernel/process-recorder.js';
import type { ObligationInput } from '../obligation/contract.js';
import { obligation } from '../obligation/workflow.js';

const DAY_MS = 86_400_000;

/**
 * The conditions an approval was given under, each started as an obligation that outlives the approval (an abandoned
 * child): owned by the requester, due by the policy, verified by the role the policy names for the approving kind.
 * Answers the obligations' workflow IDs, recorded on the approval.
 */
export async function startObligations<S extends ProcessStateBase>(state: S, rec: ProcessRecorder<S>, conditions: string[], policy: ObligationPolicy, requester: Actor): Promise<string[]> {
  const verifierRole = policy.verifierRoles[state.kind];
  if (!verifierRole) return [];
  const dueAt = new Date(Date.now() + policy.dueWithinDays * DAY_MS).toISOString();
  const ids: string[] = [];
  for (const [i, condition] of [...new Set(conditions.map((c) => c.trim()).filter(Boolean))].entries()) {
    const input: ObligationInput = {
      businessKey: `${state.workflowId.replace('/', '.')}.${i + 1}`,
      title: condition.length > 120 ? `${condition.slice(0, 117)}…` : condition,
      condition,
      parent: { workflowId: state.workflowId, kind: state.kind, title: state.title },
      owner: state.requester,
      dueAt,
      verifierRole,
      requester,
      policyVersion: state.policyVersion,
      ...(state.aiSystem ? { aiSystem: state.aiSystem } : {}),
      policy: { reminderBeforeDays: policy.reminderBeforeDays, escalateToRole: policy.escalateToRole, suspendApprovalWhenOverdue: policy.suspendApprovalWhenOverdue },
    };
    const child = await startChild(obligation, { workflowId: workflowIdFor('obligation', input.businessKey), args: [input], parentClosePolicy: ParentClosePolicy.ABANDON });
    ids.push(child.workflowId);
  }
  rec.event('system', 'obligations_created', { obligations: ids, dueAt });
  return ids;
}
