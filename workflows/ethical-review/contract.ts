import { defineUpdate } from '@temporalio/workflow';
import type { AiCompliancePolicy, RemediationAction } from '../../domain/engines/ai-compliance.js';
import type { ObligationPolicy, EthicalReviewBoardPolicy, EuAiActTier, GovernanceCommitteePolicy } from '../../domain/policy/types.js';
import type { BallotRequest, RecordedBallot, Tally } from '../contracts/ballots.js';
import type { Actor, ProcessStateBase, ProcessReceipt } from '../contracts/common.js';
import type { PinnedAccess } from '../../domain/policy/access.js';

export const ETHICAL_REVIEW_WORKFLOW = 'ethicalReview';

export interface EthicalReviewInput {
  businessKey: string;
  title: string;
  /** One of the board's review triggers, e.g. new_ai_model_deployment. */
  trigger: string;
  systemDescription: string;
  evidence: string[];
  /** The AI compliance engine's input (intake answers, evidence per checklist item, owners). */
  assessment: unknown;
  requester: Actor;
  urgent?: boolean;
  policyVersion: string;
  policy: EthicalReviewBoardPolicy;
  compliancePolicy: AiCompliancePolicy;
  /** Needed when the board's approval goes on to the governance committee. */
  committeePolicy?: GovernanceCommitteePolicy;
  /** Who may act and the segregation of duties, pinned at start (absent in runs started before it was pinned). */
  access?: PinnedAccess;
  /** Conditions of an approval become obligations (absent in reviews started before obligations). */
  obligations?: ObligationPolicy;
  /** The AI system of the inventory it reviews. */
  aiSystem?: string;
}

/** How a board member finds one review item (ethical impact, bias, fairness, transparency, FRIA). */
export type Finding = 'satisfactory' | 'concerns' | 'unsatisfactory';

export interface BoardVote extends BallotRequest {
  /** A finding on every review item that applies to this system. */
  findings: Record<string, Finding>;
}

export interface RecordedBoardBallot extends RecordedBallot {
  findings: Record<string, Finding>;
}

/** What the board sees of the compliance assessment; the full result is the process's recorded evaluation. */
export interface ComplianceSummary {
  tier: EuAiActTier;
  blocked: boolean;
  reasons: string[];
  articles: string[];
  overallStatus: string;
  score: number | null;
  gaps: { item: string; severity: string; status: string }[];
  remediationPlan: RemediationAction[];
}

export type EthicalReviewStage = 'compliance_assessment' | 'board_review' | 'awaiting_committee' | 'closed';

export interface EthicalReviewState extends ProcessStateBase<EthicalReviewStage, EthicalReviewOutcome> {
  /** The obligations its conditions became, once started. */
  obligations?: string[];
  kind: 'ethical_review';
  trigger: string;
  /** The policy's review items that apply: high-risk-only items (FRIA) only for high-risk systems. */
  reviewItems: string[];
  compliance: ComplianceSummary | null;
  members: number;
  ballots: RecordedBoardBallot[];
  tally: Tally | null;
  conditions: string[];
  extensionDays: number;
  committeeWorkflowId: string | null;
}

export type EthicalReviewOutcome =
  | 'approved'
  | 'approved_with_conditions'
  | 'rejected'
  | 'prohibited'
  | 'invalid_assessment'
  | 'withdrawn'
  | 'sla_breached';

export const boardVoteUpdate = defineUpdate<ProcessReceipt, [BoardVote]>('boardVote');
