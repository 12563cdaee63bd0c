import type { CommitteeApprovalInput } from '../../workflows/committee-approval/contract.js';
import { COMMITTEE_APPROVAL_WORKFLOW, committeeVoteUpdate, isParentCommitteeKey } from '../../workflows/committee-approval/contract.js';
import { GovflowError } from '../../domain/errors.js';
import { action, registerProcessRoutes, withActor, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { committeeVoteBody, startCommitteeApprovalBody } from '../schemas/committee-approval.js';

/**
 * The governance committee's items. Most are started by other processes (architecture reviews, ethical
 * reviews, PoC scale-ups) as child workflows; a requester may also put an item to the committee directly.
 */
export function registerCommitteeApprovalRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  registerProcessRoutes(registry, deps, {
    kind: 'committee_approval',
    path: '/committee-approvals',
    tag: 'Governance committee',
    workflowType: COMMITTEE_APPROVAL_WORKFLOW,
    startBody: startCommitteeApprovalBody,
    delegation: false,
    buildInput: (body, actor, policy): CommitteeApprovalInput => {
      if (isParentCommitteeKey(body.businessKey)) {
        // Keys such as `ethical-review.ERB-7` belong to the committee items other processes start.
        throw new GovflowError('ValidationError', 'this business key is reserved for a process’s own committee item', [{ path: 'businessKey', message: 'must not start with a process kind followed by a dot' }]);
      }
      return {
        businessKey: body.businessKey,
        title: body.title,
        subject: { kind: 'committee_approval', workflowId: null, summary: body.summary, recommendation: body.recommendation },
        requester: actor,
        urgent: body.urgent,
        urgencyReason: body.urgencyReason,
        policyVersion: policy.version.id,
        policy: policy.aiGovernance.committee,
        obligations: policy.aiGovernance.obligations,
      };
    },
    actions: [
      action({
        name: 'votes',
        summary: 'Cast (or revise) your ballot as a committee member',
        body: committeeVoteBody,
        update: committeeVoteUpdate,
        toRequest: withActor,
      }),
    ],
  });
}
