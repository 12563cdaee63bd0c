// The workflow bundle's entry point: every workflow type the worker runs.
export { architectureReview } from './architecture-review.js';
export {
  aiComplianceAssessment,
  performanceAssessmentEvaluation,
  strategicInitiativeEvaluation,
  technicalDecisionEvaluation,
  technologyProposalEvaluation,
} from './evaluation.js';
