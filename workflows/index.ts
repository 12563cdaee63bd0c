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
export { ctoEngagement } from './cto-engagement.js';
export { retrospective } from './retrospective.js';
export { buildReport } from './report.js';
