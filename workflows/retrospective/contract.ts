import { defineUpdate } from '@temporalio/workflow';
import type { Actor, ProcessStateBase, ProcessReceipt } from '../contracts/common.js';

/** Insights are captured for this many days unless the facilitator closes capture earlier. */
export const DEFAULT_CAPTURE_DAYS = 14;
/** Owners of overdue actions (and a facilitator who has not synthesised) are reminded this often. */
export const DEFAULT_REMINDER_EVERY_DAYS = 7;
/** Reminders per overdue action; the last one is copied to the facilitator as an escalation. */
export const MAX_REMINDERS = 3;
/** Capture may be extended by at most this many days in total. */
export const MAX_CAPTURE_EXTENSION_DAYS = 30;

export const INSIGHT_CATEGORIES = ['went_well', 'to_improve', 'lesson'] as const;
export type InsightCategory = (typeof INSIGHT_CATEGORIES)[number];

export interface RetrospectiveInput {
  businessKey: string;
  title: string;
  /** The workflow ID of the engagement or phase looked back on. */
  subjectWorkflowId: string;
  /** Principal IDs invited to contribute insights. */
  participants: string[];
  /** Principal ID of the facilitator, who closes capture, synthesises and plans dissemination. */
  facilitator: string;
  requester: Actor;
  policyVersion: string;
  captureDays?: number;
  reminderEveryDays?: number;
}

export interface Insight {
  id: string;
  author: string;
  category: InsightCategory;
  text: string;
  at: string;
}

export interface Theme {
  title: string;
  summary: string;
  /** IDs of the insights the theme draws on. */
  insightIds: string[];
}

export interface FollowUpAction {
  id: string;
  title: string;
  owner: string;
  /** ISO date; the action is overdue once the day has passed. */
  dueDate: string;
  status: 'open' | 'done';
  remindersSent: number;
  completedAt: string | null;
  note: string | null;
}

export interface DisseminationPlan {
  audiences: string[];
  channels: string[];
  notes?: string;
  plannedAt: string;
}

export type RetrospectiveStage = 'capturing' | 'synthesising' | 'planning_dissemination' | 'tracking_actions' | 'closed';

export interface RetrospectiveState extends ProcessStateBase<RetrospectiveStage, 'completed' | 'withdrawn'> {
  kind: 'retrospective';
  subjectWorkflowId: string;
  participants: string[];
  facilitator: string;
  captureClosesAt: string;
  extensionDays: number;
  reminderEveryDays: number;
  insights: Insight[];
  themes: Theme[];
  actions: FollowUpAction[];
  dissemination: DisseminationPlan | null;
}

export interface AddInsightRequest {
  actor: Actor;
  text: string;
  category?: InsightCategory;
}

export interface CloseCaptureRequest {
  actor: Actor;
}

export interface SynthesiseRequest {
  actor: Actor;
  themes: { title: string; summary: string; insightIds?: string[] }[];
  actions: { title: string; owner: string; dueDate: string }[];
}

export interface PlanDisseminationRequest {
  actor: Actor;
  audiences: string[];
  channels: string[];
  notes?: string;
}

export interface CompleteActionRequest {
  actor: Actor;
  actionId: string;
  note?: string;
}

export const addInsightUpdate = defineUpdate<ProcessReceipt, [AddInsightRequest]>('addInsight');
export const closeCaptureUpdate = defineUpdate<ProcessReceipt, [CloseCaptureRequest]>('closeCapture');
export const synthesiseUpdate = defineUpdate<ProcessReceipt, [SynthesiseRequest]>('synthesise');
export const planDisseminationUpdate = defineUpdate<ProcessReceipt, [PlanDisseminationRequest]>('planDissemination');
export const completeActionUpdate = defineUpdate<ProcessReceipt, [CompleteActionRequest]>('completeAction');
