import { z } from 'zod';
import { safeString } from '../../domain/text.js';

export { safeString };

/** Business keys become part of workflow IDs and URLs: keep them short and URL-safe. */
export const businessKey = safeString()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'expected 1-100 letters, digits, dots, dashes or underscores, starting with a letter or digit')
  .describe('Your identifier for the process, e.g. ARCH-2026-042; one process per key and kind');

/** A principal's ID, as issued by `POST /principals`. */
export const principalId = safeString().trim().min(1, 'required').max(200).describe('A principal ID');

// A missing field says "required", not zod's "expected string, received undefined".
const text = (max: number) =>
  safeString({ error: (issue) => (issue.input === undefined ? 'required' : 'expected text') })
    .trim()
    .min(1, 'required')
    .max(max, `at most ${max} characters`);

export const withdrawBody = z.object({ reason: text(2000).describe('Why the process is withdrawn') }).strict();

export const extendDeadlineBody = z
  .object({
    days: z.number().int('expected a whole number of days').min(1, 'at least 1 day').max(365, 'at most 365 days'),
    reason: text(2000),
  })
  .strict();

export const delegateBody = z
  .object({
    role: safeString().min(1).describe('The reviewer role being delegated'),
    to: safeString().min(1).describe('Principal ID of the delegate, who must hold the same role'),
    reason: safeString().max(2000).optional(),
  })
  .strict();

export const listQuery = z
  .object({
    stage: safeString().max(64).optional(),
    outcome: safeString().max(64).optional(),
    pendingRole: safeString().max(64).optional().describe('Only processes waiting on this role'),
    requester: safeString().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: safeString().max(300).optional().describe('The nextCursor of the previous page'),
  })
  .strict();

/**
 * One of the values the loaded policy allows (triggers, roles, criteria, types): in the schema, so the published
 * OpenAPI lists them and a refusal names them. Only for starts and principals, which use the current policy; an
 * action on a running process is checked by the process against the policy it pinned.
 */
export function policyEnum(values: readonly string[], what: string) {
  return z.enum(values as [string, ...string[]], { error: `expected one of the policy's ${what}: ${values.join(', ')}` });
}

/** The same for a record's keys, where not every value need appear (a zod enum key would require them all). */
export function policyKey(values: readonly string[], what: string) {
  const allowed = new Set(values);
  return safeString()
    .refine((v) => allowed.has(v), `expected one of the policy's ${what}: ${values.join(', ')}`)
    .meta({ enum: [...values] });
}

export const evidence = z.array(safeString().trim().min(1).max(2000)).max(50).default([]);
export { text };
