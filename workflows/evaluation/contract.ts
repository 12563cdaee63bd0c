import type { EngineName } from '../../domain/engines/registry.js';
import type { Actor, ProcessKind, ProcessStateBase } from '../contracts/common.js';

/** Process kind and workflow type of each engine's recorded evaluation. */
export const EVALUATIONS = {
  technical_decision: { kind: 'technical_decision_evaluation', workflowType: 'technicalDecisionEvaluation', path: 'technical-decisions' },
  technology_proposal: { kind: 'technology_proposal_evaluation', workflowType: 'technologyProposalEvaluation', path: 'technology-proposals' },
  strategic_initiative: { kind: 'strategic_initiative_evaluation', workflowType: 'strategicInitiativeEvaluation', path: 'strategic-initiatives' },
  performance_assessment: { kind: 'performance_assessment', workflowType: 'performanceAssessmentEvaluation', path: 'performance-assessments' },
  ai_compliance: { kind: 'ai_compliance_assessment', workflowType: 'aiComplianceAssessment', path: 'ai-compliance' },
} as const satisfies Record<EngineName, { kind: ProcessKind; workflowType: string; path: string }>;

export interface EvaluationInput {
  businessKey: string;
  title: string;
  requester: Actor;
  policyVersion: string;
  /** The engine's slice of the pinned policy set. */
  policy: unknown;
  /** The engine's input, validated again by the engine. */
  input: unknown;
  /** Business key of an earlier evaluation of the same engine whose decision this one replaces (see domain/adr). */
  supersedes?: string;
  /** The AI system of the inventory an AI compliance assessment is about. */
  aiSystem?: string;
}

export interface EvaluationState extends ProcessStateBase {
  engine: EngineName;
  result: unknown;
}
