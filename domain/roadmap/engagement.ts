/**
 * The roadmap engagement's data and its pure rules: what a phase's gate needs, who must act next, how the
 * engagement describes itself, and the roadmap package it leaves behind. Pure (no Temporal, no I/O): the
 * workflow, the activity that stores the package and the tests share it.
 */

import { DAY_MS } from '../engines/calendar.js';

/** Child processes are launched from the strategy phase on (the framework's phase 2), i.e. the second phase. */
export const CHILDREN_FROM_PHASE_INDEX = 1;

export type DeliverableStatus = 'missing' | 'submitted' | 'accepted' | 'sent_back';

export interface DeliverableSubmission {
  /** 1 for the first submission, +1 per resubmission. */
  version: number;
  title: string;
  documentRef: string;
  /** sha256 of the document, hex. */
  contentHash: string;
  author: string;
  submittedBy: string;
  submittedAt: string;
  decision: 'accept' | 'send_back' | null;
  note: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface DeliverableState {
  key: string;
  status: DeliverableStatus;
  /** Every submission, oldest first; the last one is current. */
  submissions: DeliverableSubmission[];
}

export interface SignOff {
  role: string;
  actor: string;
  actorKind: 'person' | 'agent';
  decision: 'approve' | 'reject';
  justification: string | null;
  round: number;
  at: string;
}

export interface PhaseState {
  key: string;
  activities: string[];
  minDays: number;
  /** null: open-ended, the phase never overruns. */
  maxDays: number | null;
  signOffRoles: string[];
  deliverables: DeliverableState[];
  status: 'pending' | 'in_progress' | 'closed';
  startedAt: string | null;
  /** startedAt + minDays: the phase cannot close before. */
  earliestCloseAt: string | null;
  /** startedAt + maxDays + extensionDays: reaching it escalates to the sponsor. */
  dueAt: string | null;
  closedAt: string | null;
  extensionDays: number;
  /** Incremented by each rejected sign-off, which clears the sign-offs of the round. */
  signOffRound: number;
  signOffs: SignOff[];
  /** Sign-offs of earlier (rejected) rounds, kept for the record. */
  signOffHistory: SignOff[];
  /** True while the phase is past its due date. */
  overdue: boolean;
  /** Each time the phase reached its due date without closing. */
  overruns: string[];
  /** The phase's retrospective (every phase but the last: the engagement's own retrospective covers that). */
  retrospectiveWorkflowId?: string;
  /** The sponsor closed the signed-off phase before its minimum duration (where the policy allows it). */
  earlyClose?: { by: string; justification: string; at: string };
}

export type RoadmapChildKind = 'architecture_review' | 'technology_proposal_evaluation' | 'strategic_initiative_evaluation';

export interface RoadmapChild {
  kind: RoadmapChildKind;
  workflowId: string;
  businessKey: string;
  title: string;
  phase: string;
  launchedBy: string;
  launchedAt: string;
  status: 'running' | 'completed' | 'failed';
  outcome: string | null;
  finishedAt: string | null;
  failure: string | null;
}

export interface PhaseGate {
  accepted: number;
  total: number;
  /** Deliverables not accepted yet. */
  openDeliverables: string[];
  /** Deliverables submitted and waiting for the engagement lead's review. */
  awaitingReview: string[];
  /** Sign-off roles that have not approved in the current round. */
  pendingSignOffRoles: string[];
  allAccepted: boolean;
  passed: boolean;
}

export function phaseGate(phase: PhaseState): PhaseGate {
  const openDeliverables = phase.deliverables.filter((d) => d.status !== 'accepted').map((d) => d.key);
  const awaitingReview = phase.deliverables.filter((d) => d.status === 'submitted').map((d) => d.key);
  const pendingSignOffRoles = phase.signOffRoles.filter((r) => !phase.signOffs.some((s) => s.role === r && s.decision === 'approve'));
  const allAccepted = openDeliverables.length === 0;
  return {
    accepted: phase.deliverables.length - openDeliverables.length,
    total: phase.deliverables.length,
    openDeliverables,
    awaitingReview,
    pendingSignOffRoles,
    allAccepted,
    passed: allAccepted && pendingSignOffRoles.length === 0,
  };
}

/**
 * Who rules on a submitted deliverable: the engagement lead, unless the lead submitted or wrote it (an author
 * never rules on their own work), then the sponsor. `selfApproval` is the policy's segregation-of-duties rule.
 */
export function deliverableReviewer(sub: Pick<DeliverableSubmission, 'submittedBy' | 'author'>, people: { lead: string; sponsor: string }, selfApproval = false): string {
  const leadIsAuthor = sub.submittedBy === people.lead || sub.author === people.lead;
  return leadIsAuthor && !selfApproval ? people.sponsor : people.lead;
}

/** Who must act for the phase to move: submitters, the lead's review, then the sign-off roles; nobody while only time is missing. */
export function pendingRolesOf(phase: PhaseState): string[] {
  const gate = phaseGate(phase);
  if (!gate.allAccepted) return ['engagement_lead'];
  return gate.pendingSignOffRoles;
}

/** A phase's window: when it started or may start, and the earliest and latest it may close (null: open-ended). */
export interface PhaseWindow {
  phase: string;
  status: PhaseState['status'];
  start: { earliest: string; latest: string | null };
  end: { earliest: string; latest: string | null };
  /** A phase whose gate has passed closes on this date (it waits for its minimum duration). */
  closesOn: string | null;
}

export interface Timeline {
  phases: PhaseWindow[];
  /** When the engagement can end at the earliest, and at the latest without an overrun (null: open-ended). */
  projectedEnd: { earliest: string; latest: string | null };
}

/**
 * Every phase's window and the engagement's projected end, as of `now`: closed phases as they happened, the current
 * one from its start, minimum and due date (or its close date once signed off), later ones one after another from
 * there by their policy durations. Recomputed on every change, so an early close, an extension or an overrun
 * moves every later date.
 */
export function projectTimeline(phases: PhaseState[], now: number): Timeline {
  const iso = (ms: number) => new Date(ms).toISOString();
  let earliest = now;
  let latest: number | null = now;
  const windows = phases.map((p): PhaseWindow => {
    if (p.status === 'closed') {
      const closed = Date.parse(p.closedAt!);
      earliest = latest = closed;
      return { phase: p.key, status: p.status, start: { earliest: p.startedAt!, latest: p.startedAt! }, end: { earliest: p.closedAt!, latest: p.closedAt! }, closesOn: null };
    }
    if (p.status === 'in_progress') {
      const started = p.startedAt!;
      const minEnd = Math.max(now, Date.parse(p.earliestCloseAt!));
      const closesOn = phaseGate(p).passed ? minEnd : null;
      earliest = closesOn ?? minEnd;
      latest = closesOn ?? (p.dueAt ? Math.max(now, Date.parse(p.dueAt)) : null);
      return { phase: p.key, status: p.status, start: { earliest: started, latest: started }, end: { earliest: iso(earliest), latest: latest === null ? null : iso(latest) }, closesOn: closesOn === null ? null : iso(closesOn) };
    }
    const start = { earliest: iso(earliest), latest: latest === null ? null : iso(latest) };
    earliest += p.minDays * DAY_MS;
    latest = latest === null || p.maxDays === null ? null : latest + (p.maxDays + p.extensionDays) * DAY_MS;
    return { phase: p.key, status: p.status, start, end: { earliest: iso(earliest), latest: latest === null ? null : iso(latest) }, closesOn: null };
  });
  return { phases: windows, projectedEnd: { earliest: iso(earliest), latest: latest === null ? null : iso(latest) } };
}

export interface EngagementSummary {
  title: string;
  outcome: string | null;
  phases: PhaseState[];
  phaseIndex: number;
  children: RoadmapChild[];
}

/** One line for the Temporal UI: the phase, what it waits on, and its dates. */
export function describeEngagement(s: EngagementSummary): string {
  const children = s.children.length ? `; children ${s.children.filter((c) => c.status !== 'running').length}/${s.children.length} finished` : '';
  if (s.outcome) return `**${s.title}** — ${s.outcome.replace(/_/g, ' ')}${children}`;
  const phase = s.phases[s.phaseIndex];
  if (!phase || phase.status !== 'in_progress') return `**${s.title}** — starting`;
  const gate = phaseGate(phase);
  const parts = [`${phase.key}: ${gate.accepted}/${gate.total} deliverables accepted`];
  if (gate.awaitingReview.length) parts.push(`${gate.awaitingReview.length} awaiting review`);
  if (gate.allAccepted) parts.push(gate.pendingSignOffRoles.length ? `sign-off pending from ${gate.pendingSignOffRoles.join(', ')}` : `signed off, closes on ${phase.earliestCloseAt?.slice(0, 10)}`);
  if (phase.earliestCloseAt) parts.push(`earliest close ${phase.earliestCloseAt.slice(0, 10)}`);
  if (phase.dueAt) parts.push(phase.overdue ? `OVERRUN since ${phase.overruns.at(-1)?.slice(0, 10)} (due ${phase.dueAt.slice(0, 10)})` : `overrun on ${phase.dueAt.slice(0, 10)}`);
  return `**${s.title}** — ${parts.join('; ')}${children}`;
}

export interface PackageDeliverable {
  phase: string;
  key: string;
  status: DeliverableStatus;
  title: string;
  documentRef: string;
  contentHash: string;
  author: string;
  version: number;
  reviewNote: string | null;
  submittedAt: string;
  decidedAt: string | null;
}

export interface PackageDecision {
  phase: string;
  kind: 'deliverable_review' | 'sign_off';
  subject: string;
  decision: string;
  actor: string;
  note: string | null;
  at: string;
}

/** What a finished engagement leaves in the database: its deliverables, decisions and child outcomes. */
export interface RoadmapPackage {
  id: string;
  workflowId: string;
  businessKey: string;
  title: string;
  sponsor: string;
  engagementLead: string;
  objectives: string[];
  policyVersion: string;
  outcome: string;
  startedAt: string;
  closedAt: string;
  phases: { key: string; status: PhaseState['status']; startedAt: string | null; closedAt: string | null; extensionDays: number; overruns: string[] }[];
  deliverables: PackageDeliverable[];
  decisions: PackageDecision[];
  children: RoadmapChild[];
}

/** Deterministic, so a retried store writes the same row. */
export function roadmapPackageId(workflowId: string): string {
  return `roadmap-package/${workflowId}`;
}

export function buildRoadmapPackage(s: {
  workflowId: string;
  businessKey: string;
  title: string;
  sponsor: string;
  engagementLead: string;
  objectives: string[];
  policyVersion: string;
  outcome: string;
  startedAt: string;
  closedAt: string;
  phases: PhaseState[];
  children: RoadmapChild[];
}): RoadmapPackage {
  const deliverables: PackageDeliverable[] = [];
  const decisions: PackageDecision[] = [];
  for (const phase of s.phases) {
    for (const d of phase.deliverables) {
      const current = d.submissions.at(-1);
      if (current) {
        deliverables.push({
          phase: phase.key,
          key: d.key,
          status: d.status,
          title: current.title,
          documentRef: current.documentRef,
          contentHash: current.contentHash,
          author: current.author,
          version: current.version,
          reviewNote: current.note,
          submittedAt: current.submittedAt,
          decidedAt: current.decidedAt,
        });
      }
      for (const sub of d.submissions) {
        if (sub.decision && sub.decidedBy && sub.decidedAt) {
          decisions.push({ phase: phase.key, kind: 'deliverable_review', subject: `${d.key} v${sub.version}`, decision: sub.decision, actor: sub.decidedBy, note: sub.note, at: sub.decidedAt });
        }
      }
    }
    for (const so of [...phase.signOffHistory, ...phase.signOffs]) {
      decisions.push({ phase: phase.key, kind: 'sign_off', subject: `${so.role} (round ${so.round})`, decision: so.decision, actor: so.actor, note: so.justification, at: so.at });
    }
  }
  decisions.sort((a, b) => a.at.localeCompare(b.at));
  return {
    id: roadmapPackageId(s.workflowId),
    workflowId: s.workflowId,
    businessKey: s.businessKey,
    title: s.title,
    sponsor: s.sponsor,
    engagementLead: s.engagementLead,
    objectives: s.objectives,
    policyVersion: s.policyVersion,
    outcome: s.outcome,
    startedAt: s.startedAt,
    closedAt: s.closedAt,
    phases: s.phases.map((p) => ({ key: p.key, status: p.status, startedAt: p.startedAt, closedAt: p.closedAt, extensionDays: p.extensionDays, overruns: p.overruns })),
    deliverables,
    decisions,
    children: s.children,
  };
}
