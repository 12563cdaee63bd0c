import { catalogueVersionAsOf } from '../../domain/engines/eu-ai-act-calendar.js';
import { pinnedAccess } from '../../domain/policy/access.js';
import type { PolicySet } from '../../domain/policy/types.js';
import { ethicalReviewPolicies } from '../../api/routes/ethical-reviews.js';
import { incidentPolicies } from '../../api/routes/incidents.js';
import type { AiSystemInput } from '../../workflows/ai-system/contract.js';
import { person, requester } from './actors.js';
import { assessments } from './ethical-reviews.js';

export const owner = person('olga', 'requester');
export const steward = person('stella', 'ai_system_steward');
export const monitor: AiSystemInput['requester'] = { id: 'bias-monitor', kind: 'agent', roles: ['monitoring_agent'] };

/** A registered system's workflow input, as the API builds it (with the high-risk CV screener's intake answers). */
export function aiSystemInput(policy: PolicySet, businessKey: string, overrides: Partial<AiSystemInput> = {}): AiSystemInput {
  return {
    businessKey,
    title: `CV screener ${businessKey}`,
    purpose: 'Ranks job applications for recruiters',
    owner: owner.id,
    operatorRoles: ['deployer'],
    assessment: assessments.highRisk,
    requester,
    policyVersion: policy.version.id,
    catalogueVersion: catalogueVersionAsOf(policy.catalogues.euAiAct, '2026-12-01').version,
    policy: { aiSystems: policy.aiGovernance.aiSystems, monitoring: policy.aiGovernance.complianceMonitoring },
    spawn: {
      ethicalReview: { policyVersion: policy.version.id, ...ethicalReviewPolicies(policy), access: pinnedAccess(policy, 'ethical_review') },
      incident: { policyVersion: policy.version.id, policy: incidentPolicies(policy), access: pinnedAccess(policy, 'incident') },
    },
    access: pinnedAccess(policy, 'ai_system'),
    ...overrides,
  };
}
