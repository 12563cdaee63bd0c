import { deliverPendingNotifications } from '../activities/notifications.js';
import { catalogueVersionAsOf } from '../domain/engines/eu-ai-act-calendar.js';
import { policyImpact, type ImpactReport, type RecordedEvaluation, type RecordedProcess } from '../domain/policy/impact.js';
import type { PolicySet } from '../domain/policy/types.js';
import type { Db } from '../platform/database.js';
import type { Logger } from '../platform/logger.js';
import type { PolicyRegistry } from './policy-registry.js';

/** Changes to an obligation's date or scope: what the owners of an affected system are told about. */
const NOTIFIED = new Set(['obligation_date', 'obligation_added', 'obligation_removed']);

/** The impact of `draft` on everything recorded: every evaluation and process, each process under the version it pinned. */
export async function impactOnRecord(db: Db, policies: PolicyRegistry, draft: PolicySet, asOf: string): Promise<ImpactReport> {
  const [evaluations, processes] = await Promise.all([
    db.evaluation.findMany({ orderBy: { createdAt: 'asc' } }) as Promise<RecordedEvaluation[]>,
    db.process.findMany({
      select: { workflowId: true, kind: true, title: true, requester: true, policyVersion: true, outcome: true, slaDueAt: true, state: true },
      orderBy: { createdAt: 'asc' },
    }) as Promise<RecordedProcess[]>,
  ]);
  const pinned = new Map<string, PolicySet>();
  for (const id of new Set(processes.map((p) => p.policyVersion))) {
    const set = await policies.get(id);
    if (set) pinned.set(id, set);
  }
  return policyImpact(draft, { evaluations, processes }, (id) => pinned.get(id), asOf);
}

/**
 * Tells the owners of every recorded system (and the requester of its process) whose obligations the current policy
 * set dates or scopes differently from its recorded assessment: a recorded notification on that process, delivered
 * like any other. Keyed by policy version and the EU AI Act catalogue version in force, so each change is told once
 * however often, and by however many API processes, this runs.
 */
export async function notifyObligationChanges(db: Db, policies: PolicyRegistry, webhookUrl: string | undefined, today: string, log: Logger): Promise<number> {
  const current = policies.current;
  const report = await impactOnRecord(db, policies, current, today);
  const affected = report.evaluations.map((e) => ({ ...e, changes: e.changes.filter((c) => NOTIFIED.has(c.kind)) })).filter((e) => e.changes.length > 0);
  if (affected.length === 0) return 0;
  const processes = await db.process.findMany({ where: { workflowId: { in: affected.map((e) => e.workflowId) } }, select: { workflowId: true, requester: true } });
  const requester = new Map(processes.map((p) => [p.workflowId, p.requester]));
  const catalogue = catalogueVersionAsOf(current.catalogues.euAiAct, today).version;
  const notices = affected
    .filter((e) => requester.has(e.workflowId))
    .map((e) => ({
      workflowId: e.workflowId,
      eventKey: `policy:${current.version.id}:eu-ai-act:${catalogue}`,
      kind: 'info',
      recipients: [...new Set([...e.owners, requester.get(e.workflowId)!])],
      message: `"${e.title}": the EU AI Act obligations changed under policy ${current.version.id}: ${e.changes.map((c) => c.detail).join('; ')}`,
      payload: { policyVersion: current.version.id, catalogueVersion: catalogue, changes: e.changes } as object,
    }));
  const { count } = await db.notification.createMany({ data: notices, skipDuplicates: true });
  for (const n of notices) {
    // A failing webhook leaves the row undelivered with its error, as for any notification; start-up goes on.
    await deliverPendingNotifications(db, n.workflowId, webhookUrl).catch((err: unknown) => log.warn({ err, workflowId: n.workflowId }, 'policy change notification not delivered'));
  }
  return count;
}
