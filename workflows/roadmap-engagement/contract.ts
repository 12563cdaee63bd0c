import { defineUpdate } from '@temporalio/workflow';
import type { ArchitectureReviewPolicy, GovernanceCommitteePolicy, RoadmapPolicy } from '../../domain/policy/types.js';
import type { PhaseState, RoadmapChild, RoadmapChildKind, Timeline } from '../../domain/roadmap/engagement.js';
import type { Actor, ProcessStateBase, ProcessReceipt } from '../contracts/common.js';
import type { PinnedAccess } from '../../domain/policy/access.js';

export type {
  DeliverableState,
  DeliverableStatus,
  DeliverableSubmission,
  PhaseState,
  RoadmapChild,
  RoadmapChildKind,
  RoadmapPackage,
  SignOff,
} from '../../domain/roadmap/engagement.js';

/** Workflow type name, for the API and for tests. */
export const ROADMAP_ENGAGEMENT_WORKFLOW = 'roadmapEngagement';

export const ROADMAP_CHILD_KINDS = ['architecture_review', 'technology_proposal_evaluation', 'strategic_initiative_evaluation'] as const satisfies readonly RoadmapChildKind[];

export interface RoadmapEngagementInput {
  businessKey: string;
  title: string;
  /** Principal ID of the executive sponsor: signs off as executive_sponsor and receives overrun escalations. */
  sponsor: string;
  /** Principal ID of the engagement lead: reviews deliverables and signs off as engagement_lead. */
  engagementLead: string;
  objectives: string[];
  requester: Actor;
  policyVersion: string;
  policy: RoadmapPolicy;
  /** Policy slices of the same pinned version for the child processes the engagement may launch. */
  childPolicies: {
    architectureReview: ArchitectureReviewPolicy;
    committee?: GovernanceCommitteePolicy;
    technologyProposal: unknown;
    strategicInitiative: unknown;
  };
  /** Who may act and the segregation of duties, pinned at start (absent in runs started before it was pinned). */
  access?: PinnedAccess;
}

export interface SubmitDeliverableRequest {
  actor: Actor;
  /** One of the current phase's deliverables. */
  deliverable: string;
  title: string;
  documentRef: string;
  /** sha256 of the document, 64 hex digits. */
  contentHash: string;
  author: string;
}

export interface ReviewDeliverableRequest {
  actor: Actor;
  deliverable: string;
  decision: 'accept' | 'send_back';
  /** Required when sending back: what must change. */
  note?: string;
}

export interface ClosePhaseEarlyRequest {
  actor: Actor;
  justification: string;
}

export interface SignOffRequest {
  actor: Actor;
  /** One of the phase's sign-off roles; the actor must hold it. */
  role: string;
  decision: 'approve' | 'reject';
  /** Required for a rejection. */
  justification?: string;
  /** On rejection: deliverables to send back for rework (else they stay accepted). */
  reopen?: string[];
}

/** The child's input without what the engagement supplies (requester, policy, policy version). */
export interface ArchitectureReviewChildInput {
  trigger: string;
  systemDescription: string;
  evidence?: string[];
  selfAssessment?: Record<string, { status: 'compliant' | 'partial' | 'non_compliant'; notes?: string }>;
  assignees?: Record<string, string>;
  urgent?: boolean;
}

export interface LaunchChildRequest {
  actor: Actor;
  kind: RoadmapChildKind;
  businessKey: string;
  title: string;
  /** architecture_review: ArchitectureReviewChildInput; evaluations: the engine's input. */
  input: unknown;
}

/** The stage is the policy's phase in progress (or closed). */
export interface RoadmapEngagementState extends ProcessStateBase<string, 'completed' | 'withdrawn'> {
  kind: 'roadmap_engagement';
  sponsor: string;
  engagementLead: string;
  objectives: string[];
  /** Index of the current phase in `phases`. */
  phaseIndex: number;
  phases: PhaseState[];
  children: RoadmapChild[];
  startedAt: string;
  closedAt: string | null;
  /** Report row holding the roadmap package, once stored. */
  packageId: string | null;
  /** The retrospective started when the engagement completed. */
  retrospectiveWorkflowId: string | null;
  /** Every phase's window and the projected end, recomputed on every change (absent in states recorded before). */
  timeline?: Timeline;
  /** The closing report, once stored (absent in engagements recorded before closing reports). */
  closingReportId?: string;
}

export const submitDeliverableUpdate = defineUpdate<ProcessReceipt, [SubmitDeliverableRequest]>('submitDeliverable');
export const reviewDeliverableUpdate = defineUpdate<ProcessReceipt, [ReviewDeliverableRequest]>('reviewDeliverable');
export const signOffPhaseUpdate = defineUpdate<ProcessReceipt, [SignOffRequest]>('signOffPhase');
/** The sponsor closes the current, signed-off phase before its minimum duration. */
export const closePhaseEarlyUpdate = defineUpdate<ProcessReceipt, [ClosePhaseEarlyRequest]>('closePhaseEarly');
export const launchChildUpdate = defineUpdate<ProcessReceipt, [LaunchChildRequest]>('launchChild');
