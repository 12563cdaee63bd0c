/**
 * Policy impact replay: what a draft policy set would change in the record. Every stored evaluation is re-run
 * under the draft (as of one date) and compared with its recorded result; every review's recorded ballots are
 * re-tallied under the draft's voting rule; every open process's timers are compared with the draft's. Nothing is
 * written: the report is for a policy repository's CI and the governance committee that approves the change.
 * Pure (the caller reads the record).
 */
import type { AiComplianceResult, ObligationResult } from '../engines/ai-compliance.js';
import { outcomeOf, scoreOf } from '../engines/outcome.js';
import { ENGINES, runEngine, type EngineName } from '../engines/registry.js';
import { describeDelay } from '../engines/business-time.js';
import { escalationTimers, stepDueAt, waitStartBefore, type EscalationStep } from '../engines/escalation-deadlines.js';
import { GovflowError } from '../errors.js';
import { roundOutcome } from '../review/architecture-outcome.js';
import { overallVerdict } from '../review/verdicts.js';
import { tally, type Ballot } from '../review/voting.js';
import type { ArchitectureReviewPolicy, Delay, EscalationPolicy, PolicySet, Verdict, VotingRule } from './types.js';

export interface RecordedEvaluation {
  workflowId: string;
  engine: string;
  subject: string;
  input: unknown;
  result: unknown;
  policyVersion: string;
}

export interface RecordedProcess {
  workflowId: string;
  kind: string;
  title: string;
  requester: string;
  policyVersion: string;
  outcome: string | null;
  slaDueAt: Date | null;
  state: unknown;
}

export type ChangeKind =
  | 'tier'
  | 'outcome'
  | 'recommendation'
  | 'score'
  | 'obligation_added'
  | 'obligation_removed'
  | 'obligation_date'
  | 'obligation_status'
  | 'requirement_added'
  | 'requirement_removed'
  | 'refused'
  | 'review_outcome'
  | 'review_rule'
  | 'timer';

/** Changes that fail a policy CI run and need the committee's attention; the others are reported only. */
const FLAGGED: ReadonlySet<ChangeKind> = new Set<ChangeKind>([
  'tier',
  'outcome',
  'recommendation',
  'obligation_added',
  'obligation_removed',
  'obligation_date',
  'refused',
  'review_outcome',
  'timer',
]);

export interface Change {
  kind: ChangeKind;
  /** What changed: an obligation or checklist item key, a policy field, a timer. */
  subject: string;
  before: unknown;
  after: unknown;
  detail: string;
  flagged: boolean;
}

export interface ImpactEntry {
  workflowId: string;
  what: string;
  title: string;
  /** Who to tell: the process's requester, or the system owner an assessment names. */
  owners: string[];
  policyVersion: string;
  changes: Change[];
}

export interface ImpactReport {
  draftVersion: string;
  asOf: string;
  examined: { evaluations: number; processes: number };
  evaluations: ImpactEntry[];
  processes: ImpactEntry[];
  /** Number of flagged changes; a policy CI fails when it is above 0. */
  flagged: number;
}

const change = (kind: ChangeKind, subject: string, before: unknown, after: unknown, detail: string): Change => ({ kind, subject, before, after, detail, flagged: FLAGGED.has(kind) });

function obligationChanges(before: ObligationResult[], after: ObligationResult[]): Change[] {
  const old = new Map(before.map((o) => [o.key, o]));
  const out: Change[] = [];
  for (const o of after) {
    const b = old.get(o.key);
    if (!b) out.push(change('obligation_added', o.key, null, { appliesFrom: o.appliesFrom, status: o.status }, `${o.title}: now binds the system, ${o.status === 'applies' ? 'applying since' : 'from'} ${o.appliesFrom} (${o.source})`));
    else if (b.appliesFrom !== o.appliesFrom) out.push(change('obligation_date', o.key, b.appliesFrom, o.appliesFrom, `${o.title}: applies from ${o.appliesFrom} instead of ${b.appliesFrom} (${o.source}; ${o.act.citation})`));
    else if (b.status !== o.status) out.push(change('obligation_status', o.key, b.status, o.status, `${o.title}: ${o.status === 'applies' ? 'now due' : 'no longer due yet'} (from ${o.appliesFrom})`));
  }
  const now = new Set(after.map((o) => o.key));
  for (const b of before) if (!now.has(b.key)) out.push(change('obligation_removed', b.key, { appliesFrom: b.appliesFrom }, null, `${b.title}: no longer binds the system`));
  return out;
}

function aiComplianceChanges(before: AiComplianceResult, after: AiComplianceResult): Change[] {
  const out: Change[] = [];
  if (before.classification.tier !== after.classification.tier) {
    out.push(change('tier', 'classification.tier', before.classification.tier, after.classification.tier, `EU AI Act tier ${before.classification.tier} → ${after.classification.tier}: ${after.classification.reasons.join('; ')}`));
  }
  // Results recorded before the calendar existed have no obligations: every obligation is then new.
  out.push(...obligationChanges(before.obligations ?? [], after.obligations));
  const applicable = (r: AiComplianceResult) => new Set(r.requirements.filter((q) => q.status !== 'not_applicable').map((q) => q.key));
  const [was, is] = [applicable(before), applicable(after)];
  for (const k of is) if (!was.has(k)) out.push(change('requirement_added', k, false, true, `checklist item ${k} now applies`));
  for (const k of was) if (!is.has(k)) out.push(change('requirement_removed', k, true, false, `checklist item ${k} no longer applies`));
  return out;
}

function evaluationImpact(draft: PolicySet, e: RecordedEvaluation, asOf: string): ImpactEntry | null {
  const engine = e.engine as EngineName;
  const owners = ownersOf(e.input);
  const entry = (changes: Change[]): ImpactEntry | null => (changes.length ? { workflowId: e.workflowId, what: engine, title: e.subject, owners, policyVersion: e.policyVersion, changes } : null);
  if (!(engine in ENGINES)) return null;
  // A dated engine applies the law as of the report's date, not the date recorded with the input.
  const input = 'asOf' in ENGINES[engine] && typeof e.input === 'object' && e.input !== null ? { ...e.input, asOf } : e.input;
  let after: unknown;
  try {
    after = runEngine(engine, input, ENGINES[engine].policyOf(draft));
  } catch (err) {
    if (!(err instanceof GovflowError)) throw err;
    return entry([change('refused', 'input', 'evaluated', err.message, `the draft refuses the recorded input: ${err.message}`)]);
  }
  const changes: Change[] = [];
  const [ob, oa] = [outcomeOf(e.result), outcomeOf(after)];
  if (ob !== oa) changes.push(change('outcome', 'outcome', ob, oa, `${engine.replace(/_/g, ' ')} outcome ${ob} → ${oa}`));
  const [sb, sa] = [scoreOf(e.result), scoreOf(after)];
  if (sb.recommendation !== sa.recommendation) changes.push(change('recommendation', 'recommendation', sb.recommendation, sa.recommendation, `recommended option ${sb.recommendation} → ${sa.recommendation}`));
  if (sb.score !== sa.score) changes.push(change('score', 'score', sb.score, sa.score, `score ${sb.score} → ${sa.score}`));
  if (engine === 'ai_compliance') changes.push(...aiComplianceChanges(e.result as AiComplianceResult, after as AiComplianceResult));
  return entry(changes);
}

function ownersOf(input: unknown): string[] {
  const owners = (input as { owners?: { default?: unknown; byDomain?: Record<string, unknown> } } | null)?.owners;
  const all = [owners?.default, ...Object.values(owners?.byDomain ?? {})].filter((o): o is string => typeof o === 'string');
  return [...new Set(all)];
}

/** An architecture review's recorded votes, as its state keeps them (the current round's and earlier rounds'). */
interface RecordedReviewVotes {
  votes?: { role: string; round: number; rulings: Record<string, Verdict> }[];
  history?: { role: string; round: number; rulings: Record<string, Verdict> }[];
}

/**
 * What a review round's recorded rulings decide under a policy (the rule the workflow applies, roundOutcome): only the
 * policy's criteria count, and a vote with no ruling on one of them is not cast (the reviewer would be asked again).
 */
function reviewRoundUnder(policy: ArchitectureReviewPolicy, round: number, votes: { role: string; rulings: Record<string, Verdict> }[]): string {
  const cast = votes.flatMap((v) => (policy.approvalCriteria.every((c) => c in v.rulings) ? [{ role: v.role, verdict: overallVerdict(Object.fromEntries(policy.approvalCriteria.map((c) => [c, v.rulings[c]!]))) }] : []));
  const outcome = roundOutcome(policy.outcome, policy.participants.filter((p) => p.required).map((p) => p.role), cast);
  if (outcome.kind === 'pending') return `pending on ${outcome.pendingRoles.join(', ')}`;
  if (outcome.kind === 'changes_requested') return round >= policy.outcome.maxRounds ? 'rejected' : 'changes_requested';
  if (outcome.kind === 'approved') return outcome.withConditions ? 'approved_with_conditions' : 'approved';
  return 'rejected';
}

/** The first round whose recorded votes the draft's criteria, participants or outcome rule would decide differently. */
function architectureOutcomeChanges(was: PolicySet, is: PolicySet, state: unknown): Change[] {
  const { votes = [], history = [] } = (state ?? {}) as RecordedReviewVotes;
  const all = [...history, ...votes];
  for (const round of [...new Set(all.map((v) => v.round))].sort((a, b) => a - b)) {
    const inRound = all.filter((v) => v.round === round);
    const [before, after] = [reviewRoundUnder(was.architectureReview, round, inRound), reviewRoundUnder(is.architectureReview, round, inRound)];
    if (before !== after) return [change('review_outcome', `round.${round}`, before, after, `the recorded votes of round ${round} would be ${after.replace(/_/g, ' ')} instead of ${before.replace(/_/g, ' ')} under the draft's criteria and outcome rule`)];
  }
  return [];
}

/** The recorded ballots of a board or committee, re-tallied under the draft's voting rule when it changed. */
function ballotChanges(was: VotingRule, is: VotingRule, p: RecordedProcess): Change[] {
  const fields = (['quorum', 'majority', 'chairCastingVote'] as const).filter((f) => was[f] !== is[f]);
  const changes = fields.map((f) => change('review_rule', `voting.${f}`, was[f], is[f], `voting rule ${f}: ${String(was[f])} → ${String(is[f])}`));
  const state = p.state as { members?: number; ballots?: { ballot: Ballot; isChair?: boolean }[] } | null;
  if (fields.length && state?.members && state.ballots?.length) {
    const ballots = state.ballots.map((b) => ({ ballot: b.ballot, isChair: b.isChair ?? false }));
    const final = p.outcome !== null;
    const [rb, ra] = [tally(was, state.members, ballots, final).result, tally(is, state.members, ballots, final).result];
    if (rb !== ra) changes.push(change('review_outcome', 'tally.result', rb, ra, `the recorded ballots would tally ${ra} instead of ${rb} under the draft's voting rule`));
  }
  return changes;
}

/** The escalation timings, the decision rules and the re-decided outcome of a process kind, where the kind has them. */
const RULES: Record<string, { escalation: (p: PolicySet) => EscalationPolicy; decision?: (p: PolicySet) => Record<string, unknown>; outcomes?: (was: PolicySet, is: PolicySet, p: RecordedProcess) => Change[] }> = {
  architecture_review: {
    escalation: (p) => p.architectureReview.escalation,
    decision: (p) => ({ ...p.architectureReview.outcome, approvalCriteria: p.architectureReview.approvalCriteria }),
    outcomes: (was, is, p) => architectureOutcomeChanges(was, is, p.state),
  },
  ethical_review: { escalation: (p) => p.aiGovernance.ethicalReviewBoard.escalation, outcomes: (was, is, p) => ballotChanges(was.aiGovernance.ethicalReviewBoard.voting, is.aiGovernance.ethicalReviewBoard.voting, p) },
  committee_approval: { escalation: (p) => p.aiGovernance.committee.escalation, outcomes: (was, is, p) => ballotChanges(was.aiGovernance.committee.voting, is.aiGovernance.committee.voting, p) },
  roadmap_engagement: { escalation: (p) => p.roadmap.escalation },
};

const TIMER_FIELDS: [EscalationStep, string][] = [
  ['reminder', 'reminderAfter'],
  ['escalation', 'escalateAfter'],
  ['sla_breach', 'slaBreachAfter'],
];

/** Steps whose delay the draft changes; the SLA with its new time (the wait's start found from the pinned delay). */
function timerChanges(was: EscalationPolicy, is: EscalationPolicy, slaDueAt: Date | null): Change[] {
  const [before, after] = [escalationTimers(was), escalationTimers(is)];
  return TIMER_FIELDS.flatMap(([step, field]) => {
    const [a, b] = [before[step], after[step]];
    // Another calendar moves a step in working time (its days and hours); calendar time only shifts by a clock change.
    const calendarMoved = b.time === 'working' && JSON.stringify(was.calendar ?? null) !== JSON.stringify(is.calendar ?? null);
    if (a.duration === b.duration && a.time === b.time && !calendarMoved) return [];
    const asDays = (d: Delay) => (d.time === 'calendar' ? /^P(\d+)D$/.exec(d.duration)?.[1] : undefined);
    const [da, db] = [asDays(a), asDays(b)];
    const name = da !== undefined && db !== undefined ? `${field}Days` : field;
    let moved: { before: unknown; after: unknown } = da !== undefined && db !== undefined ? { before: Number(da), after: Number(db) } : { before: a.duration, after: b.duration };
    if (step === 'sla_breach' && slaDueAt) {
      const start = waitStartBefore(was, slaDueAt.getTime());
      moved = { before: slaDueAt.toISOString(), after: new Date(stepDueAt(is, step, start, 0)).toISOString() };
    }
    const detail = da !== undefined && db !== undefined
      ? `${name}: ${da} → ${db} days (${Number(db) > Number(da) ? 'later' : 'earlier'} by ${Math.abs(Number(db) - Number(da))})`
      : `${field}: ${describeDelay(a)} → ${describeDelay(b)}${calendarMoved ? ` (calendar ${was.calendar?.key ?? 'none'} → ${is.calendar?.key ?? 'none'})` : ''}`;
    return [change('timer', `escalation.${name}`, moved.before, moved.after, detail)];
  });
}

function processImpact(draft: PolicySet, p: RecordedProcess, pinned: PolicySet | undefined): ImpactEntry | null {
  const rules = RULES[p.kind];
  if (!rules || !pinned) return null;
  const changes: Change[] = [];
  if (p.outcome === null) {
    const [was, is] = [rules.escalation(pinned), rules.escalation(draft)];
    changes.push(...timerChanges(was, is, p.slaDueAt));
  }
  if (rules.decision) {
    const [was, is] = [rules.decision(pinned), rules.decision(draft)];
    for (const [f, v] of Object.entries(is)) {
      if (JSON.stringify(was[f]) !== JSON.stringify(v)) changes.push(change('review_rule', `outcome.${f}`, was[f] ?? null, v, `decision rule ${f}: ${JSON.stringify(was[f])} → ${JSON.stringify(v)}`));
    }
  }
  if (rules.outcomes) changes.push(...rules.outcomes(pinned, draft, p));
  return changes.length ? { workflowId: p.workflowId, what: p.kind, title: p.title, owners: [p.requester], policyVersion: p.policyVersion, changes } : null;
}

/**
 * The impact of `draft` on the record, as of `asOf` (the date dated engines apply the law as of). `pinned` answers
 * the policy set a process pinned; a process whose version is unknown is skipped.
 */
export function policyImpact(
  draft: PolicySet,
  record: { evaluations: RecordedEvaluation[]; processes: RecordedProcess[] },
  pinned: (versionId: string) => PolicySet | undefined,
  asOf: string,
): ImpactReport {
  const evaluations = record.evaluations.flatMap((e) => evaluationImpact(draft, e, asOf) ?? []);
  const processes = record.processes.flatMap((p) => processImpact(draft, p, pinned(p.policyVersion)) ?? []);
  const flagged = [...evaluations, ...processes].reduce((n, e) => n + e.changes.filter((c) => c.flagged).length, 0);
  return { draftVersion: draft.version.id, asOf, examined: { evaluations: record.evaluations.length, processes: record.processes.length }, evaluations, processes, flagged };
}
