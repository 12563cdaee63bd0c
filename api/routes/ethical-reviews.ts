import { aiCompliancePolicyOf } from '../../domain/engines/ai-compliance.js';
import type { PolicySet } from '../../domain/policy/types.js';
import { ETHICAL_REVIEW_WORKFLOW, boardVoteUpdate, type EthicalReviewInput } from '../../workflows/ethical-review/contract.js';
import { action, registerProcessRoutes, withActor, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { boardVoteBody, startEthicalReviewBody } from '../schemas/ethical-review.js';

/** The policy an ethical review pins, whoever starts it (the API, or a system's monitor). */
export function ethicalReviewPolicies(policy: PolicySet): Pick<EthicalReviewInput, 'policy' | 'compliancePolicy' | 'committeePolicy' | 'obligations'> {
  return {
    policy: policy.aiGovernance.ethicalReviewBoard,
    compliancePolicy: aiCompliancePolicyOf(policy),
    committeePolicy: policy.aiGovernance.committee,
    obligations: policy.aiGovernance.obligations,
  };
}

export function registerEthicalReviewRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  registerProcessRoutes(registry, deps, {
    kind: 'ethical_review',
    path: '/ethical-reviews',
    tag: 'Ethical reviews',
    workflowType: ETHICAL_REVIEW_WORKFLOW,
    startBody: startEthicalReviewBody(deps.policies.current.aiGovernance.ethicalReviewBoard.triggers),
    delegation: false,
    buildInput: (body, actor, policy): EthicalReviewInput => ({ ...body, requester: actor, policyVersion: policy.version.id, ...ethicalReviewPolicies(policy) }),
    actions: [
      action({
        name: 'votes',
        summary: 'Vote as a member of the ethical review board: a finding per review item and a ballot',
        body: boardVoteBody,
        update: boardVoteUpdate,
        toRequest: withActor,
      }),
    ],
  });
}
