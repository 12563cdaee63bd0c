import { z } from 'zod';
import { aiComplianceInputSchema } from '../../domain/engines/inputs.js';
import { OPERATOR_ROLES } from '../../domain/policy/schema.js';
import type { PolicySet } from '../../domain/policy/types.js';
import { businessKey, evidence, policyEnum, principalId, safeString, text } from './common.js';

const reason = z.object({ reason: text(2000).describe('Why, for the record') }).strict();

/** The business key of a registered AI system, on the start of a process about it. */
export const aiSystemRef = businessKey.optional().describe('The AI system of the inventory it concerns (its business key): the system’s record links it and takes in its outcome');

export const startAiSystemBody = z
  .object({
    businessKey,
    title: text(300).describe('The system’s name'),
    purpose: text(10_000).describe('Its intended purpose'),
    owner: principalId.describe('The person accountable for it: its monitoring reviews and obligations are theirs'),
    operatorRoles: z.array(z.enum(OPERATOR_ROLES)).min(1).max(OPERATOR_ROLES.length).describe('What the organisation is for it under the EU AI Act'),
    assessment: aiComplianceInputSchema.optional().describe('The AI compliance intake answers: the ethical reviews its monitors open assess these'),
  })
  .strict();

export const stageChangeBody = reason;

/** The metrics and the risk scale come from the policy new systems pin; a running system checks its own. */
export function aiSystemBodies(policy: PolicySet) {
  const { thresholds, riskScale } = policy.aiGovernance.aiSystems;
  const likelihood = policyEnum(riskScale.likelihood, 'risk likelihood levels');
  const impact = policyEnum(riskScale.impact, 'risk impact levels');
  return {
    measurement: z
      .object({
        metric: policyEnum(thresholds.map((t) => t.metric), 'monitored metrics'),
        value: z.number().finite().min(-1e12).max(1e12),
        at: z.iso.datetime({ offset: true }).optional().describe('When it was measured (default now)'),
      })
      .strict(),
    risk: z
      .object({
        title: text(300),
        description: text(10_000),
        owner: principalId,
        likelihood,
        impact,
        mitigation: text(10_000),
        residualLikelihood: likelihood.describe('Likelihood once the mitigation works'),
        residualImpact: impact.describe('Impact once the mitigation works'),
      })
      .strict(),
    riskReview: z
      .object({
        riskId: safeString().trim().min(1).max(20).describe('e.g. R-1'),
        note: text(10_000),
        likelihood: likelihood.optional(),
        impact: impact.optional(),
        residualLikelihood: likelihood.optional(),
        residualImpact: impact.optional(),
        mitigation: text(10_000).optional(),
        close: z.boolean().optional().describe('The risk is gone'),
      })
      .strict(),
  };
}

export const feedbackBody = z
  .object({
    from: text(300).describe('Who gave it: a stakeholder group or person'),
    summary: text(10_000),
  })
  .strict();

export const startMonitoringReviewBody = (reviews: readonly string[]) =>
  z
    .object({
      businessKey,
      title: text(300),
      aiSystem: businessKey.describe('The AI system it reviews'),
      review: policyEnum(reviews, 'manual reviews'),
      prompt: text(2000).optional().describe('Why it is held now'),
    })
    .strict();

export const completeReviewBody = z
  .object({
    summary: text(10_000),
    findings: z.array(text(2000)).max(50).default([]),
    evidence,
    actionRequired: z.boolean().describe('Something found needs action: the escalation role is told'),
  })
  .strict();
