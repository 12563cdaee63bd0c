import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './database.js';

/** Every role a principal can hold; workflows check the same names in their update validators. */
export const ROLES = [
  'requester',
  'technical_lead',
  'enterprise_architect',
  'security_architect',
  'domain_expert',
  'ethics_board_member',
  'committee_member',
  'committee_chair',
  'engagement_lead',
  'executive_sponsor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return `gf_${randomBytes(32).toString('base64url')}`;
}

export interface PrincipalSpec {
  id: string;
  name?: string;
  kind?: 'person' | 'agent';
  roles: string[];
}

/** Creates (or updates the roles of) a principal and issues a new token; only the token's hash is stored. */
export async function issueToken(db: Db, spec: PrincipalSpec, label = 'cli', token = newToken()): Promise<string> {
  await db.principal.upsert({
    where: { id: spec.id },
    create: { id: spec.id, name: spec.name ?? spec.id, kind: spec.kind ?? 'person', roles: spec.roles },
    update: { roles: spec.roles, ...(spec.name ? { name: spec.name } : {}), ...(spec.kind ? { kind: spec.kind } : {}) },
  });
  await db.apiToken.upsert({
    where: { tokenHash: hashToken(token) },
    create: { principalId: spec.id, tokenHash: hashToken(token), label },
    update: { principalId: spec.id, revokedAt: null },
  });
  return token;
}

export async function findPrincipalByToken(db: Db, token: string) {
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { principal: true } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt < new Date()) || row.principal.disabled) return null;
  return row.principal;
}
