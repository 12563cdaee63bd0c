import { z } from 'zod';
import { aiComplianceInputSchema } from '../../domain/engines/inputs.js';
import { businessKey, evidence, text } from './common.js';

export const startEthicalReviewBody = z
  .object({
    businessKey,
    title: text(300),
    trigger: z.string().min(1).describe('One of the board’s review triggers, e.g. new_ai_model_deployment'),
    systemDescription: text(20_000),
    evidence,
    assessment: aiComplianceInputSchema.describe('The AI compliance assessment input: intake answers, evidence per checklist item, owners'),
    urgent: z.boolean().default(false),
  })
  .strict();

export const boardVoteBody = z
  .object({
    ballot: z.enum(['approve', 'reject', 'abstain']),
    findings: z
      .record(z.string(), z.enum(['satisfactory', 'concerns', 'unsatisfactory']))
      .describe('A finding per review item that applies (ethical impact, bias, fairness, transparency; FRIA for high-risk systems)'),
    justification: z.string().max(10_000).optional().describe('Required with reject'),
    conditions: z.array(z.string().trim().min(1).max(2000)).max(50).optional().describe('Required with an approval that has concerns'),
    revise: z.boolean().optional().describe('Replace your earlier ballot'),
  })
  .strict();
