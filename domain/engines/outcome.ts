/**
 * The headline of an engine's result (its verdict and score), shared by the evaluation workflow (search attributes,
 * listings) and the policy impact replay. Type imports only, so workflow code can use it. Pure.
 */
import type { AiComplianceResult } from './ai-compliance.js';
import type { DecisionMatrixResult } from './decision-matrix.js';
import type { PerformanceAssessmentResult } from './performance-assessment.js';
import type { StrategicInitiativeResult } from './strategic-initiative.js';
import type { TechnologyProposalResult } from './technology-proposal.js';

export type EngineResult = DecisionMatrixResult | TechnologyProposalResult | StrategicInitiativeResult | PerformanceAssessmentResult | AiComplianceResult;

/** The engine's headline verdict, for search attributes and listings. */
export function outcomeOf(result: unknown): string {
  const r = result as EngineResult;
  switch (r.engine) {
    case 'decision_matrix':
      return r.recommendation.status;
    case 'technology_proposal':
      return r.decision;
    case 'strategic_initiative':
      return r.recommendation;
    case 'performance_assessment':
      return r.careerGuidance.track;
    case 'ai_compliance':
      return r.classification.blocked ? 'prohibited' : r.overall.status;
  }
}

/** The engine's headline number and, where it recommends one, the option it recommends. */
export function scoreOf(result: unknown): { score: number | null; recommendation: string | null } {
  const r = result as EngineResult;
  switch (r.engine) {
    case 'decision_matrix':
      return { score: r.recommendation.margin, recommendation: r.recommendation.option };
    case 'technology_proposal':
    case 'strategic_initiative':
      return { score: r.total, recommendation: null };
    case 'performance_assessment':
      return { score: r.overall.current, recommendation: null };
    case 'ai_compliance':
      return { score: r.overall.score, recommendation: null };
  }
}
