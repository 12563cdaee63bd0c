import type { PolicySet, Verdict } from '../../domain/policy/types.js';
import type { ArchitectureReviewInput } from '../../workflows/architecture-review/contract.js';
import { requester } from './actors.js';

/** An architecture review's workflow input under the given policy set, as the API would build it. */
export function architectureReviewInput(policy: PolicySet, businessKey: string, overrides: Partial<ArchitectureReviewInput> = {}): ArchitectureReviewInput {
  return {
    businessKey,
    title: `Review ${businessKey}`,
    trigger: 'new_system_design',
    systemDescription: 'A system under review',
    evidence: [],
    selfAssessment: {},
    requester,
    policyVersion: policy.version.id,
    policy: policy.architectureReview,
    committeePolicy: policy.aiGovernance.committee,
    ...overrides,
  };
}

/** The same verdict on every approval criterion of the policy, with some criteria overridden. */
export function rulingsFor(policy: PolicySet, verdict: Verdict, overrides: Record<string, Verdict> = {}): Record<string, Verdict> {
  return { ...Object.fromEntries(policy.architectureReview.approvalCriteria.map((c) => [c, verdict])), ...overrides };
}
