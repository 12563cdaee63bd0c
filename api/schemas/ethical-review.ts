import { z } from 'zod';
import { aiComplianceInputSchema } from '../../domain/engines/inputs.js';
import { committeeVoteBody } from './committee-approval.js';
import { safeString } from './common.js';
import { businessKey, evidence, text } from './common.js';

export const startEthicalReviewBody = z
  .object({
    businessKey,
    title: text(300),
    trigger: safeString().min(1).describe('One of the board’s review triggers, e.g. new_ai_model_deployment'),
    systemDescription: text(20_000),
    evidence,
    assessment: aiComplianceInputSchema.describe('The AI compliance assessment input: intake answers, evidence per checklist item, owners'),
    urgent: z.boolean().default(false),
  })
  .strict();

/** A board member's ballot: the committee's ballot fields and a finding per review item. */
export const boardVoteBody = committeeVoteBody
  .extend({
    findings: z
      .record(safeString(), z.enum(['satisfactory', 'concerns', 'unsatisfactory']))
      .describe('A finding per review item that applies (ethical impact, bias, fairness, transparency; FRIA for high-risk systems)'),
    conditions: committeeVoteBody.shape.conditions.describe('Required with an approval that has concerns'),
  })
  .strict();
