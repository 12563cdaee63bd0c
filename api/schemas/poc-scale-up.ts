import { z } from 'zod';
import { amount, bounded, MONEY_LIMIT } from '../../domain/engines/inputs.js';
import { businessKey, evidence, policyKey, text, safeString } from './common.js';

/** A metric's target or measured value: finite, and within what any real metric takes. */
const measure = bounded(-MONEY_LIMIT, MONEY_LIMIT);

const metricName = safeString().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'expected 1-100 letters, digits, dots, dashes or underscores');

/** The start body, with the PoC selection criteria of the policy new PoCs pin. */
export const startPocScaleUpBody = (selectionCriteria: readonly string[]) =>
  z
    .object({
      businessKey,
      title: text(300),
      proposal: z
        .object({
          hypothesis: text(10_000).describe('What the proof of concept sets out to show'),
          expectedImpact: text(10_000),
          successMetrics: z
            .array(
              z
                .object({
                  name: metricName,
                  target: measure,
                  direction: z.enum(['at_least', 'at_most']).default('at_least').describe('at_most for lower-is-better metrics such as latency or cost'),
                  unit: safeString().trim().max(50).optional(),
                })
                .strict(),
            )
            .min(1, 'at least one success metric with a target')
            .max(20)
            .refine((ms) => new Set(ms.map((m) => m.name)).size === ms.length, 'metric names must be unique'),
          businessSponsor: safeString().trim().min(1, 'a named business sponsor is required').max(200).describe('Principal ID of the business sponsor (holds business_sponsor)'),
          bucket: z.enum(['core', 'adjacent', 'transformational']).describe('Portfolio bucket'),
          riskLevel: z.enum(['low', 'medium', 'high']),
          budget: amount(0).optional(),
        })
        .strict(),
      selfAssessment: z
        .record(policyKey(selectionCriteria, 'PoC selection criteria'), z.object({ met: z.boolean(), notes: safeString().max(4000).optional() }).strict())
        .default({})
        .describe('Your own view of each PoC selection criterion of the policy'),
      urgent: z.boolean().default(false).describe('Ask the committee to decide the scale-up out of cycle'),
      urgencyReason: safeString().trim().min(1).max(2000).optional(),
    })
    .strict()
    .refine((b) => !b.urgent || b.urgencyReason, { path: ['urgencyReason'], message: 'required when urgent is true' });

export const gateReviewBody = z
  .object({
    criteria: z
      .record(safeString(), z.object({ met: z.boolean(), note: safeString().trim().max(4000).optional() }).strict())
      .describe('A ruling per PoC selection criterion of the policy; an unmet criterion needs a note'),
  })
  .strict();

export const completeStageBody = z
  .object({
    stage: safeString().min(1).describe('The current development stage, e.g. hypothesis_formation'),
    summary: text(20_000),
    evidence,
    metricResults: z
      .array(z.object({ name: metricName, value: measure }).strict())
      .max(20)
      .optional()
      .describe('For controlled_experimentation: the measured value of every success metric'),
  })
  .strict();
