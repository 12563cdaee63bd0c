import { z } from 'zod';
import { INSIGHT_CATEGORIES } from '../../workflows/retrospective/contract.js';
import { businessKey, principalId, text, safeString } from './common.js';

export const startRetrospectiveBody = z
  .object({
    businessKey,
    title: text(300),
    subjectWorkflowId: safeString().min(1).max(300).describe('Workflow ID of the engagement or phase looked back on'),
    participants: z.array(principalId).min(1).max(100).describe('Principal IDs invited to add insights'),
    facilitator: principalId.describe('Principal ID of the facilitator'),
    captureDays: z.number().int().min(1).max(90).optional().describe('Days insights are captured for (default 14)'),
    reminderEveryDays: z.number().int().min(1).max(60).optional().describe('Reminder interval for overdue actions (default 7)'),
  })
  .strict();

export const addInsightBody = z
  .object({
    text: text(10_000),
    category: z.enum(INSIGHT_CATEGORIES).optional(),
  })
  .strict();

export const closeCaptureBody = z.object({}).strict();

export const synthesiseBody = z
  .object({
    themes: z
      .array(z.object({ title: text(300), summary: text(10_000), insightIds: z.array(safeString().max(20)).max(200).optional() }).strict())
      .min(1)
      .max(50),
    actions: z
      .array(z.object({ title: text(500), owner: principalId, dueDate: z.iso.date() }).strict())
      .max(100)
      .describe('Follow-up actions, each with an owner and a due date (may be empty)'),
  })
  .strict();

export const planDisseminationBody = z
  .object({
    audiences: z.array(text(200)).min(1).max(50),
    channels: z.array(text(200)).min(1).max(50),
    notes: safeString().max(10_000).optional(),
  })
  .strict();

export const completeActionBody = z.object({ actionId: safeString().min(1).max(20), note: safeString().max(10_000).optional() }).strict();
