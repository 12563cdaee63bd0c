import { condition, patched, setHandler } from '@temporalio/workflow';
import { roundOutcome } from '../../domain/review/architecture-outcome.js';
import { needsJustification, overallVerdict, VERDICT_NOUNS, VERDICTS } from '../../domain/review/verdicts.js';
import type { Verdict } from '../../domain/policy/types.js';
import {
  resubmitUpdate,
  reviewVoteUpdate,
  type ArchitectureReviewInput,
  type ArchitectureReviewOutcome,
  type ArchitectureReviewState,
  type RecordedVote,
  type ResubmitRequest,
  type ReviewVote,
} from './contract.js';
import { delegateUpdate, type DelegateRequest, type WithdrawRequest } from '../contracts/common.js';
import { startObligations } from '../support/obligations.js';
import { referToCommittee } from '../support/committee.js';
import { slaDueAt, waitWithEscalation, type EscalationClock } from '../kernel/escalation.js';
import { describeStep } from '../../domain/engines/escalation-deadlines.js';
import { actsAs, requireDuties, requireMayDecide } from '../kernel/duties.js';
import { refuse } from '../kernel/failures.js';
import { baseState, ProcessKernel } from '../kernel/process.js';

/** Marks runs whose vote reply waits for the round's outcome (earlier runs answered before it). */
const REPLY_AFTER_OUTCOME = 'vote-reply-after-outcome';
/** Marks runs whose withdrawal notifies the reviewers. */
const WITHDRAWAL_NOTIFIES = 'withdrawal-notifies';

/**
 * Architecture review: the policy's reviewer roles each rule on every approval criterion; "request changes"
 * sends the review back to the requester for another round; reminders, escalation and an SLA breach fire on
 * the policy's timers while anyone is pending. The outcome rule is the policy's (see roundOutcome).
 */
export async function architectureReview(input: ArchitectureReviewInput): Promise<ArchitectureReviewState> {
  const { policy } = input;
  if (!policy.triggers.includes(input.trigger)) {
    refuse('ValidationError', `trigger "${input.trigger}" is not one of ${policy.triggers.join(', ')}`, [
      { path: 'trigger', message: `expected one of ${policy.triggers.join(', ')}` },
    ]);
  }
  const requiredRoles = policy.participants.filter((p) => p.required).map((p) => p.role);
  const state: ArchitectureReviewState = {
    ...baseState('architecture_review', input, 'in_review', [...requiredRoles]),
    trigger: input.trigger,
    round: 1,
    requiredRoles,
    assignees: { ...(input.assignees ?? {}) },
    votes: [],
    history: [],
    conditions: [],
    extensionDays: 0,
    committeeWorkflowId: null,
  };
  // A reviewer named for a role holds that seat: the review waits on them by name, not on every holder of the role.
  const unvotedAssignees = (s: ArchitectureReviewState) => s.pendingRoles.filter((r) => s.assignees[r]);
  const kernel = new ProcessKernel(state, {
    noun: 'review',
    describe,
    recorder: {
      pendingActors: (s) => [...unvotedAssignees(s).map((r) => s.assignees[r]!), ...(s.stage === 'changes_requested' ? [s.requester] : [])],
      // While the committee decides, its own item is what waits on its members.
      openRoles: (s) => (s.stage === 'awaiting_committee' ? [] : s.pendingRoles.filter((r) => r !== 'requester' && !s.assignees[r])),
      seatedActors: (s) => s.votes.map((v) => v.actor),
    },
  });
  const { rec } = kernel;
  const isOpen = () => kernel.isOpen();
  let withdrawal: WithdrawRequest | null = null;

  kernel.start({
    by: input.requester,
    details: {
      trigger: input.trigger,
      systemDescription: input.systemDescription,
      evidence: input.evidence,
      selfAssessment: input.selfAssessment,
      requiredRoles,
      urgent: input.urgent ?? false,
      // Only when given, so the events of other runs stay exactly as before.
      ...(input.supersedes ? { supersedes: input.supersedes } : {}),
    },
  });

  setHandler(
    reviewVoteUpdate,
    async (vote) => {
      const verdict = overallVerdict(vote.rulings);
      const previous = state.votes.find((v) => v.role === vote.role);
      const recorded: RecordedVote = {
        role: vote.role,
        rulings: vote.rulings,
        justification: vote.justification,
        conditions: vote.conditions ?? [],
        evidence: vote.evidence ?? [],
        actor: vote.actor.id,
        actorKind: vote.actor.kind,
        round: state.round,
        verdict,
        at: new Date().toISOString(),
        revisedFrom: previous?.verdict,
      };
      state.votes = [...state.votes.filter((v) => v.role !== vote.role), recorded];
      if (verdict === 'approve_with_conditions') state.conditions.push(...(vote.conditions ?? []));
      state.pendingRoles = state.requiredRoles.filter((r) => !state.votes.some((v) => v.role === r));
      const event = rec.event(vote.actor, previous ? 'vote_revised' : 'voted', { round: state.round, verdict, rulings: vote.rulings, justification: vote.justification, conditions: vote.conditions, evidence: vote.evidence }, vote.role);
      rec.decision(event, { round: state.round, role: vote.role, verdict, criteria: vote.rulings, conditions: vote.conditions, justification: vote.justification, evidence: vote.evidence });
      // The reply describes the review after this vote: a vote that decides the round answers once the review
      // has moved on (changes requested, closed, or with the committee), not with the stage it had before.
      if (patched(REPLY_AFTER_OUTCOME)) await condition(() => state.stage !== 'in_review' || roundOutcome(policy.outcome, state.requiredRoles, state.votes).kind === 'pending');
      return kernel.receipt();
    },
    { validator: validateVote },
  );

  setHandler(
    resubmitUpdate,
    (req) => {
      state.history.push(...state.votes);
      state.votes = [];
      state.conditions = [];
      state.round += 1;
      state.stage = 'in_review';
      state.pendingRoles = [...state.requiredRoles];
      rec.event(req.actor, 'resubmitted', { round: state.round, changes: req.changes, evidence: req.evidence ?? [] }, 'requester');
      return kernel.receipt();
    },
    {
      validator: (req: ResubmitRequest) => {
        kernel.requireOpen();
        if (req.actor.id !== state.requester) refuse('Forbidden', 'only the requester can resubmit the review');
        if (state.stage !== 'changes_requested') refuse('Conflict', 'the review is not waiting for changes');
        if (!req.changes?.trim()) refuse('RuleViolation', 'a resubmission must describe the changes made', [{ path: 'changes', message: 'required' }]);
      },
    },
  );

  kernel.handleWithdraw({
    may: (actor) => (actor.id === state.requester ? undefined : 'only the requester can withdraw the review'),
    before: (req) => void (withdrawal = req),
    decide: false,
    // The reviewers it waited on hear of it (runs started before this change told nobody).
    then: (req) => {
      if (!patched(WITHDRAWAL_NOTIFIES)) return;
      const told = [...new Set([...Object.values(state.assignees), ...state.requiredRoles.filter((r) => !state.assignees[r])])];
      rec.notify('info', told, `"${state.title}" was withdrawn by the requester: ${req.reason.trim()}`);
    },
  });

  kernel.handleExtensionDays({ roles: [policy.escalation.escalateToRole], maxTotal: policy.escalation.maxExtensionDays });

  setHandler(
    delegateUpdate,
    (req) => {
      const from = state.assignees[req.role] ?? null;
      state.assignees[req.role] = req.to.id;
      rec.event(req.actor, 'delegated', { role: req.role, from, to: req.to.id, reason: req.reason }, req.role);
      rec.notify('info', [req.to.id], `${req.actor.id} delegated the ${req.role} review of "${state.title}" to you`);
      return kernel.receipt();
    },
    {
      validator: (req: DelegateRequest) => {
        kernel.requireOpen();
        if (!state.requiredRoles.includes(req.role)) refuse('ValidationError', `${req.role} is not a reviewer role of this review`, [{ path: 'role', message: `expected one of ${state.requiredRoles.join(', ')}` }]);
        const holder = state.assignees[req.role];
        const mayDelegate = holder ? holder === req.actor.id : req.actor.roles.includes(req.role);
        if (!mayDelegate && !req.actor.roles.includes('admin')) refuse('Forbidden', `only the ${req.role} assigned to this review can delegate it`);
        if (!req.to.roles.includes(req.role)) refuse('RuleViolation', `${req.to.id} does not hold the ${req.role} role`, [{ path: 'to', message: `must hold ${req.role}` }]);
        if (state.votes.some((v) => v.role === req.role)) refuse('Conflict', `the ${req.role} has already voted in this round`);
      },
    },
  );

  function validateVote(vote: ReviewVote): void {
    kernel.requireOpen();
    if (state.stage === 'awaiting_committee') refuse('Conflict', 'the reviewers have approved; the review awaits the governance committee');
    if (state.stage !== 'in_review') refuse('Conflict', 'the review is waiting for the requester to resubmit');
    if (!state.requiredRoles.includes(vote.role)) {
      refuse('ValidationError', `${vote.role} is not a reviewer role of this review`, [{ path: 'role', message: `expected one of ${state.requiredRoles.join(', ')}` }]);
    }
    if (!vote.actor.roles.includes(vote.role)) refuse('Forbidden', `${vote.actor.id} does not hold the ${vote.role} role`);
    const assignee = state.assignees[vote.role];
    // The assignee's deputy, while they are out of office, takes their seat (the API sets onBehalfOf).
    if (assignee && !actsAs(vote.actor, assignee)) refuse('Forbidden', `the ${vote.role} review is assigned to ${assignee}`);
    requireMayDecide(input.access, vote.actor);
    requireDuties(input.access, { actor: vote.actor, role: vote.role, requester: state.requester }, state.votes);
    const previous = state.votes.find((v) => v.role === vote.role);
    if (previous && !vote.revise) refuse('Conflict', `the ${vote.role} has already voted in round ${state.round}; send revise: true to change the vote`);
    if (!previous && vote.revise) refuse('Conflict', `there is no ${vote.role} vote to revise in round ${state.round}`);
    const fields = [
      ...policy.approvalCriteria.filter((c) => !(c in vote.rulings)).map((c) => ({ path: `rulings.${c}`, message: 'a ruling is required' })),
      ...Object.keys(vote.rulings).filter((c) => !policy.approvalCriteria.includes(c)).map((c) => ({ path: `rulings.${c}`, message: 'not an approval criterion of the policy' })),
      ...Object.entries(vote.rulings).filter(([, v]) => !VERDICTS.includes(v as Verdict)).map(([c]) => ({ path: `rulings.${c}`, message: `expected one of ${VERDICTS.join(', ')}` })),
    ];
    if (fields.length) refuse('ValidationError', 'the vote must rule on every approval criterion', fields);
    const verdict = overallVerdict(vote.rulings);
    if (needsJustification(verdict) && !vote.justification?.trim()) {
      refuse('RuleViolation', `${VERDICT_NOUNS[verdict]} must be justified`, [{ path: 'justification', message: 'required' }]);
    }
    if (verdict === 'approve_with_conditions' && !(vote.conditions ?? []).some((c) => c.trim())) {
      refuse('RuleViolation', 'an approval with conditions must list the conditions', [{ path: 'conditions', message: 'at least one condition' }]);
    }
  }

  const clockFor = (startedAt: number): EscalationClock => ({ startedAt, extensionDays: () => state.extensionDays, report: (d) => void (state.deadlines = d) });
  const escalate = (step: 'reminder' | 'escalation', waitingOn: string[]) => {
    if (step === 'reminder') {
      rec.notify('reminder', waitingOn, `Reminder: "${state.title}" is waiting on ${waitingOn.join(', ')}`);
    } else {
      rec.notify('escalation', [policy.escalation.escalateToRole], `Escalation: "${state.title}" has waited ${describeStep(policy.escalation, 'escalation')}+ on ${waitingOn.join(', ')}`);
    }
    rec.event('system', step === 'reminder' ? 'reminder_sent' : 'escalated', { waitingOn });
  };

  while (isOpen()) {
    const clock = clockFor(Date.now());
    const roundDone = () => !isOpen() || roundOutcome(policy.outcome, state.requiredRoles, state.votes).kind !== 'pending';
    state.slaDueAt = slaDueAt(policy.escalation, clock).toISOString();
    rec.changed();
    const waited = await waitWithEscalation(roundDone, policy.escalation, clock, (step) => escalate(step, state.pendingRoles));
    if (!isOpen()) break;
    if (waited === 'sla_breach') {
      rec.notify('sla_breach', [policy.escalation.escalateToRole, state.requester], `SLA breached: "${state.title}" was not decided in time and is referred to the ${policy.escalation.escalateToRole}`);
      close('sla_breached', `no decision within ${describeStep(policy.escalation, 'sla_breach', state.extensionDays)}; referred to the ${policy.escalation.escalateToRole}`);
      break;
    }
    const outcome = roundOutcome(policy.outcome, state.requiredRoles, state.votes);
    if (outcome.kind === 'rejected') {
      close('rejected', outcome.reason);
    } else if (outcome.kind === 'approved') {
      const approved = outcome.withConditions ? 'approved_with_conditions' : 'approved';
      if (policy.outcome.requiresCommitteeApproval && input.committeePolicy) await finalApproval(approved);
      else close(approved, 'every required reviewer approved');
    } else if (outcome.kind === 'changes_requested') {
      if (state.round >= policy.outcome.maxRounds) {
        close('rejected', `changes were still requested after ${policy.outcome.maxRounds} rounds`);
        break;
      }
      state.stage = 'changes_requested';
      state.pendingRoles = ['requester'];
      rec.event('system', 'changes_requested', { round: state.round, byRoles: outcome.byRoles });
      rec.notify('info', [state.requester], `Changes requested on "${state.title}" by ${outcome.byRoles.join(', ')}`);
      const resubmitClock = clockFor(Date.now());
      state.slaDueAt = slaDueAt(policy.escalation, resubmitClock).toISOString();
      rec.changed();
      const resubmitted = await waitWithEscalation(() => !isOpen() || state.stage === 'in_review', policy.escalation, resubmitClock, (step) => escalate(step, [state.requester]));
      if (resubmitted === 'sla_breach' && isOpen()) close('rejected', 'the requester did not resubmit before the deadline');
    }
  }

  /** The policy asks the governance committee to confirm the reviewers' approval. */
  async function finalApproval(approved: 'approved' | 'approved_with_conditions'): Promise<void> {
    const final = await referToCommittee(rec, {
      proposed: approved,
      summary: input.systemDescription,
      requester: input.requester,
      urgent: input.urgent ?? false,
      policy: input.committeePolicy!,
      access: input.access?.children.committee_approval,
      details: { round: state.round, reviewersOutcome: approved },
      withdrawal: () => withdrawal,
    });
    if (!final) return;
    state.conditions.push(...final.conditions);
    close(final.outcome, final.reason);
  }

  function close(outcome: ArchitectureReviewOutcome, reason: string): void {
    kernel.close(outcome, reason, { details: { round: state.round, conditions: state.conditions } });
  }

  // Conditions become obligations (reviews started before obligations carry no obligation policy, hence the patch).
  if (state.outcome === 'approved_with_conditions' && input.obligations && patched('obligations-from-conditions')) {
    state.obligations = await startObligations(state, rec, state.conditions, input.obligations, input.requester);
  }
  return kernel.finish();
}

function describe(s: ArchitectureReviewState): string {
  if (s.outcome) return `**${s.title}** — ${s.outcome.replace(/_/g, ' ')} (round ${s.round})`;
  if (s.stage === 'awaiting_committee') return `**${s.title}** — approved by the reviewers, awaiting the governance committee (${s.committeeWorkflowId ?? 'starting'})`;
  if (s.stage === 'changes_requested') return `**${s.title}** — waiting for the requester to resubmit (round ${s.round})`;
  return `**${s.title}** — round ${s.round}, waiting on ${s.pendingRoles.join(', ') || 'nobody'}${s.slaDueAt ? `, due ${s.slaDueAt.slice(0, 10)}` : ''}`;
}
