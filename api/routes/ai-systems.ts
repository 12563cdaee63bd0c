import { catalogueVersionAsOf } from '../../domain/engines/eu-ai-act-calendar.js';
import { pinnedAccess } from '../../domain/policy/access.js';
import {
  addRiskUpdate,
  AI_SYSTEM_WORKFLOW,
  feedbackUpdate,
  goLiveUpdate,
  measurementUpdate,
  reinstateUpdate,
  retireUpdate,
  reviewRiskUpdate,
  suspendUpdate,
  type AiSystemInput,
} from '../../workflows/ai-system/contract.js';
import { completeReviewUpdate, MONITORING_REVIEW_WORKFLOW, type MonitoringReviewInput } from '../../workflows/monitoring-review/contract.js';
import { runningSystem } from '../ai-system-refs.js';
import { requireActivePrincipals } from '../principal-checks.js';
import { action, registerProcessRoutes, withActor, type ApiDeps } from '../process-routes.js';
import type { RouteRegistry } from '../route-registry.js';
import { aiSystemBodies, completeReviewBody, feedbackBody, startAiSystemBody, startMonitoringReviewBody, stageChangeBody } from '../schemas/ai-system.js';
import { ethicalReviewPolicies } from './ethical-reviews.js';
import { incidentPolicies } from './incidents.js';

/** `/ai-systems`: the inventory, each system a long-running process that keeps its record. */
export function registerAiSystemRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  const bodies = aiSystemBodies(deps.policies.current);
  registerProcessRoutes(registry, deps, {
    kind: 'ai_system',
    path: '/ai-systems',
    tag: 'AI systems',
    workflowType: AI_SYSTEM_WORKFLOW,
    without: ['withdraw', 'extend-deadline'],
    startBody: startAiSystemBody,
    delegation: false,
    buildInput: async (body, actor, policy): Promise<AiSystemInput> => {
      await requireActivePrincipals(deps.db, [{ id: body.owner, path: 'owner' }]);
      const { assessment, ...rest } = body;
      return {
        ...rest,
        ...(assessment ? { assessment } : {}),
        requester: actor,
        policyVersion: policy.version.id,
        catalogueVersion: catalogueVersionAsOf(policy.catalogues.euAiAct, new Date().toISOString().slice(0, 10)).version,
        policy: { aiSystems: policy.aiGovernance.aiSystems, monitoring: policy.aiGovernance.complianceMonitoring },
        // What its monitors open is pinned now, as if started through the API under this policy.
        spawn: {
          ethicalReview: { policyVersion: policy.version.id, ...ethicalReviewPolicies(policy), access: pinnedAccess(policy, 'ethical_review') },
          incident: { policyVersion: policy.version.id, policy: incidentPolicies(policy), access: pinnedAccess(policy, 'incident') },
        },
      };
    },
    actions: [
      action({ name: 'production', summary: 'Take an approved system into production', body: stageChangeBody, update: goLiveUpdate, toRequest: withActor }),
      action({ name: 'suspend', summary: 'Suspend the system, with a reason', body: stageChangeBody, update: suspendUpdate, toRequest: withActor }),
      action({ name: 'reinstate', summary: 'Lift a suspension (not by who suspended it)', body: stageChangeBody, update: reinstateUpdate, toRequest: withActor }),
      action({ name: 'retire', summary: 'Retire the system: its monitoring schedules are removed', body: stageChangeBody, update: retireUpdate, toRequest: withActor }),
      action({ name: 'measurements', summary: 'Post a measurement (monitoring agents); one past its threshold opens an ethical review or an incident', body: bodies.measurement, update: measurementUpdate, toRequest: withActor }),
      action({
        name: 'risks',
        summary: 'Add a risk to the register, with likelihood, impact and residual risk on the policy’s scale',
        body: bodies.risk,
        update: addRiskUpdate,
        toRequest: async (body, actor) => {
          await requireActivePrincipals(deps.db, [{ id: body.owner, path: 'owner' }]);
          return { ...body, actor };
        },
      }),
      action({ name: 'risk-reviews', summary: 'Review a risk of the register (its owner, the system’s owner or the risk roles)', body: bodies.riskReview, update: reviewRiskUpdate, toRequest: withActor }),
      action({ name: 'feedback', summary: 'Record stakeholder feedback: opens a review for the owner and tells the board', body: feedbackBody, update: feedbackUpdate, toRequest: withActor }),
    ],
  });
}

/** `/monitoring-reviews`: the runs of the systems' review schedules, and reviews a steward opens by hand. */
export function registerMonitoringReviewRoutes(registry: RouteRegistry, deps: ApiDeps): void {
  const reviews = deps.policies.current.aiGovernance.complianceMonitoring.manualReviews.map((r) => r.key);
  registerProcessRoutes(registry, deps, {
    kind: 'monitoring_review',
    path: '/monitoring-reviews',
    tag: 'AI systems',
    workflowType: MONITORING_REVIEW_WORKFLOW,
    without: ['withdraw', 'extend-deadline'],
    startBody: startMonitoringReviewBody(reviews),
    delegation: false,
    buildInput: async (body, actor, policy): Promise<MonitoringReviewInput> => {
      const system = await runningSystem(deps, body.aiSystem, 'aiSystem');
      return {
        ...body,
        requester: actor,
        policyVersion: policy.version.id,
        owner: system.owner,
        policy: policy.aiGovernance.aiSystems.monitoringReviews,
      };
    },
    actions: [action({ name: 'conclusion', summary: 'Record the review’s conclusion (the system’s owner)', body: completeReviewBody, update: completeReviewUpdate, toRequest: withActor })],
  });
}
