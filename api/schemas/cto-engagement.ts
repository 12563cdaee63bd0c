import { z } from 'zod';
import { businessKey, policyEnum, principalId, text, safeString } from './common.js';

/** The start body, with the engagement types of the policy new engagements pin. */
export const startCtoEngagementBody = (engagementTypes: readonly string[]) =>
  z
    .object({
      businessKey,
      title: text(300),
      clientOrg: text(300).describe('The client organisation'),
      engagementType: policyEnum(engagementTypes, 'engagement types').describe('One of the policy engagement types'),
      startDate: z.iso.date().optional().describe('First day of the term (YYYY-MM-DD); defaults to today'),
      termMonths: z.number().int('expected a whole number of months').min(1).max(120).optional().describe('Term in months, within the type’s duration; omit for an open-ended advisory engagement'),
      engagementLead: principalId.describe('Principal ID of the engagement lead'),
      sponsor: principalId.describe('Principal ID of the executive sponsor (holder of executive_sponsor): reads the engagement’s reports'),
      retrospectiveParticipants: z.array(principalId).max(50).optional().describe('Invited to the retrospective when the engagement ends'),
    })
    .strict();

export const deliverBody = z
  .object({
    deliverable: safeString().min(1).max(64).describe('A deliverable of the engagement type, e.g. technical_decisions'),
    documentRef: text(2000).describe('Where the deliverable lives (URL or document ID)'),
    summary: safeString().max(10_000).optional(),
    contentHash: safeString().regex(/^[a-f0-9]{64}$/, 'expected a sha256 hex digest').optional(),
  })
  .strict();

export const renewBody = z
  .object({
    months: z.number().int('expected a whole number of months').min(1).max(60),
    reason: text(2000),
  })
  .strict();

export const terminateBody = z.object({ reason: text(2000).describe('Why the engagement ends early') }).strict();
