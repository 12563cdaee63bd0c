import { defineUpdate } from '@temporalio/workflow';
import type { ProcessAccess } from '../../domain/policy/access.js';
import type { IncidentPolicy } from '../../domain/policy/types.js';
import type { ReportingDeadline, SeriousIncidentCategory } from '../../domain/incidents/reporting.js';
import type { Actor, ProcessReceipt, ProcessStateBase } from '../contracts/common.js';
import type { ProcessStart } from '../kernel/process.js';

export interface IncidentInput extends ProcessStart {
  description: string;
  /** The AI system it concerns (its name or inventory key). */
  system?: string;
  /** When the organisation became aware of it (ISO 8601): the Art. 73 clock runs from here. */
  awareAt: string;
  policy: { incidents: IncidentPolicy; categories: SeriousIncidentCategory[] };
  access?: ProcessAccess;
}

export type IncidentStage = 'triage' | 'reporting' | 'investigating' | 'closed';
export type IncidentOutcome = 'resolved' | 'withdrawn';

export interface CorrectiveAction {
  action: string;
  owner: string;
  dueDate: string;
}

export interface IncidentState extends ProcessStateBase<IncidentStage, IncidentOutcome> {
  kind: 'incident';
  description: string;
  system: string | null;
  awareAt: string;
  reportedBy: { id: string; kind: Actor['kind'] };
  triageDueAt: string;
  triage: { serious: boolean; categories: string[]; justification: string; by: string; at: string } | null;
  /** For a serious incident: when the report to the market surveillance authority is due, and under which provision. */
  authorityDeadline: ReportingDeadline | null;
  authorityReport: { authority: string; reference: string; reportedAt: string; by: string; late: boolean } | null;
  findings: { rootCause: string; correctiveActions: CorrectiveAction[]; suspendSystem: boolean; by: string; at: string } | null;
}

export interface TriageRequest {
  actor: Actor;
  serious: boolean;
  /** Required when serious: the serious-incident categories of the catalogue it falls under. */
  categories?: string[];
  justification: string;
}

export interface AuthorityReportRequest {
  actor: Actor;
  authority: string;
  reference: string;
  /** When it was sent (default now). */
  reportedAt?: string;
}

export interface FindingsRequest {
  actor: Actor;
  rootCause: string;
  correctiveActions: CorrectiveAction[];
  /** The system should be suspended until the corrective actions are done. */
  suspendSystem?: boolean;
}

export interface CloseIncidentRequest {
  actor: Actor;
  summary: string;
}

export const triageUpdate = defineUpdate<ProcessReceipt, [TriageRequest]>('triage');
export const authorityReportUpdate = defineUpdate<ProcessReceipt, [AuthorityReportRequest]>('authorityReport');
export const findingsUpdate = defineUpdate<ProcessReceipt, [FindingsRequest]>('findings');
export const closeIncidentUpdate = defineUpdate<ProcessReceipt, [CloseIncidentRequest]>('closeIncident');
