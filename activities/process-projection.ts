import type { Notice, ProcessEvent, ProcessStateBase } from '../workflows/contracts/common.js';
import type { Db } from '../platform/database.js';
import { appendAudit } from './audit-log.js';
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

/**
 * Writes a process's projection, its decisions, notifications and audit entries in one transaction.
 * Idempotent: every row is keyed by workflow and event, so a retried activity writes nothing twice.
 */
export async function recordProcessSnapshot(db: Db, s: ProcessSnapshot, runId: string | null = null, outbox: OutboxChannels = { webhook: false, email: false }): Promise<void> {
  const { state } = s;
  const fields = {
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
    state: state as unknown as object,
    stateVersion: s.stateVersion,
    completedAt: s.completed ? new Date() : null,
  };
  await db.$transaction(async (tx) => {
    const current = await tx.process.findUnique({ where: { workflowId: s.workflowId }, select: { stateVersion: true } });
    if (!current) {
      await tx.process.create({ data: { workflowId: s.workflowId, ...fields } });
    } else if (current.stateVersion < s.stateVersion) {
      await tx.process.update({ where: { workflowId: s.workflowId }, data: fields });
    }
    if (s.decisions.length) {
      await tx.decision.createMany({
        skipDuplicates: true,
        data: s.decisions.map((d) => ({
          workflowId: s.workflowId,
          eventKey: d.eventKey,
          round: d.round,
          actor: d.actor,
          actorKind: d.actorKind,
          role: d.role,
          verdict: d.verdict,
          criteria: (d.criteria ?? undefined) as object | undefined,
          conditions: d.conditions ?? [],
          justification: d.justification,
          evidence: d.evidence ?? [],
          decidedAt: new Date(d.decidedAt),
        })),
      });
    }
    if (s.notices.length) {
      // Only the rows this write created get deliveries: a retried write enqueues nothing twice.
      const created = await tx.notification.createManyAndReturn({
        skipDuplicates: true,
        data: s.notices.map((n) => ({
          workflowId: s.workflowId,
          eventKey: String(n.seq),
          kind: n.kind,
          recipients: n.recipients,
          message: n.message,
          payload: { title: state.title, stage: state.stage, kind: state.kind },
        })),
      });
      await enqueueDeliveries(tx, created, s.stateVersion, outbox);
    }
    await appendAudit(
      tx,
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
  });
}
