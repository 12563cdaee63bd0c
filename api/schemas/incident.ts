import { z } from 'zod';
import { aiSystemRef } from './ai-system.js';
import { businessKey, principalId, safeString, text } from './common.js';

const isoTime = z.iso.datetime({ offset: true });

export const startIncidentBody = z
  .object({
    businessKey,
    title: text(300),
    description: text(10_000).describe('What happened, as far as is known'),
    system: safeString().trim().min(1).max(300).optional().describe('The AI system it concerns, in words (for one outside the inventory)'),
    aiSystem: aiSystemRef,
    awareAt: isoTime.optional().describe('When the organisation became aware of it (default now): the Art. 73 reporting clock runs from here'),
  })
  .strict();

/** The categories come from the pinned EU AI Act catalogue: the schema lists the current one's. */
export const triageBody = (categories: [string, ...string[]]) =>
  z
    .object({
      serious: z.boolean().describe('Whether it is a serious incident (Art. 3(49))'),
      categories: z.array(z.enum(categories)).min(1).max(categories.length).optional().describe('Required when serious: what it falls under'),
      justification: text(5000),
    })
    .strict();

export const authorityReportBody = z
  .object({
    authority: text(300).describe('The market surveillance authority it was reported to'),
    reference: text(300).describe("The report's reference"),
    reportedAt: isoTime.optional().describe('When it was sent (default now)'),
  })
  .strict();

export const findingsBody = z
  .object({
    rootCause: text(10_000),
    correctiveActions: z.array(z.object({ action: text(2000), owner: principalId, dueDate: z.iso.date() }).strict()).max(50).default([]),
    suspendSystem: z.boolean().optional().describe('Ask that the system be suspended until the corrective actions are done'),
  })
  .strict();

export const closeIncidentBody = z.object({ summary: text(10_000) }).strict();
