import { defineUpdate } from '@temporalio/workflow';
import { addDays, addMonths } from '../../domain/engines/calendar.js';
import { withArticle } from '../../domain/wording.js';
import type { CtoEngagementTypePolicy, CtoServiceModelPolicy } from '../../domain/policy/types.js';
import type { RecorderCheckpoint } from '../kernel/process-recorder.js';
import type { Actor, ProcessStateBase, ProcessReceipt } from '../contracts/common.js';
import type { ReportingCadence } from '../report/contract.js';

/** The policy's ranges count a month as 30 days (domain/policy/duration.ts); a term is checked against them so. */
export const DAYS_PER_MONTH = 30;
/** The requester and the engagement lead are reminded this many days before the term ends. */
export const END_REMINDER_DAYS = 30;
/** A long engagement continues as new this often (or sooner, when Temporal suggests it), so history stays bounded. */
export const DEFAULT_CONTINUE_AS_NEW_AFTER_DAYS = 90;

export interface CtoEngagementInput {
  businessKey: string;
  title: string;
  clientOrg: string;
  /** One of the policy's engagement types, e.g. project_cto. */
  engagementType: string;
  /** ISO date (YYYY-MM-DD) the term starts; defaults to the day the process starts. */
  startDate?: string;
  /** Term length in months; required unless the type is ongoing (advisory), which may run until terminated. */
  termMonths?: number;
  requester: Actor;
  /** Principal ID of the engagement lead, who delivers the deliverables. */
  engagementLead: string;
  /** Principal ID of the executive sponsor, who reads the engagement's reports (absent in runs started before). */
  sponsor?: string;
  /** Invited to the retrospective when the engagement ends, besides the requester and the lead. */
  retrospectiveParticipants?: string[];
  policyVersion: string;
  policy: CtoServiceModelPolicy;
  continueAsNewAfterDays?: number;
  /** Set only by the workflow itself when it continues as new: the whole state and the recorder's numbering. */
  resume?: { state: CtoEngagementState; checkpoint: RecorderCheckpoint };
}

export interface DeliverableDelivery {
  documentRef: string;
  summary?: string;
  contentHash?: string;
  by: string;
  at: string;
}

export interface EngagementDeliverable {
  key: string;
  status: 'pending' | 'delivered';
  deliveries: DeliverableDelivery[];
}

export interface TermChange {
  kind: 'renewal' | 'extension';
  by: string;
  at: string;
  months?: number;
  days?: number;
  reason: string;
  termEndsAt: string;
}

export type CtoEngagementOutcome = 'completed' | 'terminated' | 'withdrawn';

export interface CtoEngagementState extends ProcessStateBase<'active' | 'closed', CtoEngagementOutcome> {
  kind: 'cto_engagement';
  clientOrg: string;
  engagementType: string;
  commitment: string;
  focus: string;
  engagementLead: string;
  sponsor: string | null;
  startDate: string;
  /** Days of the term (months × 30 + extensions), which the type's range bounds; null for an ongoing engagement. */
  termDays: number | null;
  /** The term in calendar months and extension days, which its end counts (absent in runs that counted 30-day months). */
  term?: { months: number; days: number };
  termEndsAt: string | null;
  /** The policy's upper bound on the term in days; null when the type is ongoing. */
  maxTermDays: number | null;
  termChanges: TermChange[];
  deliverables: EngagementDeliverable[];
  reporting: ReportingCadence[];
  reportingStatus: 'pending' | 'scheduled' | 'not_configured' | 'removed';
  /** The term end a reminder was sent for; a renewal re-arms the reminder. */
  endReminderSentFor: string | null;
  termination: { by: string; reason: string; at: string } | null;
  retrospectiveWorkflowId: string | null;
  retrospectiveParticipants: string[];
  /** The closing report, once stored (absent in engagements recorded before closing reports). */
  closingReportId?: string;
}

export interface DeliverRequest {
  actor: Actor;
  /** A deliverable key of the engagement type. */
  deliverable: string;
  documentRef: string;
  summary?: string;
  contentHash?: string;
}

export interface RenewRequest {
  actor: Actor;
  months: number;
  reason: string;
}

export interface TerminateRequest {
  actor: Actor;
  reason: string;
}

export const deliverUpdate = defineUpdate<ProcessReceipt, [DeliverRequest]>('deliver');
export const renewUpdate = defineUpdate<ProcessReceipt, [RenewRequest]>('renew');
export const terminateUpdate = defineUpdate<ProcessReceipt, [TerminateRequest]>('terminate');

/** When a term from `startDate` ends: calendar months on (a month end kept to a shorter month's last day), then days. */
export function termEndOf(startDate: string, term: { months: number; days: number }): string {
  return `${addDays(addMonths(startDate, term.months), term.days)}T00:00:00.000Z`;
}

/**
 * Checks a term against the engagement type's duration range; returns the problem, or null. Shared by the API
 * (a 400 before anything starts) and the workflow (which never trusts its input).
 */
export function termProblem(type: CtoEngagementTypePolicy, termMonths: number | undefined): string | null {
  const { minDays, maxDays } = type.duration;
  if (termMonths === undefined) return maxDays === null ? null : `${withArticle(type.key)} engagement needs a term in months`;
  if (!Number.isInteger(termMonths) || termMonths < 1) return 'the term must be a whole number of months, at least 1';
  const days = termMonths * DAYS_PER_MONTH;
  if (days < minDays) return `${withArticle(type.key)} engagement runs at least ${minDays / DAYS_PER_MONTH} months`;
  if (maxDays !== null && days > maxDays) return `${withArticle(type.key)} engagement runs at most ${maxDays / DAYS_PER_MONTH} months`;
  return null;
}
