import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DAY_MS } from '../domain/engines/calendar.js';
import type { Db } from '../platform/database.js';
import type { CtoEngagementState } from '../workflows/cto-engagement/contract.js';
import { createReportingSchedules, deleteReportingSchedules, type ReportingSchedulesRequest } from './schedules.js';

/** Processes that count as reviews awaiting a decision. */
export const REVIEW_KINDS = ['architecture_review', 'ethical_review', 'committee_approval'];
/** Each list in a report is capped; the summary counts are exact. */
const LIST_LIMIT = 100;

export interface CompileReportRequest {
  scheduleId: string;
  kind: string;
  scope: string;
  periodStart: string;
  periodEnd: string;
}

/** One report per schedule and period: a retried or repeated run finds the same ID. */
export function reportIdFor(scheduleId: string, periodEnd: string): string {
  return `rpt_${createHash('sha256').update(`${scheduleId}|${new Date(periodEnd).toISOString()}`).digest('hex').slice(0, 32)}`;
}

export interface ReportContent {
  kind: string;
  scope: string;
  period: { start: string; end: string };
  summary: { openReviews: number; decisions: number; closedProcesses: number; overdue: number };
  engagement: {
    workflowId: string;
    title: string;
    clientOrg: string;
    engagementType: string;
    stage: string;
    outcome: string | null;
    termEndsAt: string | null;
    daysRemaining: number | null;
    deliverables: { total: number; delivered: number; pending: string[]; deliveredInPeriod: string[] };
    termChanges: number;
  } | null;
  openReviews: { workflowId: string; kind: string; title: string; stage: string; pendingRoles: string[]; slaDueAt: string | null }[];
  /** Each decision with what it was about (its process's title). */
  decisions: { workflowId: string; subject: string; role: string; verdict: string; actor: string; decidedAt: string }[];
  closedProcesses: { workflowId: string; kind: string; title: string; outcome: string | null; completedAt: string }[];
  overdue: { workflowId: string; kind: string; title: string; stage: string; pendingRoles: string[]; slaDueAt: string; daysOverdue: number }[];
}

/** The reporting activities, merged into createActivities (activities/index.ts). */
export function reportingActivities(deps: { db: Db; temporal?: Client }) {
  return {
    async createReportingSchedules(req: ReportingSchedulesRequest) {
      return createReportingSchedules(deps.temporal, req);
    },
    async deleteReportingSchedules(req: { scheduleIds: string[] }) {
      return deleteReportingSchedules(deps.temporal, req);
    },
    async compileReport(req: CompileReportRequest): Promise<{ id: string; created: boolean }> {
      return compileAndStoreReport(deps.db, req);
    },
  };
}

/**
 * Builds a cadence's report from the database (open reviews, decisions and closed processes in the period, the
 * engagement's progress, open processes past their SLA) and stores it. Idempotent: the first stored version of a
 * period is kept, so a retried activity never writes twice.
 */
export async function compileAndStoreReport(db: Db, req: CompileReportRequest): Promise<{ id: string; created: boolean }> {
  const id = reportIdFor(req.scheduleId, req.periodEnd);
  const existing = await db.report.findUnique({ where: { id }, select: { id: true } });
  if (existing) return { id, created: false };
  const content = await compileReport(db, req);
  await db.report.upsert({
    where: { id },
    create: { id, kind: req.kind, scope: req.scope, periodStart: new Date(req.periodStart), periodEnd: new Date(req.periodEnd), content: content as unknown as object },
    update: {},
  });
  return { id, created: true };
}

/**
 * The processes a report is about: the engagement itself and the processes it started (reviews and evaluations a
 * roadmap launched, their committee items, its retrospectives), never the rest of the organisation's.
 */
export function engagementScope(workflowId: string, state: Record<string, unknown> | null): string[] {
  const ids = new Set([workflowId]);
  for (const c of (state?.children as { workflowId: string }[] | undefined) ?? []) ids.add(c.workflowId);
  for (const key of ['retrospectiveWorkflowId', 'committeeWorkflowId'] as const) {
    if (typeof state?.[key] === 'string') ids.add(state[key]);
  }
  return [...ids];
}

/** Children's own committee items are keyed `<kind>.<key>` (workflows/committee-approval/contract.ts). */
const committeeItemsOf = (ids: string[]) => ids.map((id) => `committee-approval/${id.replace('/', '.')}`);

export async function compileReport(db: Db, req: CompileReportRequest): Promise<ReportContent> {
  const engagementRow = await db.process.findUnique({ where: { workflowId: req.scope } });
  const scoped = engagementScope(req.scope, (engagementRow?.state ?? null) as Record<string, unknown> | null);
  const inScope = { in: [...scoped, ...committeeItemsOf(scoped)] };
  // A period never starts before the engagement did.
  const start = new Date(Math.max(Date.parse(req.periodStart), engagementRow?.createdAt.getTime() ?? 0));
  const end = new Date(req.periodEnd);
  const open = { completedAt: null, outcome: null };
  const inPeriod = { gte: start, lt: end };
  const [openReviews, openReviewCount, decisions, decisionCount, closed, closedCount, overdue, overdueCount] = await Promise.all([
    db.process.findMany({ where: { ...open, workflowId: inScope, kind: { in: REVIEW_KINDS } }, orderBy: [{ slaDueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }], take: LIST_LIMIT }),
    db.process.count({ where: { ...open, workflowId: inScope, kind: { in: REVIEW_KINDS } } }),
    db.decision.findMany({ where: { workflowId: inScope, decidedAt: inPeriod }, orderBy: { decidedAt: 'asc' }, take: LIST_LIMIT, include: { process: { select: { title: true } } } }),
    db.decision.count({ where: { workflowId: inScope, decidedAt: inPeriod } }),
    db.process.findMany({ where: { workflowId: inScope, completedAt: inPeriod }, orderBy: { completedAt: 'asc' }, take: LIST_LIMIT }),
    db.process.count({ where: { workflowId: inScope, completedAt: inPeriod } }),
    db.process.findMany({ where: { ...open, workflowId: inScope, slaDueAt: { lt: end } }, orderBy: { slaDueAt: 'asc' }, take: LIST_LIMIT }),
    db.process.count({ where: { ...open, workflowId: inScope, slaDueAt: { lt: end } } }),
  ]);

  return {
    kind: req.kind,
    scope: req.scope,
    period: { start: start.toISOString(), end: end.toISOString() },
    summary: { openReviews: openReviewCount, decisions: decisionCount, closedProcesses: closedCount, overdue: overdueCount },
    engagement: engagementRow?.kind === 'cto_engagement' ? engagementProgress(engagementRow.state as unknown as CtoEngagementState, start, end) : null,
    openReviews: openReviews.map((p) => ({ workflowId: p.workflowId, kind: p.kind, title: p.title, stage: p.stage, pendingRoles: p.pendingRoles, slaDueAt: p.slaDueAt?.toISOString() ?? null })),
    decisions: decisions.map((d) => ({ workflowId: d.workflowId, subject: d.process.title, role: d.role, verdict: d.verdict, actor: d.actor, decidedAt: d.decidedAt.toISOString() })),
    closedProcesses: closed.map((p) => ({ workflowId: p.workflowId, kind: p.kind, title: p.title, outcome: p.outcome, completedAt: p.completedAt!.toISOString() })),
    overdue: overdue.map((p) => ({
      workflowId: p.workflowId,
      kind: p.kind,
      title: p.title,
      stage: p.stage,
      pendingRoles: p.pendingRoles,
      slaDueAt: p.slaDueAt!.toISOString(),
      daysOverdue: Math.floor((end.getTime() - p.slaDueAt!.getTime()) / DAY_MS),
    })),
  };
}

function engagementProgress(s: CtoEngagementState, start: Date, end: Date): ReportContent['engagement'] {
  const delivered = s.deliverables.filter((d) => d.status === 'delivered');
  const inPeriod = (at: string) => at >= start.toISOString() && at < end.toISOString();
  return {
    workflowId: s.workflowId,
    title: s.title,
    clientOrg: s.clientOrg,
    engagementType: s.engagementType,
    stage: s.stage,
    outcome: s.outcome,
    termEndsAt: s.termEndsAt,
    daysRemaining: s.termEndsAt ? Math.max(0, Math.ceil((Date.parse(s.termEndsAt) - end.getTime()) / DAY_MS)) : null,
    deliverables: {
      total: s.deliverables.length,
      delivered: delivered.length,
      pending: s.deliverables.filter((d) => d.status === 'pending').map((d) => d.key),
      deliveredInPeriod: s.deliverables.filter((d) => d.deliveries.some((x) => inPeriod(x.at))).map((d) => d.key),
    },
    termChanges: s.termChanges.length,
  };
}
