import { aiCompliancePolicyOf } from '../../domain/engines/ai-compliance.js';
import { ETHICAL_REVIEW_WORKFLOW, boardVoteUpdate, type EthicalReviewInput } from '../../workflows/ethical-review/contract.js';
import { action, registerProcessRoutes, withActor, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { boardVoteBody, startEthicalReviewBody } from '../schemas/ethical-review.js';

export function registerEthicalReviewRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  registerProcessRoutes(registry, deps, {
    kind: 'ethical_review',
    path: '/ethical-reviews',
    tag: 'Ethical reviews',
    workflowType: ETHICAL_REVIEW_WORKFLOW,
    startBody: startEthicalReviewBody(deps.policies.current.aiGovernance.ethicalReviewBoard.triggers),
    delegation: false,
    buildInput: (body, actor, policy): EthicalReviewInput => {
      return {
        ...body,
        requester: actor,
        policyVersion: policy.version.id,
        policy: policy.aiGovernance.ethicalReviewBoard,
        compliancePolicy: aiCompliancePolicyOf(policy),
        committeePolicy: policy.aiGovernance.committee,
        obligations: policy.aiGovernance.obligations,
      };
    },
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
