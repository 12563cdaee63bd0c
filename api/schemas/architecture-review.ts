import { z } from 'zod';
import type { ArchitectureReviewPolicy } from '../../domain/policy/types.js';
import { businessKey, evidence, policyEnum, policyKey, text, safeString } from './common.js';

const verdict = z.enum(['approve', 'approve_with_conditions', 'request_changes', 'reject']);

const selfAssessed = z.object({ status: z.enum(['compliant', 'partial', 'non_compliant']), notes: safeString().max(4000).optional() }).strict();

/** The start body, with the triggers, principles and reviewer roles of the policy new reviews pin. */
export const startArchitectureReviewBody = (policy: ArchitectureReviewPolicy) =>
  z
    .object({
      businessKey,
      title: text(300),
      trigger: policyEnum(policy.triggers, 'review triggers').describe('One of the policy review triggers'),
      systemDescription: text(20_000),
      evidence,
      selfAssessment: z
        .record(policyKey(policy.principles.map((p) => p.key), 'architectural principles'), selfAssessed)
        .default({})
        .describe('Self-assessment per architectural principle of the policy'),
      assignees: z
        .record(policyKey(policy.participants.map((p) => p.role), 'reviewer roles'), safeString().min(1))
        .optional()
        .describe('Named reviewer (principal ID) per reviewer role'),
      urgent: z.boolean().default(false),
      supersedes: businessKey.optional().describe('Business key of an earlier, decided architecture review this one replaces: its ADR becomes "superseded by" this one once this one is approved'),
    })
    .strict();

export const reviewVoteBody = z
  .object({
    role: safeString().min(1).describe('The reviewer role you vote as; you must hold it'),
    rulings: z.record(safeString(), verdict).describe('A verdict per approval criterion of the policy'),
    justification: safeString().max(10_000).optional(),
    conditions: z.array(safeString().trim().min(1).max(2000)).max(50).optional(),
    evidence: evidence.optional(),
    revise: z.boolean().optional().describe('Replace your earlier vote in this round'),
  })
  .strict();

export const resubmitBody = z.object({ changes: text(20_000), evidence: evidence.optional() }).strict();
