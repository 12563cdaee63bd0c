import { aiCompliancePolicyOf } from '../../domain/engines/ai-compliance.js';
import { GovflowError } from '../../domain/errors.js';
import { ETHICAL_REVIEW_WORKFLOW, boardVoteUpdate, type EthicalReviewInput } from '../../workflows/contracts/ethical-review.js';
import { action, registerProcessRoutes, withActor, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { boardVoteBody, startEthicalReviewBody } from '../schemas/ethical-review.js';

export function registerEthicalReviewRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  registerProcessRoutes(registry, deps, {
    kind: 'ethical_review',
    path: '/ethical-reviews',
    tag: 'Ethical reviews',
    workflowType: ETHICAL_REVIEW_WORKFLOW,
    startBody: startEthicalReviewBody,
    delegation: false,
    buildInput: (body, actor, policy): EthicalReviewInput => {
      const board = policy.aiGovernance.ethicalReviewBoard;
      if (!board.triggers.includes(body.trigger)) {
        throw new GovflowError('ValidationError', "trigger must be one of the ethical review board's triggers", [{ path: 'trigger', message: `expected one of ${board.triggers.join(', ')}` }]);
      }
      return {
        ...body,
        requester: actor,
        policyVersion: policy.version.id,
        policy: board,
        compliancePolicy: aiCompliancePolicyOf(policy),
        committeePolicy: policy.aiGovernance.committee,
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
