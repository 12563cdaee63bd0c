import { describe, expect, it } from 'vitest';
import { tally, type Ballot } from '../../../domain/review/voting.js';

const committee = { quorum: 0.6, majority: 0.5, chairCastingVote: true };
const ballots = (...list: (Ballot | `chair:${Ballot}`)[]) =>
  list.map((b) => (b.startsWith('chair:') ? { ballot: b.slice(6) as Ballot, isChair: true } : { ballot: b as Ballot, isChair: false }));

describe('tally (quorum, majority, casting vote)', () => {
  it('stays undecided below quorum, and is no_quorum when final', () => {
    expect(tally(committee, 5, ballots('approve', 'approve'), false).result).toBe('undecided');
    const final = tally(committee, 5, ballots('approve', 'approve'), true);
    expect(final).toMatchObject({ result: 'no_quorum', quorumMet: false, cast: 2 });
  });

  it('counts abstentions towards quorum but not towards the majority', () => {
    const t = tally(committee, 5, ballots('approve', 'abstain', 'abstain'), true);
    expect(t).toMatchObject({ quorumMet: true, result: 'approved', decidedBy: 'majority', abstain: 2 });
  });

  it('decides early once the outstanding members cannot overturn the result', () => {
    expect(tally(committee, 5, ballots('approve', 'approve', 'approve'), false)).toMatchObject({ result: 'approved', decidedBy: 'majority' });
    expect(tally(committee, 5, ballots('reject', 'reject', 'reject'), false).result).toBe('rejected');
    // 2 approve, 1 reject, 2 outstanding: the outstanding could still make it 2–3.
    expect(tally(committee, 5, ballots('approve', 'approve', 'reject'), false).result).toBe('undecided');
  });

  it('exactly half is not a majority: a tie goes to the chair, or stays a tie', () => {
    expect(tally(committee, 4, ballots('approve', 'chair:approve', 'reject', 'reject'), true)).toMatchObject({ result: 'approved', decidedBy: 'casting_vote' });
    expect(tally(committee, 4, ballots('approve', 'approve', 'reject', 'chair:reject'), true)).toMatchObject({ result: 'rejected', decidedBy: 'casting_vote' });
    expect(tally({ ...committee, chairCastingVote: false }, 4, ballots('approve', 'chair:approve', 'reject', 'reject'), true)).toMatchObject({ result: 'tie', decidedBy: null });
    // The chair abstained: no casting vote to use.
    expect(tally(committee, 5, ballots('approve', 'reject', 'chair:abstain'), true).result).toBe('tie');
    expect(tally(committee, 3, ballots('abstain', 'abstain', 'abstain'), true).result).toBe('tie');
  });

  it('a supermajority rule needs more than its share', () => {
    const twoThirds = { quorum: 0.5, majority: 2 / 3, chairCastingVote: false };
    expect(tally(twoThirds, 3, ballots('approve', 'approve', 'reject'), true).result).toBe('rejected');
    expect(tally(twoThirds, 4, ballots('approve', 'approve', 'approve', 'reject'), true).result).toBe('approved');
  });
});
