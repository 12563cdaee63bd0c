import { GovflowError } from '../../domain/errors.js';
import { deliverUpdate, renewUpdate, termEndOf, termProblem, terminateUpdate, type CtoEngagementInput } from '../../workflows/cto-engagement/contract.js';
import { requirePrincipalWithRole } from '../principal-checks.js';
import { action, registerProcessRoutes, withActor, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { deliverBody, renewBody, startCtoEngagementBody, terminateBody } from '../schemas/cto-engagement.js';

export function registerCtoEngagementRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  registerProcessRoutes(registry, deps, {
    kind: 'cto_engagement',
    path: '/cto-engagements',
    tag: 'CTO engagements',
    workflowType: 'ctoEngagement',
    startBody: startCtoEngagementBody(deps.policies.current.ctoServiceModel.engagementTypes.map((t) => t.key)),
    delegation: false,
    buildInput: async (body, actor, policy): Promise<CtoEngagementInput> => {
      await requirePrincipalWithRole(deps.db, body.sponsor, 'executive_sponsor', 'sponsor');
      // The schema holds the current policy's types, and new engagements pin the current policy.
      const type = policy.ctoServiceModel.engagementTypes.find((t) => t.key === body.engagementType)!;
      const problem = termProblem(type, body.termMonths);
      if (problem) throw new GovflowError('ValidationError', problem, [{ path: 'termMonths', message: problem }]);
      if (body.startDate && body.termMonths !== undefined && Date.parse(termEndOf(body.startDate, { months: body.termMonths, days: 0 })) <= Date.now()) {
        throw new GovflowError('ValidationError', 'the term would already have ended', [{ path: 'startDate', message: 'the term must end in the future' }]);
      }
      return { ...body, requester: actor, policyVersion: policy.version.id, policy: policy.ctoServiceModel };
    },
    actions: [
      action({
        name: 'deliverables',
        summary: 'Deliver a deliverable of the engagement type (engagement lead)',
        body: deliverBody,
        update: deliverUpdate,
        toRequest: withActor,
      }),
      action({
        name: 'renew',
        summary: 'Renew the term by some months, within the type’s maximum (requester)',
        body: renewBody,
        update: renewUpdate,
        toRequest: withActor,
      }),
      action({
        name: 'terminate',
        summary: 'End the engagement early, with a reason (requester)',
        body: terminateBody,
        update: terminateUpdate,
        toRequest: withActor,
      }),
    ],
  });
}
