/** Every kind of govflow process; workflow IDs, policy permissions and the record are keyed by these. */
export const PROCESS_KINDS = [
  'architecture_review',
  'ethical_review',
  'committee_approval',
  'poc_scale_up',
  'roadmap_engagement',
  'cto_engagement',
  'retrospective',
  'technical_decision_evaluation',
  'technology_proposal_evaluation',
  'strategic_initiative_evaluation',
  'performance_assessment',
  'ai_compliance_assessment',
  'incident',
  'obligation',
  'ai_system',
  'monitoring_review',
] as const;

export type ProcessKind = (typeof PROCESS_KINDS)[number];
