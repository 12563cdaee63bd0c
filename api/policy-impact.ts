import { enqueueDeliveries, type OutboxChannels } from '../activities/notifications.js';
import { catalogueVersionAsOf } from '../domain/engines/eu-ai-act-calendar.js';
import { policyImpact, type ImpactReport, type RecordedEvaluation, type RecordedProcess } from '../domain/policy/impact.js';
import type { PolicySet } from '../domain/policy/types.js';
import type { Db } from '../platform/database.js';
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
 * like any other. While a process is open, whoever it waits on is told too (an ethical review's board), and so are the
 * open processes deciding on it (the governance committee's item on that review). Keyed by policy version and the EU
 * AI Act catalogue version in force, so each change is told once however often, and by however many API processes,
 * this runs.
 */
export async function notifyObligationChanges(db: Db, policies: PolicyRegistry, outbox: OutboxChannels, today: string): Promise<number> {
  const current = policies.current;
  const report = await impactOnRecord(db, policies, current, today);
  const affected = report.evaluations.map((e) => ({ ...e, changes: e.changes.filter((c) => NOTIFIED.has(c.kind)) })).filter((e) => e.changes.length > 0);
  if (affected.length === 0) return 0;
  const ids = affected.map((e) => e.workflowId);
  const select = { workflowId: true, requester: true, outcome: true, pendingActors: true, openRoles: true, stateVersion: true } as const;
  const [own, deciding] = await Promise.all([
    db.process.findMany({ where: { workflowId: { in: ids } }, select }),
    db.process.findMany({ where: { outcome: null, OR: ids.map((id) => ({ state: { path: ['subject', 'workflowId'], equals: id } })) }, select: { ...select, state: true } }),
  ]);
  const processOf = new Map(own.map((p) => [p.workflowId, p]));
  const waitingOn = (p: { outcome: string | null; pendingActors: string[]; openRoles: string[] }) => (p.outcome === null ? [...p.pendingActors, ...p.openRoles] : []);
  const catalogue = catalogueVersionAsOf(current.catalogues.euAiAct, today).version;
  const notice = (workflowId: string, recipients: string[], message: string, changes: unknown) => ({
    workflowId,
    eventKey: `policy:${current.version.id}:eu-ai-act:${catalogue}`,
    kind: 'info',
    recipients: [...new Set(recipients)],
    message,
    payload: { policyVersion: current.version.id, catalogueVersion: catalogue, changes } as object,
  });
  const notices = affected.flatMap((e) => {
    const p = processOf.get(e.workflowId);
    if (!p) return [];
    const what = `the EU AI Act obligations changed under policy ${current.version.id}: ${e.changes.map((c) => c.detail).join('; ')}`;
    const on = deciding.filter((d) => (d.state as { subject?: { workflowId?: string } }).subject?.workflowId === e.workflowId);
    return [
      notice(e.workflowId, [...e.owners, p.requester, ...waitingOn(p)], `"${e.title}": ${what}`, e.changes),
      ...on.map((d) => notice(d.workflowId, [d.requester, ...waitingOn(d)], `"${e.title}", which this item decides on (${e.workflowId}): ${what}`, e.changes)),
    ];
  });
  const versionOf = new Map([...own, ...deciding].map((p) => [p.workflowId, p.stateVersion]));
  // The workers' dispatcher sends them, like any notification; only rows created here get deliveries.
  return db.$transaction(async (tx) => {
    const created = await tx.notification.createManyAndReturn({ data: notices, skipDuplicates: true });
    for (const n of created) await enqueueDeliveries(tx, [n], versionOf.get(n.workflowId) ?? 0, outbox);
    return created.length;
  });
}
