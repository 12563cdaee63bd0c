/**
 * Input schemas of the five engines (zod), exported for the engines' `parseXInput` functions and for the API's
 * validation and OpenAPI documents. Checks that depend on the policy (factor keys, the decision scale, checklist
 * items) happen in the engines, with the same `EngineInputError`. Pure: safe to import from workflow code.
 */
import { z } from 'zod';
import { DEPLOYER_TYPES, OPERATOR_ROLES } from '../policy/schema.js';
import { safeString } from '../text.js';

/** Dimension scores of the technology-proposal and strategic-initiative engines are on this fixed scale. */
export const DIMENSION_SCALE = { min: 0, max: 10 } as const;

/**
 * Every amount is at most a trillion (in its currency) either way, and every other number at most a million: far
 * beyond any real business case, and small enough that sums over 51 years and discounting stay finite.
 */
export const MONEY_LIMIT = 1e12;
export const NUMBER_LIMIT = 1e6;

/** A number within [min, max]; the refusal says which bound it broke. */
export const bounded = (min: number, max: number, what = 'a number') =>
  z
    .number({ error: `expected ${what}` })
    .min(min, { error: `expected ${what} of at least ${min}` })
    .max(max, { error: `expected ${what} of at most ${max}` });

const number = (description: string) => bounded(-NUMBER_LIMIT, NUMBER_LIMIT).describe(description);

/** An amount of money (a cash flow may be negative). */
export const amount = (min: number) => bounded(min, MONEY_LIMIT, 'an amount of money');

const onDimensionScale = (description: string) => {
  const message = `expected a number between ${DIMENSION_SCALE.min} and ${DIMENSION_SCALE.max}`;
  return z
    .number({ error: message })
    .min(DIMENSION_SCALE.min, { error: message })
    .max(DIMENSION_SCALE.max, { error: message })
    .describe(`${description} (${DIMENSION_SCALE.min}-${DIMENSION_SCALE.max})`);
};

const money = (description: string) => amount(0).describe(description);

const text = (max: number, description: string) =>
  safeString({ error: 'expected a text' }).trim().min(1, { error: 'must not be empty' }).max(max, { error: `at most ${max} characters` }).describe(description);

const key = (description: string) =>
  safeString({ error: 'expected a key' }).min(1, { error: 'must not be empty' }).max(100, { error: 'at most 100 characters' }).describe(description);

const currency = safeString({ error: 'expected an ISO 4217 currency code' })
  .regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 currency code such as EUR' })
  .describe('ISO 4217 currency code of every amount in this input');

function uniqueBy<T>(items: readonly T[], keyOf: (item: T) => string, ctx: z.RefinementCtx, path: (i: number) => PropertyKey[], what: string): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = keyOf(item);
    const first = seen.get(k);
    if (first !== undefined) ctx.addIssue({ code: 'custom', path: path(i), message: `duplicate ${what} (same as index ${first})` });
    else seen.set(k, i);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Technical decision (weighted decision matrix)

export const decisionOptionSchema = z
  .object({
    name: text(200, 'Option name, unique within the decision; ties in the ranking are broken by name'),
    description: safeString().max(4000).optional().describe('What the option is, for the record'),
    scores: z
      .record(safeString(), number('Factor score on the policy scale'))
      .describe('Score per factor of every criterion in the decision-criteria policy, on its scale (decisionCriteria.scale)'),
  })
  .strict()
  .describe('One option of the decision');

export const decisionMatrixInputSchema = z
  .object({
    decision: text(500, 'The decision being made, e.g. "Vector store for the retrieval platform"'),
    options: z
      .array(decisionOptionSchema)
      .min(2, { error: 'at least two options are needed to compare' })
      .max(50, { error: 'at most 50 options' })
      .describe('The options compared; their order does not affect any score'),
  })
  .strict()
  .superRefine((input, ctx) => uniqueBy(input.options, (o) => o.name, ctx, (i) => ['options', i, 'name'], 'option name'));

export type DecisionMatrixInput = z.output<typeof decisionMatrixInputSchema>;

// ---------------------------------------------------------------------------------------------------------------
// 2. Technology proposal

export const technologyCostsSchema = z
  .object({
    currency,
    // At least a cent, so that the TCO's share of it stays finite.
    budget: amount(0.01)
      .describe('Budget for the whole policy horizon, in present-value terms, against which the discounted TCO is scored'),
    migrationOneOff: money('One-off migration and implementation cost, spent now (year 0)'),
    annual: z
      .object({
        licences: money('Licence or subscription cost per year'),
        infrastructure: money('Infrastructure (hosting, compute, storage) cost per year'),
        staffing: money('Staffing (operation, support, training) cost per year'),
      })
      .strict()
      .describe('Recurring costs of the first year; later years escalate by annualEscalation'),
    annualEscalation: z
      .number({ error: 'expected a rate' })
      .min(-0.5, { error: 'expected a rate between -0.5 and 1' })
      .max(1, { error: 'expected a rate between -0.5 and 1' })
      .default(0)
      .describe('Yearly growth of recurring costs after the first year, as a fraction (0.03 = 3 %)'),
  })
  .strict()
  .describe('Multi-year cost model; discounted at the policy discount rate over the policy horizon');

export const technologyProposalInputSchema = z
  .object({
    technology: text(200, 'Technology proposed, e.g. "PostgreSQL pgvector"'),
    category: safeString().max(200).optional().describe('Kind of technology (database, framework, platform, ...)'),
    strategicFit: z
      .record(safeString(), onDimensionScale('Strategic-fit factor score'))
      .describe('Score per strategic-fit factor of the policy (technologyProposal.strategicFitFactors)'),
    enterpriseIntegration: onDimensionScale('How well it integrates with enterprise infrastructure, identity, data and APIs'),
    securityCompliance: onDimensionScale('How well it meets security and compliance requirements'),
    supportEcosystem: onDimensionScale('Vendor support, community, skills available on the market'),
    implementationRiskLevel: onDimensionScale('Implementation risk: 0 = none, 10 = severe; the risk score is 10 minus this'),
    costs: technologyCostsSchema,
  })
  .strict();

export type TechnologyProposalInput = z.output<typeof technologyProposalInputSchema>;

// ---------------------------------------------------------------------------------------------------------------
// 3. Strategic initiative

export const strategicInitiativeInputSchema = z
  .object({
    initiative: text(200, 'Initiative name'),
    strategicValue: z
      .record(safeString(), onDimensionScale('Strategic-value factor score'))
      .describe('Score per strategic-value factor of the policy (strategicInitiative.strategicValueFactors)'),
    technicalFeasibility: onDimensionScale('Technical feasibility with the current platform and skills'),
    marketOpportunity: onDimensionScale('Size and timing of the market opportunity'),
    resourceDemandLevel: onDimensionScale('Resources needed relative to capacity: 0 = negligible, 10 = beyond capacity; the score is 10 minus this'),
    implementationRiskLevel: onDimensionScale('Implementation risk: 0 = none, 10 = severe; the score is 10 minus this'),
    currency,
    cashFlows: z
      .array(amount(-MONEY_LIMIT).describe('Net cash flow of the year'))
      .min(2, { error: 'at least two years of cash flows (year 0 and year 1)' })
      .max(51, { error: 'at most 51 years of cash flows' })
      .describe('Net cash flow per year; index 0 is now (usually the negative investment), index t is year t'),
  })
  .strict();

export type StrategicInitiativeInput = z.output<typeof strategicInitiativeInputSchema>;

// ---------------------------------------------------------------------------------------------------------------
// 4. Performance assessment

export const criterionLevelSchema = z
  .object({
    current: number('Current level on the policy scale (performanceAssessment.scale)'),
    target: number('Target level for the role on the policy scale'),
  })
  .strict();

export const performanceAssessmentInputSchema = z
  .object({
    subject: text(200, 'The person assessed (principal id or name)'),
    role: safeString().max(200).optional().describe('Role the expectations (targets) are taken from'),
    period: text(100, 'Assessment period, e.g. "2025-H1"'),
    levels: z
      .record(safeString(), z.record(safeString(), criterionLevelSchema))
      .describe('Per dimension of the policy, per criterion: current and target level'),
  })
  .strict();

export type PerformanceAssessmentInput = z.output<typeof performanceAssessmentInputSchema>;

// ---------------------------------------------------------------------------------------------------------------
// 5. AI compliance

/** Prohibited AI practices of EU AI Act Art. 5(1), points (a) to (h). */
const flag = (description: string) => z.boolean({ error: 'expected true or false' }).describe(description);

export const aiIntakeSchema = z
  .object({
    prohibitedPractices: z
      .array(key('Practice key from the EU AI Act catalogue (euAiAct.prohibitedPractices)'))
      .default([])
      .describe('Art. 5 practices the system uses; any whose prohibition applies on the as-of date makes it prohibited'),
    annexIIIAreas: z
      .array(key('Annex III area id from the EU AI Act catalogue (euAiAct.annexIIIAreas)'))
      .default([])
      .describe('Annex III high-risk areas the intended purpose falls in'),
    annexISafetyComponent: flag('Safety component of (or itself) a product under Annex I Union harmonisation legislation'),
    interactsWithNaturalPersons: flag('Interacts directly with natural persons (Art. 50(1))'),
    generatesSyntheticContent: flag('Generates or manipulates synthetic audio, image, video or text (Art. 50(2), 50(4))'),
    emotionRecognitionOrBiometricCategorisation: flag('Emotion recognition or biometric categorisation system: an Annex III point 1 use case, with Art. 50(3) duties'),
    annexIIIPoints: z
      .array(safeString().regex(/^[1-8]\([a-z]\)$/, { error: 'expected an Annex III point such as 5(b)' }))
      .default([])
      .describe('Annex III points within the areas, e.g. 5(b) creditworthiness, 5(c) life and health insurance (Art. 27(1) scope)'),
    operatorRoles: z
      .array(z.enum(OPERATOR_ROLES, { error: `expected one of: ${OPERATOR_ROLES.join(', ')}` }))
      .min(1, { error: 'at least one role' })
      .default(['provider', 'deployer'])
      .describe('Whether the organisation is the provider, the deployer, or both; obligations are reported for these roles'),
    deployerType: z
      .enum(DEPLOYER_TYPES, { error: `expected one of: ${DEPLOYER_TYPES.join(', ')}` })
      .default('other')
      .describe('Art. 27(1): a body governed by public law, a private entity providing public services, or other'),
    profiling: flag('Performs profiling of natural persons (an Annex III system that profiles is always high-risk, Art. 6(3))').default(false),
    derogation: z
      .object({
        conditions: z.array(key('Art. 6(3) condition key (euAiAct.derogation.conditions)')).min(1, { error: 'name at least one Art. 6(3) condition' }),
        documented: flag('The provider documented the assessment before placing the system on the market (Art. 6(4))'),
      })
      .strict()
      .optional()
      .describe('Art. 6(3): the provider considers the Annex III system not high-risk'),
    generalPurposeAiModel: flag('The organisation provides a general-purpose AI model (Chapter V)').default(false),
    placedOnMarket: z.iso.date({ error: 'expected a calendar date YYYY-MM-DD' }).optional().describe('When the system was placed on the market, for transitional provisions (Art. 111)'),
  })
  .strict()
  .describe('Intake answers the EU AI Act tier is derived from');

export const evidenceSchema = z
  .object({
    item: key('Checklist item key (complianceChecklist.domains[].items[].key)'),
    implementation: z
      .enum(['implemented', 'partially_implemented', 'not_implemented'], { error: 'expected implemented, partially_implemented or not_implemented' })
      .describe('State of the control claimed by the system owner'),
    references: z
      .array(text(500, 'Evidence reference: document id, URL, ticket'))
      .max(50)
      .default([])
      .describe('Evidence references; an implemented item without references is only partially compliant'),
    note: safeString().max(2000).optional().describe('Free-text remark'),
  })
  .strict();

export const aiComplianceInputSchema = z
  .object({
    system: text(200, 'AI system assessed'),
    deploymentContext: safeString().max(2000).optional().describe('Where and how the system is deployed'),
    assessmentDate: z.iso
      .date({ error: 'expected a calendar date YYYY-MM-DD' })
      .describe('Date of the assessment (YYYY-MM-DD); remediation deadlines are counted from it'),
    asOf: z.iso
      .date({ error: 'expected a calendar date YYYY-MM-DD' })
      .optional()
      .describe('Date the law is applied as of (YYYY-MM-DD): which catalogue version is in force and which obligations apply; default today'),
    intake: aiIntakeSchema,
    evidence: z.array(evidenceSchema).max(500).default([]).describe('Evidence per checklist item; items without evidence are non-compliant'),
    owners: z
      .object({
        default: text(200, 'Owner of remediation actions when no domain owner is named'),
        byDomain: z.record(safeString(), text(200, 'Owner')).default({}).describe('Owner of remediation actions per checklist domain'),
      })
      .strict(),
  })
  .strict()
  .superRefine((input, ctx) => uniqueBy(input.evidence, (e) => e.item, ctx, (i) => ['evidence', i, 'item'], 'evidence item'));

export type AiComplianceInput = z.output<typeof aiComplianceInputSchema>;
