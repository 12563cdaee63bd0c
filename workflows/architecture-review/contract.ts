import { defineUpdate } from '@temporalio/workflow';
import type { ObligationPolicy, ArchitectureReviewPolicy, GovernanceCommitteePolicy, Verdict } from '../../domain/policy/types.js';
import type { PinnedAccess } from '../../domain/policy/access.js';
import type { Actor, ProcessStateBase, ProcessReceipt } from '../contracts/common.js';

export interface ArchitectureReviewInput {
  businessKey: string;
  title: string;
  trigger: string;
  systemDescription: string;
  evidence: string[];
  /** The requester's self-assessment against each architectural principle. */
  selfAssessment: Record<string, { status: 'compliant' | 'partial' | 'non_compliant'; notes?: string }>;
  requester: Actor;
  /** Optional named reviewer per role; an unnamed role may be taken by any holder of it. */
  assignees?: Record<string, string>;
  urgent?: boolean;
  policyVersion: string;
  policy: ArchitectureReviewPolicy;
  /** Needed when the policy asks for the governance committee's final approval. */
  committeePolicy?: GovernanceCommitteePolicy;
  /** Who may act and the segregation of duties, pinned at start (absent in runs started before it was pinned). */
  access?: PinnedAccess;
  /** Business key of an earlier architecture review whose decision this one replaces (its ADR becomes superseded). */
  supersedes?: string;
  /** Conditions of an approval become obligations (absent in reviews started before obligations). */
  obligations?: ObligationPolicy;
}

export interface ReviewVote {
  actor: Actor;
  role: string;
  /** A ruling per approval criterion of the policy. */
  rulings: Record<string, Verdict>;
  justification?: string;
  conditions?: string[];
  evidence?: string[];
  /** Set to replace this role's earlier vote in the same round. */
  revise?: boolean;
}

export interface RecordedVote extends Omit<ReviewVote, 'actor' | 'revise'> {
  actor: string;
  actorKind: Actor['kind'];
  round: number;
  verdict: Verdict;
  at: string;
  revisedFrom?: Verdict;
}

export interface ResubmitRequest {
  actor: Actor;
  changes: string;
  evidence?: string[];
}

export type ArchitectureReviewStage = 'in_review' | 'changes_requested' | 'awaiting_committee' | 'closed';

export interface ArchitectureReviewState extends ProcessStateBase<ArchitectureReviewStage, ArchitectureReviewOutcome> {
  /** The obligations its conditions became, once started. */
  obligations?: string[];
  kind: 'architecture_review';
  trigger: string;
  round: number;
  requiredRoles: string[];
  assignees: Record<string, string>;
  votes: RecordedVote[];
  /** Votes of earlier rounds, kept for the record. */
  history: RecordedVote[];
  conditions: string[];
  extensionDays: number;
  committeeWorkflowId: string | null;
}

export type ArchitectureReviewOutcome =
  | 'approved'
  | 'approved_with_conditions'
  | 'rejected'
  | 'withdrawn'
  | 'sla_breached';

export const reviewVoteUpdate = defineUpdate<ProcessReceipt, [ReviewVote]>('vote');
export const resubmitUpdate = defineUpdate<ProcessReceipt, [ResubmitRequest]>('resubmit');
