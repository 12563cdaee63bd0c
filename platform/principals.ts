import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { appendAudit } from '../activities/audit-log.js';
import { GovflowError } from '../domain/errors.js';
import { Prisma } from '../prisma/generated/client.js';
import type { Db } from './database.js';
import { coveredBySql } from './out-of-office.js';

/*
 * Principals (people and agents) and their API tokens. Which roles exist is the policy's (roles.yaml): the API
 * validates a grant against the loaded policy before it reaches here. Every grant, role change, token, deactivation
 * and revocation is an entry of the audit chain naming the admin who did it.
 */

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

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** One administrative act on the audit chain; `by` is the admin's principal ID (or `govflow` at start-up). */
async function auditAdmin(tx: Tx, by: string, action: string, principalId: string, details: Record<string, unknown>): Promise<void> {
  await appendAudit(tx, [
    { eventKey: `principal:${principalId}#${randomUUID()}`, workflowId: null, actor: by, actorKind: by === 'govflow' ? 'system' : 'person', role: 'admin', action, details: { principal: principalId, ...details }, policyVersion: null, occurredAt: new Date() },
  ]);
}

/**
 * Creates (or updates the roles of) a principal and issues a new token; only the token's hash is stored.
 * A deactivated principal gets no token: it must be reactivated first, so offboarding cannot be undone by accident.
 */
export async function issueToken(db: Db, spec: PrincipalSpec, label = 'cli', token = newToken(), by = 'govflow'): Promise<string> {
  await db.$transaction(async (tx) => {
    const existing = await tx.principal.findUnique({ where: { id: spec.id } });
    if (existing?.disabled) {
      throw new GovflowError('Conflict', `principal ${spec.id} is deactivated; reactivate it first (govflow principal reactivate ${spec.id})`);
    }
    if (!existing) {
      await tx.principal.create({ data: { id: spec.id, name: spec.name ?? spec.id, kind: spec.kind ?? 'person', roles: spec.roles } });
      await auditAdmin(tx, by, 'principal_created', spec.id, { kind: spec.kind ?? 'person', roles: spec.roles });
    } else {
      await tx.principal.update({ where: { id: spec.id }, data: { roles: spec.roles, ...(spec.name ? { name: spec.name } : {}), ...(spec.kind ? { kind: spec.kind } : {}) } });
      if (existing.roles.join() !== spec.roles.join()) await auditAdmin(tx, by, 'principal_roles_changed', spec.id, { from: existing.roles, to: spec.roles });
    }
    // A configured token (the bootstrap or local admin token) is presented again at every start: no new entry.
    const tokenHash = hashToken(token);
    if (await tx.apiToken.findUnique({ where: { tokenHash }, select: { id: true } })) {
      await tx.apiToken.update({ where: { tokenHash }, data: { principalId: spec.id, revokedAt: null } });
    } else {
      const issued = await tx.apiToken.create({ data: { principalId: spec.id, tokenHash, label } });
      await auditAdmin(tx, by, 'token_issued', spec.id, { tokenId: issued.id, label });
    }
  });
  return token;
}

/** Deactivation takes effect at the principal's next request: every token check reads `disabled`. */
export async function setPrincipalActive(db: Db, id: string, active: boolean, by: string) {
  return db.$transaction(async (tx) => {
    const principal = await tx.principal.findUnique({ where: { id } });
    if (!principal) throw new GovflowError('NotFound', `no principal ${id}`);
    if (principal.disabled === !active) return principal;
    const updated = await tx.principal.update({ where: { id }, data: { disabled: !active } });
    await auditAdmin(tx, by, active ? 'principal_reactivated' : 'principal_deactivated', id, {});
    return updated;
  });
}

export async function listTokens(db: Db, principalId: string) {
  if (!(await db.principal.findUnique({ where: { id: principalId }, select: { id: true } }))) throw new GovflowError('NotFound', `no principal ${principalId}`);
  return db.apiToken.findMany({
    where: { principalId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, label: true, createdAt: true, expiresAt: true, revokedAt: true },
  });
}

export async function revokeToken(db: Db, principalId: string, tokenId: string, by: string) {
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.findFirst({ where: { id: tokenId, principalId } });
    if (!row) throw new GovflowError('NotFound', `principal ${principalId} has no token ${tokenId}`);
    if (row.revokedAt) return { id: row.id, label: row.label, revokedAt: row.revokedAt };
    const revoked = await tx.apiToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    await auditAdmin(tx, by, 'token_revoked', principalId, { tokenId, label: row.label });
    return { id: revoked.id, label: revoked.label, revokedAt: revoked.revokedAt };
  });
}

/** Who a valid API token stands for: an active principal, and the people it stands in for at the time. */
export interface TokenPrincipal {
  id: string;
  kind: string;
  roles: string[];
  covered: string[];
}

/**
 * The principal of an API token that is neither revoked, expired nor of a disabled principal, or null. One statement:
 * every API request asks, and an action needs the absences it covers too (out of office).
 */
export async function findPrincipalByToken(db: Db, token: string, now = new Date()): Promise<TokenPrincipal | null> {
  const [row] = await db.$queryRaw<TokenPrincipal[]>`
    SELECT p.id, p.kind, p.roles, ${coveredBySql(Prisma.sql`p.id`, now)} AS covered
    FROM "ApiToken" t JOIN "Principal" p ON p.id = t."principalId"
    WHERE t."tokenHash" = ${hashToken(token)} AND t."revokedAt" IS NULL AND (t."expiresAt" IS NULL OR t."expiresAt" >= ${now}) AND NOT p.disabled`;
  return row ?? null;
}
