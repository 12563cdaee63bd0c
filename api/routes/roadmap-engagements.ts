import { runEngine, ENGINES } from '../../domain/engines/registry.js';
import { GovflowError } from '../../domain/errors.js';
import { roadmapPackageId } from '../../domain/roadmap/engagement.js';
import { workflowIdFor } from '../../workflows/contracts/common.js';
import {
  closePhaseEarlyUpdate,
  launchChildUpdate,
  reviewDeliverableUpdate,
  ROADMAP_ENGAGEMENT_WORKFLOW,
  signOffPhaseUpdate,
  submitDeliverableUpdate,
  type RoadmapEngagementInput,
} from '../../workflows/roadmap-engagement/contract.js';
import { requirePrincipalWithRole } from '../principal-checks.js';
import { action, registerProcessRoutes, withActor, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { closePhaseEarlyBody, launchChildBody, reviewDeliverableBody, signOffBody, startRoadmapEngagementBody, submitDeliverableBody } from '../schemas/roadmap-engagement.js';
import { roadmapPackage } from '../schemas/responses.js';

const PATH = '/roadmap-engagements';
const TAG = 'Roadmap engagements';

export function registerRoadmapEngagementRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  // The sponsor and the lead sign off every phase: both must be real holders of their roles.
  const namedPeopleExist = async <B extends { sponsor: string; engagementLead: string }>(body: B): Promise<B> => {
    await requirePrincipalWithRole(deps.db, body.sponsor, 'executive_sponsor', 'sponsor');
    await requirePrincipalWithRole(deps.db, body.engagementLead, 'engagement_lead', 'engagementLead');
    return body;
  };

  registerProcessRoutes(registry, deps, {
    kind: 'roadmap_engagement',
    path: PATH,
    tag: TAG,
    workflowType: ROADMAP_ENGAGEMENT_WORKFLOW,
    startBody: startRoadmapEngagementBody,
    delegation: false,
    buildInput: async (body, actor, policy): Promise<RoadmapEngagementInput> => ({
      ...(await namedPeopleExist(body)),
      requester: actor,
      policyVersion: policy.version.id,
      policy: policy.roadmap,
      // Children run under the same pinned version as the engagement that launches them.
      childPolicies: {
        architectureReview: policy.architectureReview,
        committee: policy.aiGovernance.committee,
        technologyProposal: ENGINES.technology_proposal.policyOf(policy),
        strategicInitiative: ENGINES.strategic_initiative.policyOf(policy),
      },
    }),
    actions: [
      action({
        name: 'early-close',
        summary: 'Close the signed-off phase before its minimum duration, with a justification (the sponsor, where the policy allows it)',
        body: closePhaseEarlyBody,
        update: closePhaseEarlyUpdate,
        toRequest: withActor,
      }),
      action({
        name: 'deliverables',
        summary: "Submit (or resubmit) one of the current phase's deliverables",
        body: submitDeliverableBody,
        update: submitDeliverableUpdate,
        toRequest: withActor,
      }),
      action({
        name: 'deliverable-reviews',
        summary: 'Accept a submitted deliverable or send it back with a note (the engagement lead)',
        body: reviewDeliverableBody,
        update: reviewDeliverableUpdate,
        toRequest: withActor,
      }),
      action({
        name: 'sign-offs',
        // The sign-off roles are the pinned policy's; the workflow checks that the caller holds the one named.
        summary: "Approve or reject the current phase at its gate, as one of the phase's sign-off roles",
        body: signOffBody,
        update: signOffPhaseUpdate,
        toRequest: withActor,
      }),
      action({
        name: 'children',
        summary: 'Launch an architecture review or an evaluation as a child process (from the strategy phase on)',
        body: launchChildBody,
        update: launchChildUpdate,
        toRequest: (req, actor, { policies }) => {
          if (req.kind !== 'architecture_review') {
            // A dry run against the current policy refuses input the engine would refuse (400) before a child starts;
            // the child itself runs on the engagement's pinned policy.
            const engine = req.kind === 'technology_proposal_evaluation' ? 'technology_proposal' : 'strategic_initiative';
            try {
              runEngine(engine, req.input, ENGINES[engine].policyOf(policies.current));
            } catch (err) {
              if (err instanceof GovflowError) throw new GovflowError(err.code, err.message, err.fields.map((f) => ({ ...f, path: /^input\b/.test(f.path) ? f.path : `input.${f.path}` })));
              throw err;
            }
          }
          return withActor(req, actor);
        },
      }),
    ],
  });

  registry.add({
    method: 'get',
    path: `${PATH}/:key/package`,
    summary: "A finished engagement's roadmap package: deliverables, decisions and child outcomes",
    tag: TAG,
    roles: [],
    response: roadmapPackage,
    handler: async ({ params }) => {
      const workflowId = workflowIdFor('roadmap_engagement', params.key!);
      const report = await deps.db.report.findUnique({ where: { id: roadmapPackageId(workflowId) } });
      if (!report) throw new GovflowError('NotFound', `no roadmap package for ${params.key} (unknown or not finished)`);
      return report.content;
    },
  });
}
