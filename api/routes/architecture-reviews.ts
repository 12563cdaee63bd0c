import type { ArchitectureReviewInput } from '../../workflows/architecture-review/contract.js';
import { resubmitUpdate, reviewVoteUpdate } from '../../workflows/architecture-review/contract.js';
import { requireSupersedable } from '../decision-records.js';
import { action, registerProcessRoutes, withActor, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { resubmitBody, reviewVoteBody, startArchitectureReviewBody } from '../schemas/architecture-review.js';

export function registerArchitectureReviewRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  registerProcessRoutes(registry, deps, {
    kind: 'architecture_review',
    path: '/architecture-reviews',
    tag: 'Architecture reviews',
    workflowType: 'architectureReview',
    startBody: startArchitectureReviewBody(deps.policies.current.architectureReview),
    delegation: true,
    buildInput: async (body, actor, policy): Promise<ArchitectureReviewInput> => {
      await requireSupersedable(deps, 'architecture_review', body.supersedes);
      return {
        ...body,
        requester: actor,
        policyVersion: policy.version.id,
        policy: policy.architectureReview,
        committeePolicy: policy.aiGovernance.committee,
        obligations: policy.aiGovernance.obligations,
      };
    },
    actions: [
      action({
        name: 'votes',
        summary: 'Vote as a reviewer: a ruling on every approval criterion',
        body: reviewVoteBody,
        update: reviewVoteUpdate,
        toRequest: withActor,
      }),
      action({
        name: 'resubmit',
        summary: 'Resubmit after changes were requested (requester only)',
        body: resubmitBody,
        update: resubmitUpdate,
        toRequest: withActor,
      }),
    ],
  });
}
