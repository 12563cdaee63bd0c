import { z } from 'zod';
import { businessKey, principalId, safeString, text } from './common.js';

export const startObligationBody = z
  .object({
    businessKey,
    title: text(300),
    condition: text(5000).describe('What must be done, as the approval stated it'),
    parentWorkflowId: safeString().min(1).max(300).describe('The approval it belongs to, e.g. committee-approval/CA-7'),
    owner: principalId.describe('Who must fulfil it'),
    dueDate: z.iso.date().describe('When it is due (YYYY-MM-DD, end of day UTC)'),
    verifierRole: safeString().min(1).max(64).describe('The role that verifies the evidence'),
  })
  .strict();

export const submitEvidenceBody = z
  .object({
    evidence: z.array(safeString().trim().min(1).max(2000)).min(1).max(50).describe('Evidence digests (sha256:…, from POST /evidence) or links'),
    note: text(5000).optional(),
  })
  .strict();

export const verifyObligationBody = z.object({ accept: z.boolean(), note: text(5000).optional().describe('Required when not accepted') }).strict();
