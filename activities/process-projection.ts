import { randomUUID } from 'node:crypto';
import type { Notice, ProcessEvent, ProcessStateBase } from '../workflows/contracts/common.js';
import type { Db } from '../platform/database.js';
import { Prisma } from '../prisma/generated/client.js';
import { auditRows } from './audit-log.js';
import { asOneStatement, insertRows, updateWhere } from './sql-insert.js';
import { enqueueDeliveries, type OutboxChannels } from './notifications.js';

export interface DecisionRecord {
  eventKey: string;
  round: number;
  actor: string;
  actorKind: string;
  role: string;
  verdict: string;
  criteria?: Record<string, unknown>;
  conditions?: string[];
  justification?: string;
  evidence?: string[];
  decidedAt: string;
}

export interface ProcessSnapshot {
  workflowId: string;
  /** The process's full state (its query result); the queryable columns are taken from it. */
  state: ProcessStateBase;
  completed: boolean;
  /** Monotonic per process: an older snapshot (a late retry) never overwrites a newer one. */
  stateVersion: number;
  events: ProcessEvent[];
  decisions: DecisionRecord[];
  notices: Notice[];
}

const DO_NOTHING = Prisma.sql`ON CONFLICT DO NOTHING`;

/**
 * The statements of a snapshot's write but its notifications': the process row, written only when the snapshot is
 * newer than the row (a late retry of an older write changes nothing), then its decisions and audit entries, each
 * skipped when present already (a retry). No statement reads first.
 */
function snapshotStatements(s: ProcessSnapshot, runId: string | null): Prisma.Sql[] {
  const { state } = s;
  const now = new Date();
  const processRow = {
    workflowId: s.workflowId,
    kind: state.kind,
    businessKey: state.businessKey,
    title: state.title,
    requester: state.requester,
    stage: state.stage,
    outcome: state.outcome,
    policyVersion: state.policyVersion,
    pendingRoles: state.pendingRoles,
    pendingActors: state.pendingActors ?? [],
    // Snapshots recorded before open seats were derived: every pending role but the requester's is open.
    openRoles: state.openRoles ?? state.pendingRoles.filter((r) => r !== 'requester'),
    seatedActors: state.seatedActors ?? [],
    riskTier: state.riskTier ?? null,
    slaDueAt: state.slaDueAt ? new Date(state.slaDueAt) : null,
    state,
    stateVersion: s.stateVersion,
    createdAt: now,
    updatedAt: now,
    completedAt: s.completed ? now : null,
  };
  const statements = [
    insertRows('Process', [processRow], { pendingRoles: 'text[]', pendingActors: 'text[]', openRoles: 'text[]', seatedActors: 'text[]', state: 'jsonb' },
      updateWhere('workflowId', Object.keys(processRow), ['createdAt'], '"Process"."stateVersion" < EXCLUDED."stateVersion"')),
  ];
  if (s.decisions.length) {
    const rows = s.decisions.map((d) => ({
      id: randomUUID(),
      workflowId: s.workflowId,
      eventKey: d.eventKey,
      round: d.round,
      actor: d.actor,
      actorKind: d.actorKind,
      role: d.role,
      verdict: d.verdict,
      criteria: d.criteria,
      conditions: d.conditions ?? [],
      justification: d.justification,
      evidence: d.evidence ?? [],
      decidedAt: new Date(d.decidedAt),
      createdAt: now,
    }));
    statements.push(insertRows('Decision', rows, { criteria: 'jsonb', conditions: 'text[]', evidence: 'text[]' }, DO_NOTHING));
  }
  if (s.events.length) {
    const entries = auditRows(
      s.events.map((e) => ({
        eventKey: `${s.workflowId}#${e.seq}`,
        workflowId: s.workflowId,
        runId,
        actor: e.actor,
        actorKind: e.actorKind,
        role: e.role ?? null,
        action: e.action,
        details: e.details,
        policyVersion: state.policyVersion,
        identity: e.identity,
        occurredAt: new Date(e.at),
      })),
    );
    statements.push(insertRows('AuditEntry', entries, { details: 'jsonb' }, DO_NOTHING));
  }
  return statements;
}

/** What a write left to do: deliveries waiting to be sent (none: the process need not send any). */
export interface RecordResult {
  deliveries: number;
}

/**
 * Writes a process's projection, its decisions, notifications and audit entries in one transaction.
 * Idempotent: every row is keyed by workflow and event, so a retried activity writes nothing twice.
 */
export async function recordProcessSnapshot(db: Db, s: ProcessSnapshot, runId: string | null = null, outbox: OutboxChannels = { webhook: false, email: false }): Promise<RecordResult> {
  const write = asOneStatement(snapshotStatements(s, runId));
  // Most writes have no notification: one statement, atomic by itself.
  if (s.notices.length === 0) {
    await db.$executeRaw(write);
    return { deliveries: 0 };
  }
  return db.$transaction(async (tx) => {
    await tx.$executeRaw(write);
    // Only the rows this write created get deliveries: a retried write enqueues nothing twice.
    const created = await tx.notification.createManyAndReturn({
      skipDuplicates: true,
      data: s.notices.map((n) => ({
        workflowId: s.workflowId,
        eventKey: String(n.seq),
        kind: n.kind,
        recipients: n.recipients,
        message: n.message,
        payload: { title: s.state.title, stage: s.state.stage, kind: s.state.kind },
      })),
    });
    return { deliveries: await enqueueDeliveries(tx, created, s.stateVersion, outbox) };
  });
}
