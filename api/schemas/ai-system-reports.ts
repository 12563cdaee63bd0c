/* eslint-disable no-restricted-syntax -- response schemas describe what the API answers, not what it accepts: the
   rule's reason to exempt api/schemas/responses.ts holds here (these would go there, or this file in its ignores). */
import { z } from 'zod';
import { IMPLEMENTATION_STATUSES } from '../../domain/inventory/statement-of-applicability.js';
import type { EuAiActTier } from '../../domain/policy/types.js';

/** What the inventory's reports answer (domain/inventory/portfolio.ts, statement-of-applicability.ts), as zod schemas. */

const at = z.iso.datetime().describe('ISO 8601 timestamp (UTC)');
const tier = z.enum(['prohibited', 'high_risk', 'transparency', 'minimal'] satisfies EuAiActTier[]);
const implementation = z.enum(IMPLEMENTATION_STATUSES);

const portfolioItem = z.strictObject({
  system: z.string().describe("The system's business key"),
  systemTitle: z.string(),
  workflowId: z.string().describe('The open process'),
  kind: z.string(),
  title: z.string(),
  openedAt: z.string(),
  dueAt: at.nullable().describe("The process's current deadline, when its record has one"),
  overdue: z.boolean(),
});

/** `GET /ai-systems/portfolio`. */
export const aiPortfolio = z.strictObject({
  generatedAt: at,
  total: z.number().int().describe('Every system of the inventory, retired ones included'),
  active: z.number().int().describe('Systems not retired'),
  byTier: z.array(z.strictObject({ tier: z.string(), count: z.number().int() })).describe("Systems not retired, per EU AI Act tier (the catalogue's tiers, then unclassified), zeros included"),
  byStage: z.array(z.strictObject({ stage: z.string(), count: z.number().int() })).describe('Every system, per stage in life-cycle order, zeros included'),
  overdue: z.array(portfolioItem).describe('Open processes past their deadline (monitoring reviews, obligations, …), incidents aside; the earliest deadline first'),
  overdueByKind: z.array(z.strictObject({ kind: z.string(), count: z.number().int() })),
  openIncidents: z.array(portfolioItem).describe('Open incidents, the oldest first'),
  systems: z.array(
    z.strictObject({
      key: z.string(),
      workflowId: z.string(),
      title: z.string(),
      owner: z.string(),
      riskTier: z.string().nullable(),
      stage: z.string(),
      openProcesses: z.number().int(),
      overdue: z.number().int().describe('Its open processes past their deadline, incidents included'),
      openIncidents: z.number().int(),
      openRisks: z.number().int(),
    }),
  ),
});

/** `GET /ai-systems/statement-of-applicability`. */
export const statementOfApplicability = z.strictObject({
  organisation: z.string().nullable().describe('As given in ?organisation='),
  generatedAt: at,
  policyVersion: z.string().describe('The policy version whose catalogue and checklist the statement applies'),
  catalogue: z.strictObject({ source: z.string(), version: z.string() }),
  scope: z.strictObject({
    systems: z.array(
      z.strictObject({
        key: z.string(),
        title: z.string(),
        stage: z.string(),
        riskTier: tier.nullable().describe('null: not classified yet'),
        assessment: z.strictObject({ workflowId: z.string(), assessmentDate: z.iso.date() }).nullable().describe('The latest compliance assessment the statement reads'),
      }),
    ),
    excluded: z.array(z.strictObject({ key: z.string(), title: z.string(), reason: z.string() })).describe('Systems out of scope (retired)'),
  }),
  summary: z.strictObject({
    controls: z.number().int(),
    applicable: z.number().int(),
    notApplicable: z.number().int(),
    organisationLevel: z.number().int().describe('Applicable controls no checklist item maps to'),
    byStatus: z.record(implementation, z.number().int()),
  }),
  controls: z.array(
    z.strictObject({
      id: z.string().describe('Annex A control ID, e.g. A.6.2.4'),
      group: z.string(),
      title: z.string(),
      applicable: z.boolean(),
      basis: z.enum(['inventory', 'organisation']).describe('organisation: no checklist item maps to it'),
      justification: z.string(),
      implementation: implementation.describe('implemented: every applicable mapped item compliant in the latest assessment of every system it applies to'),
      tally: z.strictObject({ compliant: z.number().int(), partial: z.number().int(), nonCompliant: z.number().int(), notAssessed: z.number().int() }).describe('Item-system pairs by status'),
      items: z.array(
        z.strictObject({
          key: z.string(),
          title: z.string(),
          appliesTo: z.array(tier),
          obligation: z.string().nullable(),
          systems: z.array(
            z.strictObject({
              system: z.string(),
              status: z.enum(['compliant', 'partial', 'non_compliant', 'not_assessed']),
              workflowId: z.string().nullable().describe('The assessment the status comes from'),
            }),
          ),
        }),
      ),
      evidence: z.array(z.strictObject({ reference: z.string(), item: z.string(), system: z.string(), workflowId: z.string().describe('The assessment that filed it') })),
    }),
  ),
});
