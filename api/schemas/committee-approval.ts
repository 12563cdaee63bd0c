import { z } from 'zod';
import { businessKey, text, safeString } from './common.js';

/** The longest summary (the item's papers), e.g. a policy impact report in Markdown. */
export const COMMITTEE_SUMMARY_MAX = 20_000;

export const startCommitteeApprovalBody = z
  .object({
    businessKey,
    title: text(300),
    summary: text(COMMITTEE_SUMMARY_MAX).describe('What the committee is asked to approve'),
    recommendation: safeString().trim().max(2000).optional().describe('The outcome the requester proposes'),
    urgent: z.boolean().default(false).describe('Decide out of cycle instead of at the next monthly meeting'),
    urgencyReason: safeString().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine((b) => !b.urgent || b.urgencyReason, { path: ['urgencyReason'], message: 'required when urgent is true' });

export const committeeVoteBody = z
  .object({
    ballot: z.enum(['approve', 'reject', 'abstain']),
    justification: safeString().max(10_000).optional().describe('Required with reject'),
    conditions: z.array(safeString().trim().min(1).max(2000)).max(50).optional().describe('Conditions attached to an approval'),
    revise: z.boolean().optional().describe('Replace your earlier ballot'),
  })
  .strict();
