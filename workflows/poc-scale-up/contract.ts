import { defineUpdate } from '@temporalio/workflow';
import type { MetricResult, ResultsAnalysis, SuccessMetric } from '../../domain/innovation/experiment-results.js';
import type { PortfolioBucket, PortfolioCounts, ScaleUpProjection } from '../../domain/innovation/portfolio.js';
import type { GovernanceCommitteePolicy, InnovationPolicy } from '../../domain/policy/types.js';
import type { CommitteeOutcome } from '../committee-approval/contract.js';
import type { Actor, ProcessStateBase, ProcessReceipt } from '../contracts/common.js';
import type { PinnedAccess } from '../../domain/policy/access.js';

/** Workflow type name, for the API and tests. */
export const POC_SCALE_UP_WORKFLOW = 'pocScaleUp';

/** The development stage the governance committee decides in (the policy's last development stage). */
export const SCALE_UP_DECISION_STAGE = 'scale_up_decision';
/** The stage whose completion must report a measured value per success metric. */
export const EXPERIMENT_STAGE = 'controlled_experimentation';
/** Roles that may rule on the selection gate (admins too). */
export const GATE_REVIEWER_ROLES = ['business_sponsor', 'committee_member'];

export interface PocProposal {
  hypothesis: string;
  expectedImpact: string;
  successMetrics: SuccessMetric[];
  /** Principal ID of the named business sponsor (holder of business_sponsor). */
  businessSponsor: string;
  bucket: PortfolioBucket;
  riskLevel: 'low' | 'medium' | 'high';
  budget?: number;
}

export interface PocScaleUpInput {
  businessKey: string;
  title: string;
  proposal: PocProposal;
  /** The requester's own view of each selection criterion of the policy. */
  selfAssessment: Record<string, { met: boolean; notes?: string }>;
  requester: Actor;
  /** Whether the committee should decide out of cycle instead of at its next meeting. */
  urgent?: boolean;
  urgencyReason?: string;
  policyVersion: string;
  policy: InnovationPolicy;
  /** The governance committee that takes the scale-up decision; its escalation timers pace every stage. */
  committeePolicy: GovernanceCommitteePolicy;
  /** Scaled-up PoCs per bucket when the process started (the API counts them in the record). */
  portfolio: PortfolioCounts;
  /** Who may act and the segregation of duties, pinned at start (absent in runs started before it was pinned). */
  access?: PinnedAccess;
}

export interface GateReview {
  actor: Actor;
  /** A ruling per selection criterion of the policy; an unmet criterion needs a note. */
  criteria: Record<string, { met: boolean; note?: string }>;
}

export interface StageCompletion {
  actor: Actor;
  /** The stage being completed: must be the current one. */
  stage: string;
  summary: string;
  evidence?: string[];
  /** Required for controlled_experimentation: a measured value per success metric. */
  metricResults?: MetricResult[];
}

export interface CompletedStage {
  stage: string;
  summary: string;
  evidence: string[];
  actor: string;
  actorKind: Actor['kind'];
  at: string;
}

export type PocScaleUpOutcome = 'not_selected' | 'scaled_up' | 'not_scaled' | 'withdrawn' | 'sla_breached';

/** The stage is the policy's development stage (or the selection gate, the scale-up decision, closed). */
export interface PocScaleUpState extends ProcessStateBase<string, PocScaleUpOutcome> {
  kind: 'poc_scale_up';
  bucket: PortfolioBucket;
  proposal: PocProposal;
  businessSponsor: string;
  /** The selection gate's ruling, once given. */
  gate: { reviewer: string; role: string; criteria: GateReview['criteria']; passed: boolean; at: string } | null;
  /** Development stages worked by the team, in policy order (before the committee's decision). */
  stages: string[];
  completedStages: CompletedStage[];
  metricResults: MetricResult[];
  analysis: ResultsAnalysis | null;
  /** The portfolio if this PoC scales up, computed before the committee decides. */
  portfolioProjection: ScaleUpProjection | null;
  portfolioWarning: string | null;
  committeeWorkflowId: string | null;
  committeeOutcome: CommitteeOutcome | null;
  reasons: string[];
  /** Days the current stage's deadlines have been extended by (reset when the next stage starts). */
  extensionDays: number;
}

export const gateReviewUpdate = defineUpdate<ProcessReceipt, [GateReview]>('gateReview');
export const completeStageUpdate = defineUpdate<ProcessReceipt, [StageCompletion]>('completeStage');
