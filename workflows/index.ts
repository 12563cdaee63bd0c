// The workflow bundle's entry point: every workflow type the worker runs.
export { architectureReview } from './architecture-review.js';
export { committeeApproval } from './committee-approval.js';
export { ethicalReview } from './ethical-review.js';
export {
  aiComplianceAssessment,
  performanceAssessmentEvaluation,
  strategicInitiativeEvaluation,
  technicalDecisionEvaluation,
  technologyProposalEvaluation,
} from './evaluation.js';
export { roadmapEngagement } from './roadmap-engagement.js';
export { pocScaleUp } from './poc-scale-up.js';
