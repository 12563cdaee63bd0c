import { defineUpdate } from '@temporalio/workflow';
import type { AiSystemsPolicy } from '../../domain/policy/types.js';
import type { Actor, ProcessReceipt, ProcessStateBase } from '../contracts/common.js';
import type { ProcessStart } from '../kernel/process.js';

export const MONITORING_REVIEW_WORKFLOW = 'monitoringReview';

/**
 * A manual review of an AI system: a run of its schedule (the quarterly compliance assessment, the annual audit) or
 * one that stakeholder feedback opened. A scheduled run's workflow ID is the schedule's with the run's time appended,
 * so its business key comes from its workflow ID, not from the (fixed) arguments.
 */
export interface MonitoringReviewInput extends ProcessStart {
  /** The system's business key (also `aiSystem`, so the system's record follows the review). */
  aiSystem: string;
  /** The manual review of complianceMonitoring, e.g. quarterly_compliance_assessment. */
  review: string;
  /** The system's owner: the review is theirs. */
  owner: string;
  /** What prompted it, for a review opened on an event (stakeholder feedback). */
  prompt?: string;
  policy: AiSystemsPolicy['monitoringReviews'];
}

export type MonitoringReviewStage = 'open' | 'closed';
export type MonitoringReviewOutcome = 'completed' | 'action_required' | 'withdrawn';

export interface MonitoringReviewState extends ProcessStateBase<MonitoringReviewStage, MonitoringReviewOutcome> {
  kind: 'monitoring_review';
  aiSystem: string;
  review: string;
  owner: string;
  prompt: string | null;
  dueAt: string;
  overdue: boolean;
  conclusion: { summary: string; findings: string[]; evidence: string[]; actionRequired: boolean; by: string; at: string } | null;
}

export interface CompleteReviewRequest {
  actor: Actor;
  summary: string;
  findings: string[];
  /** Evidence digests (`sha256:…`, uploaded through POST /evidence) or links. */
  evidence: string[];
  /** The review found something that needs action (the escalation role is told). */
  actionRequired: boolean;
}

export const completeReviewUpdate = defineUpdate<ProcessReceipt, [CompleteReviewRequest]>('completeReview');
