import { randomUUID } from 'node:crypto';
import { appendAudit } from '../activities/audit-log.js';
import { GovflowError } from '../domain/errors.js';
import type { Actor } from '../workflows/contracts/common.js';
import { Prisma } from '../prisma/generated/client.js';
import type { Db } from './database.js';

/*
 * Out of office: a person names a period and a deputy who holds one of their roles. Meanwhile their messages go to the
 * deputy (the delivery records for whom), the deputy's inbox shows the seats the process names them in, and what the
 * deputy does there is recorded as on their behalf.
 */

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** The one rule of an absence in force at `now` (from ≤ now < until), over the OutOfOffice row `o`. */
const inForce = (now: Date) => Prisma.sql`o."from" <= ${now} AND o."until" > ${now}`;

/** Who stands in for whom at `now`: absent principal → deputy. */
export async function deputiesAt(db: Db | Tx, principalIds: string[], now = new Date()): Promise<Map<string, string>> {
  if (principalIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ principalId: string; deputyId: string }[]>`
    SELECT o."principalId", o."deputyId" FROM "OutOfOffice" o WHERE o."principalId" = ANY(${principalIds}::text[]) AND ${inForce(now)}`;
  return new Map(rows.map((r) => [r.principalId, r.deputyId]));
}

/**
 * The people the deputy `deputy` (an SQL expression: a parameter, or a column of the surrounding query) stands in for
 * at `now`, as an SQL array, for queries that join it.
 */
export function coveredBySql(deputy: Prisma.Sql, now: Date): Prisma.Sql {
  return Prisma.sql`ARRAY(SELECT o."principalId" FROM "OutOfOffice" o WHERE o."deputyId" = ${deputy} AND ${inForce(now)} ORDER BY o."principalId")`;
}

/** The people a deputy stands in for at `now`. */
export async function coveredBy(db: Db, deputyId: string, now = new Date()): Promise<string[]> {
  const [row] = await db.$queryRaw<{ covered: string[] }[]>`SELECT ${coveredBySql(Prisma.sql`${deputyId}`, now)} AS covered`;
  return row!.covered;
}

/**
 * The actor as it acts on a process: on behalf of the absent person it stands in for, when the process names them.
 * `covered` is who the actor stands in for, when the caller read it already (authentication does, for API tokens).
 */
export async function actingFor(db: Db, actor: Actor, workflowId: string, covered?: string[]): Promise<Actor> {
  covered ??= await coveredBy(db, actor.id);
  if (covered.length === 0) return actor;
  const process = await db.process.findUnique({ where: { workflowId }, select: { pendingActors: true } });
  const absent = covered.find((id) => process?.pendingActors.includes(id));
  return absent ? { ...actor, onBehalfOf: absent } : actor;
}

const auditEntry = (person: Actor, action: string, details: Record<string, unknown>) => ({
  eventKey: `principal:${person.id}#${randomUUID()}`,
  workflowId: null,
  actor: person.id,
  actorKind: person.kind,
  role: null,
  action,
  details: { principal: person.id, ...details },
  policyVersion: null,
  identity: person.identity,
  occurredAt: new Date(),
});

/** Ends a person's absence now; recorded in the audit log. */
export async function clearOutOfOffice(db: Db, person: Actor): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.outOfOffice.deleteMany({ where: { principalId: person.id } });
    if (count) await appendAudit(tx, [auditEntry(person, 'out_of_office_cleared', {})]);
  });
}

/** Sets (or replaces) a person's absence; recorded in the audit log. */
export async function setOutOfOffice(db: Db, person: Actor, spec: { deputy: string; from: Date; until: Date }): Promise<{ deputy: string; from: Date; until: Date; roles: string[] }> {
  if (spec.until <= spec.from) throw new GovflowError('ValidationError', 'the period must end after it starts', [{ path: 'until', message: 'after from' }]);
  if (spec.deputy === person.id) throw new GovflowError('ValidationError', 'a deputy is someone else', [{ path: 'deputy', message: 'not yourself' }]);
  const deputy = await db.principal.findUnique({ where: { id: spec.deputy } });
  if (!deputy || deputy.disabled || deputy.kind !== 'person') throw new GovflowError('ValidationError', `${spec.deputy} is not an active person`, [{ path: 'deputy', message: 'no such person' }]);
  const roles = person.roles.filter((r) => deputy.roles.includes(r));
  if (roles.length === 0) {
    throw new GovflowError('ValidationError', `${spec.deputy} holds none of your roles (${person.roles.join(', ')}): a deputy must hold the role they stand in for`, [{ path: 'deputy', message: 'holds none of your roles' }]);
  }
  const row = { deputyId: spec.deputy, from: spec.from, until: spec.until };
  await db.$transaction(async (tx) => {
    await tx.outOfOffice.upsert({ where: { principalId: person.id }, create: { principalId: person.id, ...row }, update: row });
    await appendAudit(tx, [auditEntry(person, 'out_of_office_set', { deputy: spec.deputy, from: spec.from.toISOString(), until: spec.until.toISOString(), roles })]);
  });
  return { deputy: spec.deputy, from: spec.from, until: spec.until, roles };
}
