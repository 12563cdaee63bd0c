import type { PolicySet } from '../../domain/policy/types.js';
import type { PortfolioCounts } from '../../domain/innovation/portfolio.js';
import type { Actor } from '../../workflows/contracts/common.js';
import type { PocScaleUpInput, StageCompletion } from '../../workflows/poc-scale-up/contract.js';
import { chair, person, requester } from './actors.js';

export const sponsor = person('bea', 'business_sponsor');
export const gateReviewer = person('gus', 'committee_member');
/** Five seats (policy composition); the chair is one of them. */
export const committee = [chair, person('cleo', 'committee_member'), person('cyrus', 'committee_member'), person('cora', 'committee_member'), person('cole', 'committee_member')];

/** A 70/20/10-ish portfolio in which one more transformational scale-up breaks the tolerance (4 of 23 = 17.4%). */
export const balancedPortfolio: PortfolioCounts = { core: 15, adjacent: 4, transformational: 3 };

/** A PoC's workflow input under the given policy set, as the API would build it. */
export function pocScaleUpInput(policy: PolicySet, businessKey: string, overrides: Partial<PocScaleUpInput> = {}): PocScaleUpInput {
  return {
    businessKey,
    title: `Proof of concept ${businessKey}`,
    proposal: {
      hypothesis: 'Semantic search lifts self-service resolution',
      expectedImpact: 'Fewer support tickets',
      successMetrics: [
        { name: 'resolution_uplift_pct', target: 10 },
        { name: 'p95_latency_ms', target: 300, direction: 'at_most' },
      ],
      businessSponsor: sponsor.id,
      bucket: 'core',
      riskLevel: 'medium',
      budget: 120_000,
    },
    selfAssessment: Object.fromEntries(policy.innovation.pocSelectionCriteria.map((c) => [c, { met: true }])),
    requester,
    urgent: true,
    urgencyReason: 'budget cycle closes',
    policyVersion: policy.version.id,
    policy: policy.innovation,
    committeePolicy: policy.aiGovernance.committee,
    portfolio: balancedPortfolio,
    ...overrides,
  };
}

/** Every selection criterion met, with some overridden (an unmet one carries a note). */
export function gateCriteria(policy: PolicySet, unmet: string[] = []): Record<string, { met: boolean; note?: string }> {
  return Object.fromEntries(policy.innovation.pocSelectionCriteria.map((c) => [c, unmet.includes(c) ? { met: false, note: `${c} not shown` } : { met: true }]));
}

/** The team's completion of a stage; the experiment reports results that meet (or miss) every target. */
export function stageCompletion(actor: Actor, stage: string, results: 'meet' | 'miss' = 'meet'): StageCompletion {
  return {
    actor,
    stage,
    summary: `${stage} done`,
    evidence: [`https://wiki.example.com/poc/${stage}`],
    ...(stage === 'controlled_experimentation'
      ? {
          metricResults:
            results === 'meet'
              ? [
                  { name: 'resolution_uplift_pct', value: 12.5 },
                  { name: 'p95_latency_ms', value: 240 },
                ]
              : [
                  { name: 'resolution_uplift_pct', value: 4 },
                  { name: 'p95_latency_ms', value: 240 },
                ],
        }
      : {}),
  };
}

/** The development stages the team completes (the policy's, before the committee's decision). */
export function teamStages(policy: PolicySet): string[] {
  return policy.innovation.developmentProcess.slice(0, policy.innovation.developmentProcess.indexOf('scale_up_decision'));
}
