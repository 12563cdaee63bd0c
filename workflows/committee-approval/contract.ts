import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BallotRequest, RecordedBallot, Tally } from '../contracts/ballots.js';
export type { RecordedBallot } from '../contracts/ballots.js';
import type { ProcessAccess } from '../../domain/policy/access.js';
import type { GovernanceCommitteePolicy, ObligationPolicy } from '../../domain/policy/types.js';
import { PROCESS_KINDS, type Actor, type ProcessKind, type ProcessStateBase, type WithdrawRequest, type ProcessReceipt } from '../contracts/common.js';

/** Workflow type name, for parents that start the committee as a child and for the API. */
export const COMMITTEE_APPROVAL_WORKFLOW = 'committeeApproval';

/** What the governance committee is asked to approve: usually another process that needs final approval. */
export interface CommitteeSubject {
  kind: ProcessKind;
  /** The parent process, or null when a committee decision is requested directly. */
  workflowId: string | null;
  summary: string;
  /** The outcome the parent reached and proposes (e.g. the board's approval, a PoC's results). */
  recommendation?: string;
}

export interface CommitteeApprovalInput {
  businessKey: string;
  title: string;
  subject: CommitteeSubject;
  requester: Actor;
  /** Urgent decisions are taken out of cycle; the rest wait for the next meeting (policy cadence). */
  urgent: boolean;
  urgencyReason?: string;
  policyVersion: string;
  policy: GovernanceCommitteePolicy;
  /** Pinned at start, or handed down by the parent (absent in runs started before it was pinned). */
  access?: ProcessAccess;
  /** An item put to the committee directly: the conditions of its approval become obligations (absent before them). */
  obligations?: ObligationPolicy;
}

/** A member's ballot; holders of committee_member or committee_chair vote, one ballot per person. */
export type CommitteeVote = BallotRequest;

/** `sla_breached`: no quorum by the deadline (escalated); with quorum, the deadline closes the vote as cast. */
export type CommitteeOutcome = 'approved' | 'rejected' | 'tie' | 'withdrawn' | 'sla_breached';

export type CommitteeStage = 'awaiting_meeting' | 'voting' | 'closed';

export interface CommitteeApprovalState extends ProcessStateBase<CommitteeStage, CommitteeOutcome> {
  kind: 'committee_approval';
  subject: CommitteeSubject;
  urgent: boolean;
  /** ISO time the committee meets on this item (now, for urgent items). */
  meetingAt: string | null;
  /** Seats on the committee (policy composition): the base for quorum. */
  members: number;
  ballots: RecordedBallot[];
  tally: Tally | null;
  conditions: string[];
  /** The obligations the conditions of a direct item's approval became. */
  obligations?: string[];
  extensionDays: number;
}

export const committeeVoteUpdate = defineUpdate<ProcessReceipt, [CommitteeVote]>('committeeVote');
/** Sent by a parent process that was withdrawn while its committee item was still open. */
export const committeeWithdrawSignal = defineSignal<[WithdrawRequest]>('withdrawFromCommittee');

/** The committee item's business key for a parent process: unique across kinds of parent. */
export function committeeKeyFor(parentKind: ProcessKind, parentKey: string): string {
  return `${parentKind.replace(/_/g, '-')}.${parentKey}`;
}

/** Whether a business key has the form of a parent's committee item (reserved for the parent to start). */
export function isParentCommitteeKey(key: string): boolean {
  return PROCESS_KINDS.some((k) => key.startsWith(`${k.replace(/_/g, '-')}.`));
}
