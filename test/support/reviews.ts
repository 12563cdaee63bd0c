import { nextMeetingAt } from '../../domain/review/committee-calendar.js';
import type { GovernanceCommitteePolicy, PolicySet, Verdict } from '../../domain/policy/types.js';
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

/**
 * The meeting a committee item waits for: the policy's next meeting after the item was submitted (moved off a holiday
 * or non-working day when the policy names a calendar), as the workflow computes it.
 */
export function expectedMeetingAt(policy: GovernanceCommitteePolicy, item: { events: { action: string; at: string }[] }): string {
  const submitted = item.events.find((e) => e.action === 'submitted');
  if (!submitted) throw new Error('the item has no submitted event');
  return new Date(nextMeetingAt(policy, Date.parse(submitted.at))).toISOString();
}
