import type { PolicySet } from '../policy/types.js';
import { aiCompliancePolicyOf, runAiCompliance } from './ai-compliance.js';
import { runDecisionMatrix } from './decision-matrix.js';
import { runPerformanceAssessment } from './performance-assessment.js';
import { runStrategicInitiative } from './strategic-initiative.js';
import { runTechnologyProposal } from './technology-proposal.js';

/**
 * The five engines by name, each with the slice of the policy set it runs on. Pure: the evaluation activity
 * runs them, and the API dry-runs them to refuse bad input (400) before a durable process starts.
 */
export const ENGINES = {
  technical_decision: { policyOf: (p: PolicySet) => p.decisionCriteria, run: runDecisionMatrix },
  technology_proposal: { policyOf: (p: PolicySet) => p.technologyProposal, run: runTechnologyProposal },
  strategic_initiative: { policyOf: (p: PolicySet) => p.strategicInitiative, run: runStrategicInitiative },
  performance_assessment: { policyOf: (p: PolicySet) => p.performanceAssessment, run: runPerformanceAssessment },
  ai_compliance: { policyOf: (p: PolicySet) => aiCompliancePolicyOf(p), run: runAiCompliance, asOf: true },
} as const;

export type EngineName = keyof typeof ENGINES;

export function runEngine(engine: EngineName, input: unknown, policySlice: unknown): unknown {
  return (ENGINES[engine].run as (raw: unknown, policy: unknown) => unknown)(input, policySlice);
}

/**
 * The input with the date the law is applied as of: an engine that evaluates the law as of a date (`asOf`) gets
 * `today` unless the caller named a date, so the recorded input alone reproduces the result.
 */
export function withAsOf(engine: EngineName, input: unknown, today: string): unknown {
  const dated = 'asOf' in ENGINES[engine];
  if (!dated || typeof input !== 'object' || input === null || Array.isArray(input) || 'asOf' in input) return input;
  return { ...input, asOf: today };
}
