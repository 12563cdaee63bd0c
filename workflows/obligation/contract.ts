import { defineUpdate } from '@temporalio/workflow';
import type { ProcessAccess } from '../../domain/policy/access.js';
import type { ObligationPolicy } from '../../domain/policy/types.js';
import type { Actor, ProcessReceipt, ProcessStateBase } from '../contracts/common.js';
import type { ProcessStart } from '../kernel/process.js';

/** The approval an obligation belongs to. */
export interface ObligationParent {
  workflowId: string;
  kind: string;
  title: string;
}

export interface ObligationInput extends ProcessStart {
  condition: string;
  parent: ObligationParent;
  /** Who must fulfil it (the approved request's requester). */
  owner: string;
  dueAt: string;
  /** The role that verifies the evidence. */
  verifierRole: string;
  policy: Pick<ObligationPolicy, 'reminderBeforeDays' | 'escalateToRole' | 'suspendApprovalWhenOverdue'>;
  access?: ProcessAccess;
}

export type ObligationStage = 'open' | 'evidence_submitted' | 'closed';
export type ObligationOutcome = 'fulfilled' | 'withdrawn';

export interface ObligationState extends ProcessStateBase<ObligationStage, ObligationOutcome> {
  kind: 'obligation';
  condition: string;
  parent: ObligationParent;
  owner: string;
  dueAt: string;
  verifierRole: string;
  overdue: boolean;
  /** The policy suspended the approval when the obligation went overdue. */
  approvalSuspended: boolean;
  submissions: { evidence: string[]; note: string | null; by: string; at: string; verdict: 'accepted' | 'rejected' | null; verifiedBy: string | null; verdictNote: string | null }[];
}

export interface SubmitEvidenceRequest {
  actor: Actor;
  /** Evidence digests (`sha256:…`, uploaded through POST /evidence) or links. */
  evidence: string[];
  note?: string;
}

export interface VerifyRequest {
  actor: Actor;
  accept: boolean;
  /** Required when the evidence is not accepted. */
  note?: string;
}

export const submitEvidenceUpdate = defineUpdate<ProcessReceipt, [SubmitEvidenceRequest]>('submitEvidence');
export const verifyObligationUpdate = defineUpdate<ProcessReceipt, [VerifyRequest]>('verifyObligation');
