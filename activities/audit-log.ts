import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import { entryLeafHash, type AuditLeafContent } from '../domain/transparency/statements.js';
import type { Db } from '../platform/database.js';
import type { Prisma } from '../prisma/generated/client.js';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export const GENESIS_HASH = '0'.repeat(64);

/** An entry to append: what its leaf hash covers, at a moment (absent identity: the hash covers what it always did). */
export type AuditInput = AuditLeafContent & { occurredAt: Date };

/** The hash chain of entries written before the transparency log: each entry's hash covers its predecessor's. */
export function chainHash(prevHash: string, e: AuditInput): string {
  const { runId: _runId, ...chained } = e;
  const body = canonicalJson({ ...chained, occurredAt: e.occurredAt.toISOString(), details: e.details ?? null });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** The rows of entries to append, each with its leaf hash. */
export function auditRows(entries: AuditInput[]) {
  return entries.map(({ identity, ...e }) => ({
    ...e,
    runId: e.runId ?? null,
    issuer: identity?.issuer ?? null,
    subject: identity?.subject ?? null,
    details: (e.details ?? {}) as object,
    leafHash: entryLeafHash({ ...e, identity }),
  })) satisfies Prisma.AuditEntryCreateManyInput[];
}

/**
 * Appends entries inside `tx`; an entry whose eventKey is present already is skipped (a retry). No lock: writers
 * never wait for each other. The sealer gives entries their place in the Merkle tree later, in batches, and signs
 * the tree head (transparency-log.ts).
 */
export async function appendAudit(tx: Tx, entries: AuditInput[]): Promise<number> {
  if (entries.length === 0) return 0;
  const { count } = await tx.auditEntry.createMany({ skipDuplicates: true, data: auditRows(entries) });
  return count;
}

export type AuditRow = Awaited<ReturnType<Db['auditEntry']['findMany']>>[number];

/** An audit row as the leaf hash and the chain saw it. */
export function leafContentOf(row: AuditRow): AuditLeafContent {
  return {
    eventKey: row.eventKey,
    workflowId: row.workflowId,
    runId: row.runId,
    actor: row.actor,
    actorKind: row.actorKind,
    role: row.role,
    action: row.action,
    details: row.details,
    policyVersion: row.policyVersion,
    identity: row.issuer !== null && row.subject !== null ? { issuer: row.issuer, subject: row.subject } : undefined,
    occurredAt: row.occurredAt,
  };
}
