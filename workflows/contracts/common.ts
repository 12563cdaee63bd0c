import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * Types and message definitions shared by every govflow process. Importable from the API and the worker
 * without pulling workflow code in (only `define*` helpers from @temporalio/workflow, which are inert).
 */

export { PROCESS_KINDS, type ProcessKind } from '../../domain/process-kinds.js';
import type { ProcessKind } from '../../domain/process-kinds.js';
import type { Deadlines } from '../../domain/engines/escalation-deadlines.js';

export type { Deadlines };

/** Workflow IDs derive from business keys, so a retried start can never create a second process. */
export function workflowIdFor(kind: ProcessKind, businessKey: string): string {
  return `${kind.replace(/_/g, '-')}/${businessKey}`;
}

/** Who acted: a person or an automated agent, with the roles the API verified for it. */
export interface Actor {
  id: string;
  kind: 'person' | 'agent';
  roles: string[];
  /** Set when the caller signed in with an identity provider's token; the audit log records it. */
  identity?: ActorIdentity;
  /** Set when the action came through a link in a message (which channel, which link); its audit entry says so. */
  via?: { channel: string; link: string };
  /** Set when a deputy acts in the seat of a person who is out of office; its audit entry says on whose behalf. */
  onBehalfOf?: string;
}

/** The OpenID issuer and subject behind an actor. */
export interface ActorIdentity {
  issuer: string;
  subject: string;
}

/** The policy version a process pinned at start; it keeps it for its whole life. */
export interface PinnedPolicy {
  versionId: string;
}

/**
 * Every action a process records, a closed set: audit readers, reports and the web app's timeline can rely on them,
 * and a new one is added here, on purpose.
 */
export const EVENT_ACTIONS = [
  // Every process
  'started', 'withdrawn', 'decided', 'deadline_extended', 'reminder_sent', 'escalated', 'notification_delivery_failed',
  // Reviews, boards and the committee
  'voted', 'vote_revised', 'resubmitted', 'changes_requested', 'delegated', 'referred_to_committee', 'submitted',
  'convened_out_of_cycle', 'voting_opened', 'compliance_assessed', 'board_review_opened',
  // Evaluations
  'evaluation_requested', 'evaluated', 'evaluation_refused',
  // Proof of concept
  'gate_reviewed', 'stage_completed', 'results_analysed', 'portfolio_imbalance_warning', 'committee_requested', 'committee_decided',
  // Roadmap engagement
  'phase_started', 'phase_closed', 'phase_closed_early', 'phase_overrun', 'overrun_reminder_sent', 'overrun_escalated',
  'overrun_unresolved', 'deliverable_submitted', 'deliverable_resubmitted', 'deliverable_accepted', 'deliverable_sent_back',
  'phase_signed_off', 'phase_sign_off_rejected', 'child_launched', 'child_completed', 'child_failed', 'closed',
  // CTO engagement
  'deliverable_delivered', 'renewed', 'terminated', 'term_ended', 'term_end_reminder', 'reporting_scheduled',
  'reporting_not_scheduled', 'reporting_unscheduled', 'retrospective_started', 'retrospective_linked',
  // Engagements
  'closing_report_stored',
  // Incidents
  'incident_triaged', 'triage_overdue', 'authority_reported', 'authority_report_overdue', 'findings_recorded', 'system_suspension_requested', 'incident_closed',
  // Obligations (conditions of an approval)
  'obligations_created', 'obligation_evidence_submitted', 'obligation_verified', 'obligation_overdue', 'approval_reinstated',
  // AI systems of the inventory, and their monitoring reviews
  'ai_system_stage_changed', 'ai_system_reinstated', 'process_linked', 'linked_process_overdue', 'linked_process_closed', 'risk_tier_set',
  'measurement_recorded', 'threshold_crossed', 'risk_added', 'risk_reviewed', 'risk_review_due', 'feedback_received',
  'monitoring_scheduled', 'monitoring_not_scheduled', 'monitoring_unscheduled',
  // Retrospective
  'insight_added', 'capture_closed', 'synthesised', 'dissemination_planned', 'action_completed', 'action_overdue_reminder', 'completed',
] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

/** One entry of the process's own audit trail; also written to the hash-chained audit log. */
export interface ProcessEvent {
  /** Unique per process and deterministic, so a retried projection never writes twice. */
  seq: number;
  at: string;
  actor: string;
  actorKind: 'person' | 'agent' | 'system';
  role?: string;
  action: EventAction;
  details: Record<string, unknown>;
  /** The actor's OpenID identity, when it had one. */
  identity?: ActorIdentity;
}

export interface Notice {
  seq: number;
  kind: 'reminder' | 'escalation' | 'sla_breach' | 'outcome' | 'info';
  recipients: string[];
  message: string;
}

/**
 * What every process reports through its state query (each kind adds its own fields, and names its stages and
 * outcomes; a stage a policy defines, such as a roadmap phase, stays a string).
 */
export interface ProcessStateBase<Stage extends string = string, Outcome extends string = string> {
  workflowId: string;
  kind: ProcessKind;
  businessKey: string;
  title: string;
  requester: string;
  policyVersion: string;
  stage: Stage;
  outcome: Outcome | null;
  pendingRoles: string[];
  /** Principal IDs it waits on by name (a named sponsor, lead, facilitator or action owner), for their inbox. */
  pendingActors?: string[];
  /** Roles whose seat any holder may take (not held by a named person): the inbox matches these by role. */
  openRoles?: string[];
  /** People who have taken their seat at this stage (cast their ballot): nothing waits on them any more. */
  seatedActors?: string[];
  /** ISO timestamp of the current SLA deadline, if one runs. */
  slaDueAt: string | null;
  /** The running escalation clock's reminder, escalation and deadline, as it fires them (absent in older runs). */
  deadlines?: Deadlines | null;
  riskTier?: string | null;
  /** The business key of the AI system of the inventory it concerns. */
  aiSystem?: string;
  events: ProcessEvent[];
  notices: Notice[];
}

export interface WithdrawRequest {
  actor: Actor;
  reason: string;
}

export interface ExtendDeadlineRequest {
  actor: Actor;
  days: number;
  reason: string;
}

export interface DelegateRequest {
  actor: Actor;
  role: string;
  /** The delegate; the API checks that it holds `role` and passes its roles along. */
  to: Actor;
  reason?: string;
}

/** What an accepted action answers: where the process stands after it. The state query has the rest. */
export interface ProcessReceipt {
  workflowId: string;
  kind: ProcessKind;
  stage: string;
  outcome: string | null;
  pendingRoles: string[];
  slaDueAt: string | null;
  /** The state's version after the action; it only grows. */
  version: number;
  /** The sequence number of the last event on the process's record (the action's own, when it recorded one). */
  event: number | null;
}

export const stateQuery = defineQuery<ProcessStateBase>('state');
export const withdrawUpdate = defineUpdate<ProcessReceipt, [WithdrawRequest]>('withdraw');
export const extendDeadlineUpdate = defineUpdate<ProcessReceipt, [ExtendDeadlineRequest]>('extendDeadline');
export const delegateUpdate = defineUpdate<ProcessReceipt, [DelegateRequest]>('delegate');

/**
 * Whether a process's record (projection, audit entries, notifications) has reached the database: `lagging` while a
 * retryable error (connection, timeout) is being retried, `failed` on a permanent one (bad data, a constraint), which
 * waits for an operator to repair the cause and send `recordRetrySignal` (`govflow record retry <workflowId>`).
 */
export interface RecordStatus {
  status: 'ok' | 'lagging' | 'failed';
  error?: string;
  /** ISO timestamp at which the current failure began. */
  since?: string;
}

/** The error type of a database write that no retry can fix (ApplicationFailure type, non-retryable). */
export const RECORD_DATA_ERROR = 'RecordDataError';

export const recordStatusQuery = defineQuery<RecordStatus>('govflow.recordStatus');
export const recordRetrySignal = defineSignal('govflow.recordRetry');
