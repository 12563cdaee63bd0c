import { z } from 'zod';
import { businessKey, evidence, principalId, text, safeString } from './common.js';

const policyKey = safeString().trim().min(1, 'required').max(100);

export const startRoadmapEngagementBody = z
  .object({
    businessKey,
    title: text(300),
    sponsor: principalId.describe('Principal ID of the executive sponsor (signs off phases, receives overrun escalations)'),
    engagementLead: principalId.describe('Principal ID of the engagement lead (reviews deliverables, signs off phases)'),
    objectives: z.array(text(2000)).min(1, 'at least one objective').max(50),
  })
  .strict();

export const submitDeliverableBody = z
  .object({
    deliverable: policyKey.describe("One of the current phase's deliverables, e.g. gap_analysis_summary"),
    title: text(300),
    documentRef: text(2000).describe('Where the document lives, e.g. a URL or DMS reference'),
    contentHash: safeString().regex(/^[0-9a-f]{64}$/, 'expected a sha256 digest, 64 lowercase hex digits'),
    author: text(200),
  })
  .strict();

export const reviewDeliverableBody = z
  .object({
    deliverable: policyKey,
    decision: z.enum(['accept', 'send_back']),
    note: safeString().max(10_000).optional().describe('Required when sending back'),
  })
  .strict();

export const closePhaseEarlyBody = z
  .object({ justification: text(10_000).describe('Why the phase closes before its minimum duration; on the record') })
  .strict();

export const signOffBody = z
  .object({
    role: policyKey.describe("The sign-off role you act as (one of the phase's signOffRoles); you must hold it"),
    decision: z.enum(['approve', 'reject']),
    justification: safeString().max(10_000).optional().describe('Required for a rejection'),
    reopen: z.array(policyKey).max(50).optional().describe('On rejection: deliverables to send back for rework'),
  })
  .strict();

const architectureReviewChild = z
  .object({
    kind: z.literal('architecture_review'),
    businessKey,
    title: text(300),
    input: z
      .object({
        trigger: safeString().min(1),
        systemDescription: text(20_000),
        evidence,
        selfAssessment: z.record(safeString(), z.object({ status: z.enum(['compliant', 'partial', 'non_compliant']), notes: safeString().max(4000).optional() }).strict()).default({}),
        assignees: z.record(safeString(), safeString().min(1)).optional(),
        urgent: z.boolean().default(false),
      })
      .strict(),
  })
  .strict();

const evaluationChild = z
  .object({
    kind: z.enum(['technology_proposal_evaluation', 'strategic_initiative_evaluation']),
    businessKey,
    title: text(300),
    input: z.record(safeString(), z.unknown()).describe("The engine's input, as for POST /evaluations/…"),
  })
  .strict();

export const launchChildBody = z.discriminatedUnion('kind', [architectureReviewChild, evaluationChild]);
