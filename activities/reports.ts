import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DAY_MS } from '../domain/engines/calendar.js';
import type { Db } from '../platform/database.js';
import { composeReport, type EngagementFact, type ReportFacts, type ReportSections, type ReportTemplate, type RiskItem, type StakeholderCommunication, type StatusRating } from '../domain/reports/content.js';
import type { CtoServiceModelPolicy } from '../domain/policy/types.js';
import type { CtoEngagementState } from '../workflows/cto-engagement/contract.js';
import type { RoadmapEngagementState } from '../workflows/roadmap-engagement/contract.js';
import { createReportingSchedules, deleteSchedules, type ReportingSchedulesRequest } from './schedules.js';

/** Processes that count as reviews awaiting a decision. */
export const REVIEW_KINDS = ['architecture_review', 'ethical_review', 'committee_approval'];
/** Each list in a report is capped; the summary counts are exact. */
const LIST_LIMIT = 100;

export interface CompileReportRequest {
  scheduleId: string;
  /** The policy's reporting key (board_reporting, …), or closing_report. */
  kind: string;
  scope: string;
  periodStart: string;
  periodEnd: string;
  /** What the report holds; by default the template the engagement's pinned policy names for `kind`. */
  template?: ReportTemplate;
  /** For a closing report: how the engagement ended (its record may not say so yet). */
  closing?: { outcome: string; reason: string };
}

/** One report per schedule and period: a retried or repeated run finds the same ID. */
export function reportIdFor(scheduleId: string, periodEnd: string): string {
  return `rpt_${createHash('sha256').update(`${scheduleId}|${new Date(periodEnd).toISOString()}`).digest('hex').slice(0, 32)}`;
}

export interface ReportContent {
  kind: string;
  scope: string;
  /** The engagement's title. */
  title: string | null;
  period: { start: string; end: string };
  /** Absent in reports stored before templates. */
  status?: StatusRating;
  sections?: ReportSections;
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
    // The name running engagements call; other processes call deleteSchedules.
    async deleteReportingSchedules(req: { scheduleIds: string[] }) {
      return deleteSchedules(deps.temporal, req);
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
  const [openReviews, openReviewCount, decisions, decisionCount, closed, closedCount, overdue, overdueCount, processes] = await Promise.all([
    db.process.findMany({ where: { ...open, workflowId: inScope, kind: { in: REVIEW_KINDS } }, orderBy: [{ slaDueAt: { sort: 'asc', nulls: 'last' } }, { createdAt: 'asc' }], take: LIST_LIMIT }),
    db.process.count({ where: { ...open, workflowId: inScope, kind: { in: REVIEW_KINDS } } }),
    db.decision.findMany({ where: { workflowId: inScope, decidedAt: inPeriod }, orderBy: { decidedAt: 'asc' }, take: LIST_LIMIT, include: { process: { select: { title: true, kind: true } } } }),
    db.decision.count({ where: { workflowId: inScope, decidedAt: inPeriod } }),
    db.process.findMany({ where: { workflowId: inScope, completedAt: inPeriod }, orderBy: { completedAt: 'asc' }, take: LIST_LIMIT }),
    db.process.count({ where: { workflowId: inScope, completedAt: inPeriod } }),
    db.process.findMany({ where: { ...open, workflowId: inScope, slaDueAt: { lt: end } }, orderBy: { slaDueAt: 'asc' }, take: LIST_LIMIT }),
    db.process.count({ where: { ...open, workflowId: inScope, slaDueAt: { lt: end } } }),
    db.process.findMany({ where: { workflowId: { ...inScope, not: req.scope } }, orderBy: { createdAt: 'asc' }, take: LIST_LIMIT * 5 }),
  ]);

  const facts: ReportFacts = {
    period: { start: start.toISOString(), end: end.toISOString() },
    // The next report covers as long a period again: what falls due before its end is "due soon".
    nextPeriodEnd: new Date(end.getTime() + Math.max(end.getTime() - Date.parse(req.periodStart), DAY_MS)).toISOString(),
    engagement: engagementRow ? engagementFact(engagementRow, req.closing) : null,
    processes: processes.map((p) => ({
      workflowId: p.workflowId,
      kind: p.kind,
      title: p.title,
      stage: p.stage,
      outcome: p.outcome,
      pendingRoles: p.pendingRoles,
      slaDueAt: p.slaDueAt?.toISOString() ?? null,
      riskTier: p.riskTier,
      createdAt: p.createdAt.toISOString(),
      completedAt: p.completedAt?.toISOString() ?? null,
      conditions: stringsAt(p.state, 'conditions'),
    })),
    decisions: decisions.map((d) => ({
      workflowId: d.workflowId,
      subject: d.process.title,
      kind: d.process.kind,
      role: d.role,
      verdict: d.verdict,
      actor: d.actor,
      justification: d.justification,
      conditions: d.conditions,
      decidedAt: d.decidedAt.toISOString(),
    })),
  };
  const template = req.template ?? (await templateFor(db, engagementRow?.policyVersion ?? null, req.kind));
  const composed = template === 'stakeholder_communication' ? null : composeReport(template, facts, await previousRisks(db, req, start));

  return {
    kind: req.kind,
    scope: req.scope,
    title: engagementRow?.title ?? null,
    period: facts.period,
    ...(composed ?? {}),
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

/** A stakeholder communication (the policy's `as_needed` cadence): the lead's message, stored with the status as of now. */
export async function storeCommunication(db: Db, req: { scope: string; kind: string; subject: string; message: string; audience: string[]; from: string; at: Date }): Promise<{ id: string }> {
  const engagement = await db.process.findUniqueOrThrow({ where: { workflowId: req.scope }, select: { createdAt: true } });
  const periodStart = engagement.createdAt.toISOString();
  const periodEnd = req.at.toISOString();
  const content = await compileReport(db, { scheduleId: `communication:${req.scope}`, kind: req.kind, scope: req.scope, periodStart, periodEnd, template: 'board_report' });
  const sections: StakeholderCommunication = { template: 'stakeholder_communication', subject: req.subject, message: req.message, audience: req.audience, from: req.from };
  const id = reportIdFor(`communication:${req.scope}:${randomUUID()}`, periodEnd);
  await db.report.create({ data: { id, kind: req.kind, scope: req.scope, periodStart: new Date(periodStart), periodEnd: req.at, content: { ...content, sections } as unknown as object } });
  return { id };
}

const stringsAt = (state: unknown, key: string): string[] => {
  const v = (state as Record<string, unknown> | null)?.[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

/** The template the engagement's pinned policy names for a reporting key (older policies name none). */
async function templateFor(db: Db, policyVersion: string | null, kind: string): Promise<Exclude<ReportTemplate, 'stakeholder_communication'>> {
  const snapshot = policyVersion ? await db.policySnapshot.findUnique({ where: { id: policyVersion }, select: { content: true } }) : null;
  const reporting = (snapshot?.content as { ctoServiceModel?: CtoServiceModelPolicy } | null)?.ctoServiceModel?.reporting ?? [];
  const named = reporting.find((r) => r.key === kind)?.report;
  return named && named !== 'stakeholder_communication' ? named : 'executive_update';
}

/** The risks the previous report of the same cadence listed, for the trend. */
async function previousRisks(db: Db, req: CompileReportRequest, start: Date): Promise<RiskItem[]> {
  const last = await db.report.findFirst({ where: { scope: req.scope, kind: req.kind, periodEnd: { lte: start } }, orderBy: { periodEnd: 'desc' }, select: { content: true } });
  const sections = (last?.content as { sections?: ReportSections } | null)?.sections;
  if (!sections) return [];
  return sections.template === 'board_report' ? sections.risks : sections.template === 'technical_review' ? sections.technicalRisks : [];
}

/** The engagement as a report sees it: its people, end date, deliverables with their due dates, phases that overran. */
function engagementFact(row: { workflowId: string; kind: string; title: string; stage: string; outcome: string | null; createdAt: Date; state: unknown }, closing?: { outcome: string; reason: string }): EngagementFact {
  const base = { workflowId: row.workflowId, kind: row.kind, title: row.title, stage: row.stage, outcome: closing?.outcome ?? row.outcome, closeReason: closing?.reason ?? null, startedAt: row.createdAt.toISOString() };
  if (row.kind === 'cto_engagement') {
    const s = row.state as CtoEngagementState;
    return {
      ...base,
      sponsor: s.sponsor,
      lead: s.engagementLead,
      closeReason: base.closeReason ?? s.termination?.reason ?? null,
      endsAt: s.termEndsAt,
      deliverables: (s.deliverables ?? []).map((d) => ({ key: d.key, status: d.status, done: d.status === 'delivered', dueAt: s.termEndsAt, doneAt: d.deliveries.at(-1)?.at ?? null })),
      closesOn: null,
      overrunPhases: [],
    };
  }
  if (row.kind === 'roadmap_engagement') {
    const s = row.state as RoadmapEngagementState;
    const windows = new Map((s.timeline?.phases ?? []).map((w) => [w.phase, w]));
    const signedOff = s.timeline?.phases.find((w) => w.closesOn !== null && w.status === 'in_progress');
    return {
      ...base,
      sponsor: s.sponsor,
      lead: s.engagementLead,
      endsAt: s.timeline ? (s.timeline.projectedEnd.latest ?? s.timeline.projectedEnd.earliest) : null,
      // The record's state is whatever the workflow last wrote: older runs may lack a field.
      deliverables: (s.phases ?? []).flatMap((p) =>
        p.deliverables.map((d) => ({
          key: d.key,
          phase: p.key,
          status: d.status,
          done: d.status === 'accepted',
          dueAt: p.dueAt ?? windows.get(p.key)?.end.latest ?? null,
          doneAt: d.status === 'accepted' ? (d.submissions.at(-1)?.decidedAt ?? null) : null,
        })),
      ),
      closesOn: signedOff ? { phase: signedOff.phase, on: signedOff.closesOn! } : null,
      overrunPhases: (s.phases ?? []).filter((p) => p.overdue && p.status === 'in_progress').map((p) => p.key),
    };
  }
  return { ...base, sponsor: null, lead: null, endsAt: null, deliverables: [], closesOn: null, overrunPhases: [] };
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
