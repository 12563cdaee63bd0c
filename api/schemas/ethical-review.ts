import { z } from 'zod';
import { aiComplianceInputSchema } from '../../domain/engines/inputs.js';
import { aiSystemRef } from './ai-system.js';
import { committeeVoteBody } from './committee-approval.js';
import { businessKey, evidence, policyEnum, safeString, text } from './common.js';

/** The start body, with the review triggers of the board in the policy new reviews pin. */
export const startEthicalReviewBody = (triggers: readonly string[]) =>
  z
    .object({
      businessKey,
      title: text(300),
      trigger: policyEnum(triggers, 'ethical review triggers').describe('One of the board’s review triggers'),
      systemDescription: text(20_000),
      evidence,
      assessment: aiComplianceInputSchema.describe('The AI compliance assessment input: intake answers, evidence per checklist item, owners'),
      urgent: z.boolean().default(false),
      aiSystem: aiSystemRef,
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
