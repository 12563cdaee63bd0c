import type { VotingRule } from '../policy/types.js';

export type Ballot = 'approve' | 'reject' | 'abstain';

export interface Tally {
  members: number;
  cast: number;
  approve: number;
  reject: number;
  abstain: number;
  quorumMet: boolean;
  /** `undecided` until quorum is met and the result cannot change, or all members have voted. */
  result: 'approved' | 'rejected' | 'undecided' | 'no_quorum' | 'tie';
  decidedBy: 'majority' | 'casting_vote' | null;
}

/**
 * Quorum counts every ballot, abstentions included; the majority is taken over approve + reject only and must
 * strictly exceed `majority` (0.5 means more than half). A tie goes to the chair's casting vote when the policy
 * grants one and the chair voted; otherwise it stays a tie. With `final`, missing ballots count as absent.
 */
export function tally(rule: VotingRule, members: number, ballots: { ballot: Ballot; isChair: boolean }[], final: boolean): Tally {
  const approve = ballots.filter((b) => b.ballot === 'approve').length;
  const reject = ballots.filter((b) => b.ballot === 'reject').length;
  const abstain = ballots.length - approve - reject;
  const cast = ballots.length;
  const quorumMet = members > 0 && cast / members >= rule.quorum - 1e-9;
  const base = { members, cast, approve, reject, abstain, quorumMet };
  const decisive = approve + reject;
  const outstanding = members - cast;

  // Early decision: the remaining members cannot overturn the result any more.
  const carries = (yes: number, no: number) => yes + no > 0 && yes / (yes + no) > rule.majority + 1e-9;
  if (quorumMet && !final) {
    if (carries(approve, reject + outstanding)) return { ...base, result: 'approved', decidedBy: 'majority' };
    if (carries(reject, approve + outstanding) && rule.majority >= 0.5) return { ...base, result: 'rejected', decidedBy: 'majority' };
  }
  if (!final && outstanding > 0) return { ...base, result: 'undecided', decidedBy: null };
  if (!quorumMet) return { ...base, result: 'no_quorum', decidedBy: null };
  if (decisive === 0) return { ...base, result: 'tie', decidedBy: null };
  if (carries(approve, reject)) return { ...base, result: 'approved', decidedBy: 'majority' };
  if (approve === reject) {
    const chair = ballots.find((b) => b.isChair && b.ballot !== 'abstain');
    if (rule.chairCastingVote && chair) return { ...base, result: chair.ballot === 'approve' ? 'approved' : 'rejected', decidedBy: 'casting_vote' };
    return { ...base, result: 'tie', decidedBy: null };
  }
  return { ...base, result: 'rejected', decidedBy: 'majority' };
}
