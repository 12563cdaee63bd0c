import { defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ProcessAccess } from '../../domain/policy/access.js';
import type { AiSystemsPolicy, ComplianceMonitoringPolicy, EuAiActTier, OperatorRole } from '../../domain/policy/types.js';
import type { Actor, ProcessKind, ProcessReceipt, ProcessStateBase } from '../contracts/common.js';
import type { ProcessStart } from '../kernel/process.js';
import type { EthicalReviewInput } from '../ethical-review/contract.js';
import type { IncidentInput } from '../incident/contract.js';

export const AI_SYSTEM_WORKFLOW = 'aiSystem';

/**
 * The processes a crossed threshold opens, prepared with the policy pinned at registration (each one's own
 * input less what the measurement supplies).
 */
export interface AiSystemSpawn {
  ethicalReview: Omit<EthicalReviewInput, 'businessKey' | 'title' | 'trigger' | 'systemDescription' | 'evidence' | 'assessment' | 'requester'>;
  incident: Omit<IncidentInput, 'businessKey' | 'title' | 'description' | 'awareAt' | 'requester'>;
}

export interface AiSystemInput extends ProcessStart {
  purpose: string;
  /** The person accountable for the system: monitoring reviews and obligations are theirs. */
  owner: string;
  /** What the organisation is for the system under the EU AI Act (Art. 3(3), 3(4)). */
  operatorRoles: OperatorRole[];
  /** The AI compliance engine's intake answers for the system, used by the ethical reviews its monitors open. */
  assessment?: unknown;
  /** The EU AI Act catalogue version in force at registration. */
  catalogueVersion: string;
  policy: { aiSystems: AiSystemsPolicy; monitoring: ComplianceMonitoringPolicy };
  spawn: AiSystemSpawn;
  access?: ProcessAccess;
  /** A run continued as new resumes here. */
  resume?: { state: AiSystemState; checkpoint: { seq: number; version: number } };
}

import type { AiSystemStage } from '../../domain/inventory/lifecycle.js';

export type { AiSystemStage };
export type AiSystemOutcome = 'retired';

/** A process about the system: an evaluation, review, obligation, monitoring review or incident. */
export interface AiSystemLink {
  workflowId: string;
  kind: ProcessKind;
  title: string;
  openedAt: string;
  status: 'open' | 'closed';
  outcome: string | null;
  overdue: boolean;
  closedAt: string | null;
}

export interface Measurement {
  metric: string;
  value: number;
  check: string | null;
  at: string;
  source: { id: string; kind: Actor['kind'] };
  /** The threshold it crossed, and the process that opened. */
  crossed: { above?: number | undefined; below?: number | undefined; opened: string | null } | null;
}

export interface Risk {
  id: string;
  title: string;
  description: string;
  /** `manual`, or the process whose engine output raised it. */
  source: string;
  owner: string;
  likelihood: string;
  impact: string;
  score: number;
  mitigation: string;
  residualLikelihood: string;
  residualImpact: string;
  residualScore: number;
  nextReviewAt: string;
  status: 'open' | 'closed';
  reviews: { at: string; by: string; note: string }[];
  /** The review date its owner was last reminded of. */
  reminderSentFor: string | null;
}

export interface MonitoringSchedule {
  key: string;
  cadence: string;
  intervalDays: number;
  scheduleId: string;
}

export interface AiSystemState extends ProcessStateBase<AiSystemStage, AiSystemOutcome> {
  kind: 'ai_system';
  purpose: string;
  owner: string;
  operatorRoles: OperatorRole[];
  catalogueVersion: string;
  riskTier: EuAiActTier | null;
  /** Where it was before a suspension: a reinstatement returns there. */
  suspendedFrom: AiSystemStage | null;
  suspension: { reason: string; by: string; at: string; source: string | null } | null;
  links: AiSystemLink[];
  /** The latest measurements (at most MEASUREMENTS_KEPT; every one is in the audit log). */
  measurements: Measurement[];
  risks: Risk[];
  monitoring: { status: 'pending' | 'scheduled' | 'not_configured' | 'removed'; schedules: MonitoringSchedule[] };
  feedback: { summary: string; from: string; by: string; at: string; review: string | null }[];
  /** How many processes it has opened itself (numbering their business keys). */
  spawned: number;
}

export const MEASUREMENTS_KEPT = 50;

/** The monitoring review schedule of a system, one per manual review with a cadence. */
export function monitoringScheduleId(systemWorkflowId: string, review: string): string {
  return `monitoring:${review}:${systemWorkflowId}`;
}

/** What a process about a system tells it: it opened, went overdue, closed, or asks that the system be suspended. */
export interface AiSystemLinkChange {
  workflowId: string;
  kind: ProcessKind;
  title: string;
  change: 'opened' | 'overdue' | 'closed' | 'suspension_requested';
  outcome?: string | null;
  riskTier?: string | null;
  /** Engine outputs that become risks in the register (a compliance assessment's gaps). */
  risks?: SystemRiskInput[];
  reason?: string;
}

/** An engine finding about the system (a checklist item's gap), keyed so the register holds it once. */
export interface SystemRiskInput {
  key: string;
  title: string;
  severity: string;
}

export const aiSystemLinkSignal = defineSignal<[AiSystemLinkChange]>('aiSystemLink');

export interface StageChangeRequest {
  actor: Actor;
  reason: string;
}

export interface MeasurementRequest {
  actor: Actor;
  metric: string;
  value: number;
  /** When it was measured (default now). */
  at?: string;
}

export interface AddRiskRequest {
  actor: Actor;
  title: string;
  description: string;
  owner: string;
  likelihood: string;
  impact: string;
  mitigation: string;
  residualLikelihood: string;
  residualImpact: string;
}

export interface ReviewRiskRequest {
  actor: Actor;
  riskId: string;
  note: string;
  likelihood?: string;
  impact?: string;
  residualLikelihood?: string;
  residualImpact?: string;
  mitigation?: string;
  close?: boolean;
}

export interface FeedbackRequest {
  actor: Actor;
  /** Who gave it (a stakeholder group or person). */
  from: string;
  summary: string;
}

export const goLiveUpdate = defineUpdate<ProcessReceipt, [StageChangeRequest]>('goLive');
export const suspendUpdate = defineUpdate<ProcessReceipt, [StageChangeRequest]>('suspend');
export const reinstateUpdate = defineUpdate<ProcessReceipt, [StageChangeRequest]>('reinstate');
export const retireUpdate = defineUpdate<ProcessReceipt, [StageChangeRequest]>('retire');
export const measurementUpdate = defineUpdate<ProcessReceipt, [MeasurementRequest]>('measurement');
export const addRiskUpdate = defineUpdate<ProcessReceipt, [AddRiskRequest]>('addRisk');
export const reviewRiskUpdate = defineUpdate<ProcessReceipt, [ReviewRiskRequest]>('reviewRisk');
export const feedbackUpdate = defineUpdate<ProcessReceipt, [FeedbackRequest]>('feedback');
