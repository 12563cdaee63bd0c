import { defineUpdate } from '@temporalio/workflow';
import type { Ballot, Tally } from '../../domain/review/voting.js';
import type { GovernanceCommitteePolicy } from '../../domain/policy/types.js';
import type { Actor, ProcessKind, ProcessStateBase } from './common.js';

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
}

/** A member's ballot; holders of committee_member or committee_chair vote, one ballot per person. */
export interface CommitteeVote {
  actor: Actor;
  ballot: Ballot;
  justification?: string;
  conditions?: string[];
  /** Set to replace this member's earlier ballot. */
  revise?: boolean;
}

export interface RecordedBallot {
  actor: string;
  actorKind: Actor['kind'];
  ballot: Ballot;
  isChair: boolean;
  justification?: string;
  conditions: string[];
  at: string;
  revisedFrom?: Ballot;
}

export type CommitteeOutcome = 'approved' | 'rejected' | 'no_quorum' | 'tie' | 'withdrawn' | 'sla_breached';

export interface CommitteeApprovalState extends ProcessStateBase {
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
  extensionDays: number;
}

export const committeeVoteUpdate = defineUpdate<CommitteeApprovalState, [CommitteeVote]>('committeeVote');
