/**
 * What an engagement's report says, per template: the board report (status, decisions, risks and their trend,
 * deliverables, asks), the executive update (progress, blockers, the coming week), the technical review
 * (architecture decisions, reviews in flight, technical risks), the closing report and a stakeholder
 * communication. Pure: the facts are gathered from the record (activities/reports.ts); the policy's reporting
 * cadence names its template.
 */

export const REPORT_TEMPLATES = ['board_report', 'executive_update', 'technical_review', 'stakeholder_communication', 'closing_report'] as const;
export type ReportTemplate = (typeof REPORT_TEMPLATES)[number];

/** A process the engagement started or referred to, as the record holds it. */
export interface ProcessFact {
  workflowId: string;
  kind: string;
  title: string;
  stage: string;
  outcome: string | null;
  pendingRoles: string[];
  slaDueAt: string | null;
  riskTier: string | null;
  createdAt: string;
  completedAt: string | null;
  conditions: string[];
}

export interface DecisionFact {
  workflowId: string;
  subject: string;
  kind: string;
  role: string;
  verdict: string;
  actor: string;
  justification: string | null;
  conditions: string[];
  decidedAt: string;
}

export interface DeliverableFact {
  key: string;
  /** The roadmap phase it belongs to; absent for a CTO engagement's deliverables. */
  phase?: string;
  status: string;
  done: boolean;
  /** When it is due: the phase's due date, or the end of the term. */
  dueAt: string | null;
  doneAt: string | null;
}

export interface EngagementFact {
  workflowId: string;
  kind: string;
  title: string;
  sponsor: string | null;
  lead: string | null;
  stage: string;
  outcome: string | null;
  closeReason: string | null;
  startedAt: string;
  /** The term's end (CTO) or the projected end (roadmap); null when open-ended. */
  endsAt: string | null;
  deliverables: DeliverableFact[];
  /** Roadmap: a signed-off phase that closes on a date (the sponsor may close it early where the policy allows). */
  closesOn: { phase: string; on: string } | null;
  /** Roadmap phases past their due date. */
  overrunPhases: string[];
}

export interface ReportFacts {
  period: { start: string; end: string };
  /** The end of the next period: what falls before it is "due soon". */
  nextPeriodEnd: string;
  engagement: EngagementFact | null;
  processes: ProcessFact[];
  decisions: DecisionFact[];
}

export type Rating = 'green' | 'amber' | 'red';
export interface StatusRating {
  rating: Rating;
  reasons: string[];
}
export type RiskLevel = 'high' | 'medium' | 'low';
export interface RiskItem {
  /** Stable across reports, so the next report can tell the trend. */
  id: string;
  subject: string;
  workflowId: string;
  level: RiskLevel;
  cause: string;
  trend: 'new' | 'rising' | 'unchanged' | 'falling';
}
export interface OpenItem {
  what: string;
  workflowId: string;
  when: string | null;
}

export interface BoardReport {
  template: 'board_report';
  decisions: DecisionFact[];
  risks: RiskItem[];
  /** Risks of the previous report that are gone. */
  closedRisks: RiskItem[];
  deliverablesDue: DeliverableFact[];
  deliverablesLate: DeliverableFact[];
  asks: OpenItem[];
}
export interface ExecutiveUpdate {
  template: 'executive_update';
  progress: string[];
  blockers: OpenItem[];
  nextPeriod: OpenItem[];
}
export interface TechnicalReview {
  template: 'technical_review';
  architectureDecisions: { workflowId: string; subject: string; kind: string; outcome: string | null; conditions: string[]; decidedAt: string | null }[];
  inFlight: OpenItem[];
  technicalRisks: RiskItem[];
}
export interface ClosingReport {
  template: 'closing_report';
  outcome: string | null;
  reason: string | null;
  decisions: DecisionFact[];
  delivered: DeliverableFact[];
  outstanding: DeliverableFact[];
  handedOver: OpenItem[];
  risksAtClose: RiskItem[];
}
export interface StakeholderCommunication {
  template: 'stakeholder_communication';
  subject: string;
  message: string;
  audience: string[];
  from: string;
}
export type ReportSections = BoardReport | ExecutiveUpdate | TechnicalReview | ClosingReport | StakeholderCommunication;

const REVIEW_KINDS = new Set(['architecture_review', 'ethical_review', 'committee_approval']);
const TECHNICAL_KINDS = new Set(['architecture_review', 'ethical_review', 'technology_proposal_evaluation', 'technical_decision_evaluation', 'ai_compliance_evaluation', 'poc_scale_up']);
const ADVERSE = new Set(['reject', 'request_changes', 'changes_requested', 'rejected']);
const TIER_LEVEL: Record<string, RiskLevel> = { prohibited: 'high', high_risk: 'high', high: 'high', transparency: 'medium', medium: 'medium', minimal: 'low', low: 'low' };
const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

const open = (p: ProcessFact) => p.completedAt === null && p.outcome === null;
const human = (key: string) => key.replace(/_/g, ' ');
const day = (iso: string) => iso.slice(0, 10);

/** Risks as of the period's end: open high-tier systems, overdue or adverse reviews, overrunning phases, a term ending with work outstanding. */
export function risksOf(facts: ReportFacts, previous: RiskItem[] = []): { risks: RiskItem[]; closed: RiskItem[] } {
  const end = facts.period.end;
  const found: Omit<RiskItem, 'trend'>[] = [];
  for (const p of facts.processes.filter(open)) {
    const level = p.riskTier ? TIER_LEVEL[p.riskTier] : undefined;
    if (level && level !== 'low') found.push({ id: `tier:${p.workflowId}`, subject: p.title, workflowId: p.workflowId, level, cause: `${human(p.riskTier!)} (${human(p.kind)})` });
    if (p.slaDueAt && p.slaDueAt < end) found.push({ id: `overdue:${p.workflowId}`, subject: p.title, workflowId: p.workflowId, level: 'high', cause: `past its deadline of ${day(p.slaDueAt)}, waiting on ${p.pendingRoles.map(human).join(', ') || 'nobody named'}` });
  }
  const adverse = new Map<string, DecisionFact>();
  for (const d of facts.decisions) if (ADVERSE.has(d.verdict)) adverse.set(d.workflowId, d);
  for (const d of adverse.values()) {
    const still = facts.processes.find((p) => p.workflowId === d.workflowId);
    if (still && !open(still)) continue;
    found.push({ id: `adverse:${d.workflowId}`, subject: d.subject, workflowId: d.workflowId, level: 'medium', cause: `${human(d.verdict)} by ${human(d.role)}${d.justification ? `: ${d.justification}` : ''}` });
  }
  const e = facts.engagement;
  if (e && e.outcome === null) {
    for (const phase of e.overrunPhases) found.push({ id: `overrun:${e.workflowId}:${phase}`, subject: `${e.title}: ${human(phase)}`, workflowId: e.workflowId, level: 'high', cause: 'the phase is past its due date' });
    const outstanding = e.deliverables.filter((d) => !d.done);
    if (e.endsAt && e.endsAt < facts.nextPeriodEnd && outstanding.length > 0) {
      found.push({ id: `term:${e.workflowId}`, subject: e.title, workflowId: e.workflowId, level: 'medium', cause: `ends on ${day(e.endsAt)} with ${outstanding.length} deliverable(s) outstanding` });
    }
  }
  const before = new Map(previous.map((r) => [r.id, r]));
  const risks = found
    .map((r): RiskItem => {
      const was = before.get(r.id);
      const trend = !was ? 'new' : RANK[r.level] > RANK[was.level] ? 'rising' : RANK[r.level] < RANK[was.level] ? 'falling' : 'unchanged';
      return { ...r, trend };
    })
    .sort((a, b) => RANK[b.level] - RANK[a.level] || a.subject.localeCompare(b.subject));
  const now = new Set(risks.map((r) => r.id));
  return { risks, closed: previous.filter((r) => !now.has(r.id)) };
}

function late(facts: ReportFacts): DeliverableFact[] {
  return (facts.engagement?.deliverables ?? []).filter((d) => !d.done && d.dueAt !== null && d.dueAt < facts.period.end);
}
function dueSoon(facts: ReportFacts): DeliverableFact[] {
  return (facts.engagement?.deliverables ?? []).filter((d) => !d.done && d.dueAt !== null && d.dueAt >= facts.period.end && d.dueAt < facts.nextPeriodEnd);
}
const inFlight = (facts: ReportFacts, kinds: Set<string>): OpenItem[] =>
  facts.processes
    .filter((p) => open(p) && kinds.has(p.kind))
    .map((p) => ({ what: `${p.title} (${human(p.kind)}, ${human(p.stage)}${p.pendingRoles.length ? `, waiting on ${p.pendingRoles.map(human).join(', ')}` : ''})`, workflowId: p.workflowId, when: p.slaDueAt }));

/** Red: something is late or a high risk is open; amber: something falls due before the next report, or a review went against; green otherwise. */
export function statusOf(facts: ReportFacts, risks: RiskItem[]): StatusRating {
  const red: string[] = [];
  const amber: string[] = [];
  const lateOnes = late(facts);
  if (lateOnes.length) red.push(`${lateOnes.length} deliverable(s) late: ${lateOnes.map((d) => human(d.key)).join(', ')}`);
  const overdue = facts.processes.filter((p) => open(p) && p.slaDueAt !== null && p.slaDueAt < facts.period.end);
  if (overdue.length) red.push(`${overdue.length} item(s) past their deadline: ${overdue.map((p) => p.title).join('; ')}`);
  const high = risks.filter((r) => r.level === 'high' && !r.id.startsWith('overdue:'));
  if (high.length) red.push(`${high.length} high risk(s) open: ${high.map((r) => `${r.subject} (${r.cause})`).join('; ')}`);
  const soon = dueSoon(facts);
  if (soon.length) amber.push(`${soon.length} deliverable(s) due before the next report: ${soon.map((d) => human(d.key)).join(', ')}`);
  const dueProcesses = facts.processes.filter((p) => open(p) && p.slaDueAt !== null && p.slaDueAt >= facts.period.end && p.slaDueAt < facts.nextPeriodEnd);
  if (dueProcesses.length) amber.push(`${dueProcesses.length} item(s) due before the next report`);
  const adverse = facts.decisions.filter((d) => ADVERSE.has(d.verdict));
  if (adverse.length) amber.push(`${adverse.length} decision(s) went against in the period: ${[...new Set(adverse.map((d) => d.subject))].join('; ')}`);
  const medium = risks.filter((r) => r.level === 'medium');
  if (medium.length) amber.push(`${medium.length} medium risk(s) open`);
  if (red.length) return { rating: 'red', reasons: red };
  if (amber.length) return { rating: 'amber', reasons: amber };
  return { rating: 'green', reasons: ['nothing is late, nothing falls due before the next report, and no high or medium risk is open'] };
}

function asksOf(facts: ReportFacts): OpenItem[] {
  const asks: OpenItem[] = facts.processes
    .filter((p) => open(p) && p.kind === 'committee_approval')
    .map((p) => ({ what: `decide "${p.title}"${p.pendingRoles.length ? ` (${p.pendingRoles.map(human).join(', ')})` : ''}`, workflowId: p.workflowId, when: p.slaDueAt }));
  const e = facts.engagement;
  if (e?.closesOn) asks.push({ what: `${human(e.closesOn.phase)} is signed off and closes on ${day(e.closesOn.on)}; the sponsor may close it early`, workflowId: e.workflowId, when: e.closesOn.on });
  if (e && e.outcome === null && e.endsAt && e.endsAt < facts.nextPeriodEnd && e.kind === 'cto_engagement') asks.push({ what: `renew or let "${e.title}" end on ${day(e.endsAt)}`, workflowId: e.workflowId, when: e.endsAt });
  return asks;
}

export interface Composed {
  status: StatusRating;
  sections: ReportSections;
}

/** The sections of `template`, from the facts; `previousRisks` are the last report's of the same cadence. */
export function composeReport(template: Exclude<ReportTemplate, 'stakeholder_communication'>, facts: ReportFacts, previousRisks: RiskItem[] = []): Composed {
  const { risks, closed } = risksOf(facts, previousRisks);
  const status = statusOf(facts, risks);
  const e = facts.engagement;
  switch (template) {
    case 'board_report':
      return { status, sections: { template, decisions: facts.decisions, risks, closedRisks: closed, deliverablesDue: dueSoon(facts), deliverablesLate: late(facts), asks: asksOf(facts) } };
    case 'executive_update': {
      const delivered = (e?.deliverables ?? []).filter((d) => d.done && d.doneAt !== null && d.doneAt >= facts.period.start && d.doneAt < facts.period.end);
      const closedInPeriod = facts.processes.filter((p) => p.completedAt !== null && p.completedAt >= facts.period.start && p.completedAt < facts.period.end);
      const progress = [
        ...delivered.map((d) => `${human(d.key)} delivered${d.phase ? ` (${human(d.phase)})` : ''}`),
        ...closedInPeriod.map((p) => `${p.title}: ${human(p.outcome ?? 'closed')}`),
        ...(facts.decisions.length ? [`${facts.decisions.length} decision(s) recorded`] : []),
      ];
      const blockers: OpenItem[] = [
        ...facts.processes.filter((p) => open(p) && p.slaDueAt !== null && p.slaDueAt < facts.period.end).map((p) => ({ what: `${p.title} is past its deadline, waiting on ${p.pendingRoles.map(human).join(', ') || 'nobody named'}`, workflowId: p.workflowId, when: p.slaDueAt })),
        ...late(facts).map((d) => ({ what: `${human(d.key)} is late`, workflowId: e!.workflowId, when: d.dueAt })),
        ...facts.processes.filter((p) => open(p) && p.stage === 'changes_requested').map((p) => ({ what: `${p.title}: changes requested`, workflowId: p.workflowId, when: null })),
      ];
      const nextPeriod: OpenItem[] = [
        ...dueSoon(facts).map((d) => ({ what: `${human(d.key)} due`, workflowId: e!.workflowId, when: d.dueAt })),
        ...facts.processes.filter((p) => open(p) && p.slaDueAt !== null && p.slaDueAt >= facts.period.end && p.slaDueAt < facts.nextPeriodEnd).map((p) => ({ what: `${p.title} due`, workflowId: p.workflowId, when: p.slaDueAt })),
        ...(e?.closesOn && e.closesOn.on < facts.nextPeriodEnd ? [{ what: `${human(e.closesOn.phase)} closes`, workflowId: e.workflowId, when: e.closesOn.on }] : []),
        ...(e && e.outcome === null && e.endsAt && e.endsAt < facts.nextPeriodEnd ? [{ what: `${e.title} ends`, workflowId: e.workflowId, when: e.endsAt }] : []),
      ].sort((a, b) => (a.when ?? '').localeCompare(b.when ?? ''));
      return { status, sections: { template, progress, blockers, nextPeriod } };
    }
    case 'technical_review': {
      const technical = facts.processes.filter((p) => TECHNICAL_KINDS.has(p.kind));
      const architectureDecisions = technical
        .filter((p) => p.completedAt !== null && p.completedAt >= facts.period.start && p.completedAt < facts.period.end)
        .map((p) => ({ workflowId: p.workflowId, subject: p.title, kind: p.kind, outcome: p.outcome, conditions: p.conditions, decidedAt: p.completedAt }));
      const technicalIds = new Set(technical.map((p) => p.workflowId));
      return { status, sections: { template, architectureDecisions, inFlight: inFlight(facts, new Set([...TECHNICAL_KINDS, ...REVIEW_KINDS])), technicalRisks: risks.filter((r) => technicalIds.has(r.workflowId)) } };
    }
    case 'closing_report':
      return {
        status,
        sections: {
          template,
          outcome: e?.outcome ?? null,
          reason: e?.closeReason ?? null,
          decisions: facts.decisions,
          delivered: (e?.deliverables ?? []).filter((d) => d.done),
          outstanding: (e?.deliverables ?? []).filter((d) => !d.done),
          handedOver: facts.processes.filter(open).map((p) => ({ what: `${p.title} (${human(p.kind)}, ${human(p.stage)})`, workflowId: p.workflowId, when: p.slaDueAt })),
          risksAtClose: risks,
        },
      };
  }
}
