import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import type { Db } from '../platform/database.js';
import type { ActorIdentity } from '../workflows/contracts/common.js';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  eventKey: string;
  workflowId: string | null;
  actor: string;
  actorKind: string;
  role: string | null;
  action: string;
  details: unknown;
  policyVersion: string | null;
  /** Absent for actors without an OpenID identity: the hash then covers exactly what it always did. */
  identity?: ActorIdentity;
  occurredAt: Date;
}

/** The hash of one entry covers its content and the previous entry's hash, so any edit or deletion shows. */
export function auditHash(prevHash: string, e: AuditInput): string {
  const body = canonicalJson({ ...e, occurredAt: e.occurredAt.toISOString(), details: e.details ?? null });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

// One writer at a time extends the chain; the lock is released when the transaction ends.
const CHAIN_LOCK = 4_711_001;

/** Appends entries to the chain inside `tx`; entries whose eventKey is already present are skipped (retries). */
export async function appendAudit(tx: Tx, entries: AuditInput[]): Promise<number> {
  if (entries.length === 0) return 0;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
  const existing = await tx.auditEntry.findMany({ where: { eventKey: { in: entries.map((e) => e.eventKey) } }, select: { eventKey: true } });
  const seen = new Set(existing.map((e) => e.eventKey));
  const fresh = entries.filter((e) => !seen.has(e.eventKey));
  if (fresh.length === 0) return 0;
  const last = await tx.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
  let prevHash = last?.hash ?? GENESIS_HASH;
  const rows = fresh.map(({ identity, ...e }) => {
    const hash = auditHash(prevHash, { ...e, identity });
    const row = { ...e, issuer: identity?.issuer ?? null, subject: identity?.subject ?? null, details: (e.details ?? {}) as object, prevHash, hash };
    prevHash = hash;
    return row;
  });
  await tx.auditEntry.createMany({ data: rows });
  return rows.length;
}

export interface ChainVerification {
  ok: boolean;
  entries: number;
  /** The first entry that does not match, with the reason. */
  firstBroken: { seq: string; eventKey: string; reason: string } | null;
}

/** Walks the whole chain in order, recomputing every hash. */
export async function verifyAuditChain(db: Db, batchSize = 1000): Promise<ChainVerification> {
  let prevHash = GENESIS_HASH;
  let count = 0;
  let cursor: bigint | undefined;
  for (;;) {
    const batch = await db.auditEntry.findMany({
      where: cursor === undefined ? {} : { seq: { gt: cursor } },
      orderBy: { seq: 'asc' },
      take: batchSize,
    });
    if (batch.length === 0) return { ok: true, entries: count, firstBroken: null };
    for (const row of batch) {
      const broken = (reason: string) => ({ ok: false, entries: count, firstBroken: { seq: row.seq.toString(), eventKey: row.eventKey, reason } });
      if (row.prevHash !== prevHash) {
        return broken('its previous-hash does not match the entry before it (an entry was deleted or reordered)');
      }
      const expected = auditHash(prevHash, {
        eventKey: row.eventKey,
        workflowId: row.workflowId,
        actor: row.actor,
        actorKind: row.actorKind,
        role: row.role,
        action: row.action,
        details: row.details,
        policyVersion: row.policyVersion,
        identity: row.issuer !== null && row.subject !== null ? { issuer: row.issuer, subject: row.subject } : undefined,
        occurredAt: row.occurredAt,
      });
      if (expected !== row.hash) return broken('its content does not match its hash (the entry was edited)');
      prevHash = row.hash;
      count++;
      cursor = row.seq;
    }
  }
}
