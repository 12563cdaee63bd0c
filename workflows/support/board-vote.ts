import { tally, type Ballot, type Tally } from '../../domain/review/voting.js';
import type { EscalationPolicy, VotingRule } from '../../domain/policy/types.js';
import type { BallotRequest, RecordedBallot } from '../contracts/ballots.js';
import { waitWithEscalation, type EscalationClock, type EscalationStep } from '../kernel/escalation.js';
import { refuse } from '../kernel/failures.js';

const BALLOTS: Ballot[] = ['approve', 'reject', 'abstain'];

/**
 * Voting by a board with a fixed number of seats (governance committee, ethical review board): one ballot per
 * person, explicit revision, justified rejections, and a decision by the policy's quorum and majority.
 */
export interface Board<B extends RecordedBallot = RecordedBallot> {
  /** e.g. "committee", for messages. */
  name: string;
  seats: number;
  rule: VotingRule;
  ballots: B[];
}

/** The checks every board applies to a ballot; the caller adds its own (membership, stage, findings). */
export function validateBallot(board: Board, vote: BallotRequest): void {
  if (!BALLOTS.includes(vote.ballot)) refuse('ValidationError', `ballot must be one of ${BALLOTS.join(', ')}`, [{ path: 'ballot', message: `expected one of ${BALLOTS.join(', ')}` }]);
  const previous = board.ballots.find((b) => b.actor === vote.actor.id);
  if (previous && !vote.revise) refuse('Conflict', `${vote.actor.id} has already voted; send revise: true to change the ballot`);
  if (!previous && vote.revise) refuse('Conflict', `${vote.actor.id} has no ballot to revise`);
  if (!previous && board.ballots.length >= board.seats) refuse('Conflict', `all ${board.seats} seats of the ${board.name} have voted`);
  if (vote.ballot === 'reject' && !vote.justification?.trim()) refuse('RuleViolation', 'a rejection must be justified', [{ path: 'justification', message: 'required' }]);
  if (vote.ballot !== 'approve' && vote.conditions?.length) refuse('RuleViolation', 'only an approval can carry conditions', [{ path: 'conditions', message: 'only with ballot approve' }]);
}

/** The ballot as recorded, and the one it replaces (if any). */
export function recordBallot(board: Board, vote: BallotRequest, isChair: boolean): { recorded: RecordedBallot; previous?: RecordedBallot } {
  const previous = board.ballots.find((b) => b.actor === vote.actor.id);
  const recorded: RecordedBallot = {
    actor: vote.actor.id,
    actorKind: vote.actor.kind,
    ballot: vote.ballot,
    isChair,
    justification: vote.justification,
    conditions: vote.conditions ?? [],
    at: new Date().toISOString(),
    revisedFrom: previous?.ballot,
  };
  return { recorded, previous };
}

export function currentTally(board: Board, final: boolean): Tally {
  return tally(board.rule, board.seats, board.ballots, final);
}

/**
 * Waits until the board's result can no longer change, with the policy's reminders and escalation. At the
 * deadline the vote closes as cast (`final`). Returns null when the process closed meanwhile (withdrawn).
 */
export async function collectBallots(
  board: () => Board,
  isOpen: () => boolean,
  escalation: EscalationPolicy,
  clock: EscalationClock,
  onStep: (step: Exclude<EscalationStep, 'sla_breach'>) => void,
): Promise<{ tally: Tally; final: boolean } | null> {
  const decided = () => !isOpen() || currentTally(board(), false).result !== 'undecided';
  const waited = await waitWithEscalation(decided, escalation, clock, onStep);
  if (!isOpen()) return null;
  const final = waited === 'sla_breach';
  return { tally: currentTally(board(), final), final };
}

/** One line for the record: the count and what decided it. */
export function explainTally(t: Tally, final: boolean): string {
  const how = t.result === 'no_quorum' ? 'no quorum' : t.decidedBy === 'casting_vote' ? "the chair's casting vote" : t.result === 'tie' ? 'an even split with no casting vote' : 'majority';
  return `${t.approve} approve, ${t.reject} reject, ${t.abstain} abstain of ${t.members} seats; decided by ${how}${final ? ' when the deadline passed' : ''}`;
}

/** The conditions of the approving ballots. */
export function approvalConditions(board: Board): string[] {
  return board.ballots.filter((b) => b.ballot === 'approve').flatMap((b) => b.conditions);
}
