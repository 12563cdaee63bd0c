import { condition, patched, setHandler } from '@temporalio/workflow';
import { startObligations } from '../support/obligations.js';
import { nextMeetingAt } from '../../domain/review/committee-calendar.js';
import {
  committeeVoteUpdate,
  committeeWithdrawSignal,
  type CommitteeApprovalInput,
  type CommitteeApprovalState,
  type CommitteeOutcome,
  type CommitteeVote,
} from './contract.js';
import { approvalConditions, collectBallots, currentTally, explainTally, recordBallot, validateBallot, type Board } from '../support/board-vote.js';
import { slaDueAt, type EscalationClock } from '../kernel/escalation.js';
import { requireDuties, requireMayDecide, requireRoleFor, rolesFor } from '../kernel/duties.js';
import { refuse } from '../kernel/failures.js';
import { baseState, ProcessKernel } from '../kernel/process.js';

/** Who voted in runs started before the policy's permissions were pinned. */
const LEGACY_VOTER_ROLES = ['committee_member', 'committee_chair'];
/** Marks runs that show every voter role as pending, and the meeting date as due, while the item waits. */
const SEATS_VISIBLE = 'committee-seats-visible';

/**
 * The AI governance committee's final approval, usually a child of the process that needs it. A non-urgent
 * item waits for the committee's next meeting (policy cadence); an urgent one is convened out of cycle. From
 * the meeting on, members vote; quorum, majority and the chair's casting vote come from the policy, and the
 * item is decided as soon as the outstanding seats can no longer change the result. Reminders and escalation
 * run on the policy's timers; at the deadline the vote closes as cast, or breaches the SLA without a quorum.
 */
export async function committeeApproval(input: CommitteeApprovalInput): Promise<CommitteeApprovalState> {
  const { policy } = input;
  const state: CommitteeApprovalState = {
    ...baseState('committee_approval', input, 'awaiting_meeting'),
    subject: input.subject,
    urgent: input.urgent,
    meetingAt: null,
    members: policy.composition.length,
    ballots: [],
    tally: null,
    conditions: [],
    extensionDays: 0,
  };
  const voterRoles = rolesFor(input.access, 'votes', LEGACY_VOTER_ROLES);
  const kernel = new ProcessKernel(state, { noun: 'committee item', describe, recorder: { seatedActors: (s) => s.ballots.map((b) => b.actor) } });
  const { rec } = kernel;
  const isOpen = () => kernel.isOpen();
  const seatsVisible = patched(SEATS_VISIBLE);
  const board = (): Board => ({ name: 'committee', seats: state.members, rule: policy.voting, ballots: state.ballots });

  // Submitted, and for an urgent item voting opened, before any handler is registered: a ballot that arrives
  // with the start (delivered as its handler is set) finds the item as it should be.
  let clock: EscalationClock = { startedAt: 0, extensionDays: () => state.extensionDays };
  const openVoting = () => {
    state.stage = 'voting';
    state.pendingRoles = seatsVisible ? [...voterRoles] : ['committee_member'];
    clock = { startedAt: Date.now(), extensionDays: () => state.extensionDays, report: (d) => void (state.deadlines = d) };
    state.slaDueAt = slaDueAt(policy.escalation, clock).toISOString();
    rec.event('system', 'voting_opened', { members: state.members, quorum: policy.voting.quorum, majority: policy.voting.majority });
    rec.notify('info', voterRoles, `Voting is open on "${state.title}"`);
  };
  kernel.start();
  const now = Date.now();
  const meetingAt = input.urgent ? now : nextMeetingAt(policy, now);
  state.meetingAt = new Date(meetingAt).toISOString();
  // An item another process refers is submitted by govflow on that process's behalf, not by its requester.
  const parent = input.subject.workflowId;
  rec.event(parent ? 'system' : input.requester, 'submitted', { subject: input.subject, urgent: input.urgent, urgencyReason: input.urgencyReason, meetingAt: state.meetingAt, ...(parent ? { onBehalfOf: input.requester.id } : {}) }, parent ? undefined : 'requester');
  if (!input.urgent && seatsVisible) {
    state.pendingRoles = [...voterRoles];
    state.slaDueAt = state.meetingAt;
    rec.changed();
  }
  if (input.urgent) {
    rec.event('system', 'convened_out_of_cycle', { reason: input.urgencyReason });
    openVoting();
  }


  setHandler(
    committeeVoteUpdate,
    (vote) => {
      const isChair = vote.actor.roles.includes('committee_chair');
      const { recorded, previous } = recordBallot(board(), vote, isChair);
      state.ballots = [...state.ballots.filter((b) => b.actor !== vote.actor.id), recorded];
      state.tally = currentTally(board(), false);
      const role = isChair ? 'committee_chair' : 'committee_member';
      const event = rec.event(vote.actor, previous ? 'vote_revised' : 'voted', { ballot: vote.ballot, justification: vote.justification, conditions: vote.conditions, tally: state.tally }, role);
      rec.decision(event, { round: 1, role, verdict: vote.ballot, conditions: vote.conditions, justification: vote.justification });
      return kernel.receipt();
    },
    { validator: validateVote },
  );

  kernel.handleWithdraw({
    may: (actor) => (actor.id === state.requester || actor.roles.includes('admin') ? undefined : 'only the requester can withdraw the item'),
    check: () => {
      if (input.subject.workflowId) refuse('Conflict', `this item belongs to ${input.subject.workflowId}: withdraw that process instead`);
    },
    details: () => ({ via: 'update' }),
    decide: (req) => close('withdrawn', req.reason),
  });
  // The process that referred the item withdraws it with its own withdrawal.
  setHandler(committeeWithdrawSignal, (req) => {
    if (!isOpen()) return;
    rec.event(req.actor, 'withdrawn', { reason: req.reason, via: 'parent' }, 'requester');
    close('withdrawn', req.reason);
  });

  kernel.handleExtensionDays({ roles: ['committee_chair', policy.escalation.escalateToRole], maxTotal: policy.escalation.maxExtensionDays });

  function validateVote(vote: CommitteeVote): void {
    kernel.requireOpen();
    if (state.stage === 'awaiting_meeting') refuse('Conflict', `voting opens when the committee meets on ${state.meetingAt?.slice(0, 10)}`);
    requireRoleFor(input.access, 'votes', LEGACY_VOTER_ROLES, vote.actor, 'vote as a member of the governance committee');
    requireMayDecide(input.access, vote.actor);
    requireDuties(input.access, { actor: vote.actor, role: 'committee_member', requester: state.requester }, []);
    validateBallot(board(), vote);
  }

  function close(outcome: CommitteeOutcome, reason: string): void {
    state.conditions = outcome === 'approved' ? approvalConditions(board()) : [];
    kernel.close(outcome, reason, {
      details: { tally: state.tally, conditions: state.conditions },
      message: `Governance committee on "${state.title}": ${outcome.replace(/_/g, ' ')} — ${reason}`,
    });
  }

  if (!input.urgent) {
    rec.notify('info', voterRoles, `"${state.title}" is on the agenda of the committee meeting on ${state.meetingAt.slice(0, 10)}`);
    await condition(() => !isOpen(), meetingAt - now);
    if (isOpen()) openVoting();
  }

  if (isOpen()) {
    const decision = await collectBallots(board, isOpen, policy.escalation, clock, (step) => {
      const voted = state.ballots.length;
      if (step === 'reminder') rec.notify('reminder', voterRoles, `Reminder: "${state.title}" has ${voted} of ${state.members} ballots`);
      else rec.notify('escalation', [policy.escalation.escalateToRole, 'committee_chair'], `Escalation: "${state.title}" is still undecided with ${voted} of ${state.members} ballots`);
      rec.event('system', step === 'reminder' ? 'reminder_sent' : 'escalated', { ballots: voted, members: state.members });
    });
    if (decision) {
      const { tally: t, final } = decision;
      state.tally = t;
      if (t.result === 'no_quorum') {
        rec.notify('sla_breach', [policy.escalation.escalateToRole, state.requester], `SLA breached: the committee did not reach a quorum on "${state.title}"; referred to the ${policy.escalation.escalateToRole}`);
        close('sla_breached', explainTally(t, final));
      } else if (t.result !== 'undecided') {
        close(t.result, explainTally(t, final));
      }
    }
  }

  // A child item's conditions go back to its parent, whose approval they become; a direct item's become obligations.
  if (state.outcome === 'approved' && state.conditions.length && input.obligations && input.subject.workflowId === null && patched('obligations-from-conditions')) {
    state.obligations = await startObligations(state, rec, state.conditions, input.obligations, input.requester);
  }
  return kernel.finish();
}

function describe(s: CommitteeApprovalState): string {
  if (s.outcome) return `**${s.title}** — committee: ${s.outcome.replace(/_/g, ' ')}`;
  if (s.stage === 'awaiting_meeting') return `**${s.title}** — on the agenda of the committee meeting on ${s.meetingAt?.slice(0, 10)}`;
  return `**${s.title}** — committee voting: ${s.ballots.length} of ${s.members} ballots${s.slaDueAt ? `, due ${s.slaDueAt.slice(0, 10)}` : ''}`;
}

