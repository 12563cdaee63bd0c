import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DAY_MS } from '../domain/engines/calendar.js';
import type { Db } from '../platform/database.js';
import type { CtoEngagementState } from '../workflows/contracts/cto-engagement.js';
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
  decisions: { workflowId: string; role: string; verdict: string; actor: string; decidedAt: string }[];
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

export async function compileReport(db: Db, req: CompileReportRequest): Promise<ReportContent> {
  const start = new Date(req.periodStart);
  const end = new Date(req.periodEnd);
  const open = { completedAt: null, outcome: null };
  const inPeriod = { gte: start, lt: end };
  const [openReviews, openReviewCount, decisions, decisionCount, closed, closedCount, overdue, overdueCount, engagementRow] = await Promise.all([
    db.process.findMany({ where: { ...open, kind: { in: REVIEW_KINDS } }, orderBy: [{ slaDueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }], take: LIST_LIMIT }),
    db.process.count({ where: { ...open, kind: { in: REVIEW_KINDS } } }),
    db.decision.findMany({ where: { decidedAt: inPeriod }, orderBy: { decidedAt: 'asc' }, take: LIST_LIMIT }),
    db.decision.count({ where: { decidedAt: inPeriod } }),
    db.process.findMany({ where: { completedAt: inPeriod }, orderBy: { completedAt: 'asc' }, take: LIST_LIMIT }),
    db.process.count({ where: { completedAt: inPeriod } }),
    db.process.findMany({ where: { ...open, slaDueAt: { lt: end } }, orderBy: { slaDueAt: 'asc' }, take: LIST_LIMIT }),
    db.process.count({ where: { ...open, slaDueAt: { lt: end } } }),
    db.process.findUnique({ where: { workflowId: req.scope } }),
  ]);

  return {
    kind: req.kind,
    scope: req.scope,
    period: { start: start.toISOString(), end: end.toISOString() },
    summary: { openReviews: openReviewCount, decisions: decisionCount, closedProcesses: closedCount, overdue: overdueCount },
    engagement: engagementRow ? engagementProgress(engagementRow.state as unknown as CtoEngagementState, start, end) : null,
    openReviews: openReviews.map((p) => ({ workflowId: p.workflowId, kind: p.kind, title: p.title, stage: p.stage, pendingRoles: p.pendingRoles, slaDueAt: p.slaDueAt?.toISOString() ?? null })),
    decisions: decisions.map((d) => ({ workflowId: d.workflowId, role: d.role, verdict: d.verdict, actor: d.actor, decidedAt: d.decidedAt.toISOString() })),
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
