import { PORTFOLIO_BUCKETS, type PortfolioCounts } from '../../domain/innovation/portfolio.js';
import type { Db } from '../../platform/database.js';
import { completeStageUpdate, gateReviewUpdate, POC_SCALE_UP_WORKFLOW, type PocScaleUpInput } from '../../workflows/poc-scale-up/contract.js';
import { requirePrincipalWithRole } from '../principal-checks.js';
import { action, registerProcessRoutes, withActor, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { completeStageBody, gateReviewBody, startPocScaleUpBody } from '../schemas/poc-scale-up.js';

/** Scaled-up PoCs per portfolio bucket, from the record (the bucket is in each process's state). */
export async function scaledUpPortfolio(db: Db): Promise<PortfolioCounts> {
  const counts = await Promise.all(
    PORTFOLIO_BUCKETS.map((bucket) => db.process.count({ where: { kind: 'poc_scale_up', outcome: 'scaled_up', state: { path: ['bucket'], equals: bucket } } })),
  );
  return Object.fromEntries(PORTFOLIO_BUCKETS.map((b, i) => [b, counts[i]!])) as PortfolioCounts;
}

export function registerPocScaleUpRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  registerProcessRoutes(registry, deps, {
    kind: 'poc_scale_up',
    path: '/poc-scale-ups',
    tag: 'Proofs of concept',
    workflowType: POC_SCALE_UP_WORKFLOW,
    startBody: startPocScaleUpBody(deps.policies.current.innovation.pocSelectionCriteria),
    delegation: false,
    buildInput: async (body, actor, policy): Promise<PocScaleUpInput> => {
      // The named sponsor must be a real, active holder of the role: the sponsor completes stages and is notified.
      await requirePrincipalWithRole(deps.db, body.proposal.businessSponsor, 'business_sponsor', 'proposal.businessSponsor');
      return {
        businessKey: body.businessKey,
        title: body.title,
        proposal: body.proposal,
        selfAssessment: body.selfAssessment,
        requester: actor,
        urgent: body.urgent,
        ...(body.urgencyReason ? { urgencyReason: body.urgencyReason } : {}),
        policyVersion: policy.version.id,
        policy: policy.innovation,
        committeePolicy: policy.aiGovernance.committee,
        portfolio: await scaledUpPortfolio(deps.db),
      };
    },
    actions: [
      action({
        name: 'gate-reviews',
        summary: 'Rule on every PoC selection criterion (business sponsor or committee member)',
        body: gateReviewBody,
        update: gateReviewUpdate,
        toRequest: withActor,
      }),
      action({
        name: 'stages',
        summary: 'Complete the current development stage (requester or business sponsor), in order',
        body: completeStageBody,
        update: completeStageUpdate,
        toRequest: withActor,
      }),
    ],
  });
}
