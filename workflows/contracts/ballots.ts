import type { Ballot } from '../../domain/review/voting.js';
import type { Actor } from './common.js';

export type { Ballot, Tally } from '../../domain/review/voting.js';

/** A member's ballot on a board that decides by quorum and majority (governance committee, ethical review board). */
export interface BallotRequest {
  actor: Actor;
  ballot: Ballot;
  /** Required with a rejection. */
  justification?: string;
  /** Conditions attached to an approval. */
  conditions?: string[];
  /** Set to replace this member's earlier ballot. */
  revise?: boolean;
}

export interface RecordedBallot {
  actor: string;
  actorKind: Actor['kind'];
  ballot: Ballot;
  isChair: boolean;
  justification?: string;
  conditions: string[];
  at: string;
  revisedFrom?: Ballot;
}
