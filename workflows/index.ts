// The workflow bundle's entry point: every workflow type the worker runs.
export { architectureReview } from './architecture-review/workflow.js';
export { committeeApproval } from './committee-approval/workflow.js';
export { ethicalReview } from './ethical-review/workflow.js';
export {
  aiComplianceAssessment,
  performanceAssessmentEvaluation,
  strategicInitiativeEvaluation,
  technicalDecisionEvaluation,
  technologyProposalEvaluation,
} from './evaluation/workflow.js';
export { roadmapEngagement } from './roadmap-engagement/workflow.js';
export { pocScaleUp } from './poc-scale-up/workflow.js';
export { ctoEngagement } from './cto-engagement/workflow.js';
export { retrospective } from './retrospective/workflow.js';
export { incident } from './incident/workflow.js';
export { obligation } from './obligation/workflow.js';
export { aiSystem } from './ai-system/workflow.js';
export { monitoringReview } from './monitoring-review/workflow.js';
export { buildReport } from './report/workflow.js';
export { adrPullRequest } from './adr-publication/workflow.js';
