import type { ArchitectureReviewPolicy, Verdict } from '../policy/types.js';

export interface RoleVerdict {
  role: string;
  verdict: Verdict;
}

export type RoundOutcome =
  | { kind: 'pending'; pendingRoles: string[] }
  | { kind: 'rejected'; reason: string }
  | { kind: 'changes_requested'; byRoles: string[] }
  | { kind: 'approved'; withConditions: boolean };

/**
 * The outcome of one review round under the policy's rule: a blocking role's rejection ends the review at once;
 * otherwise the round waits for every required role. Then a rejection rejects (under unanimity; without it, only
 * when approvals are not a majority), a request for changes sends the review back, and the rest approves.
 */
export function roundOutcome(policy: ArchitectureReviewPolicy['outcome'], requiredRoles: string[], votes: RoleVerdict[]): RoundOutcome {
  const blocking = votes.find((v) => v.verdict === 'reject' && policy.blockingRoles.includes(v.role));
  if (blocking) return { kind: 'rejected', reason: `${blocking.role} rejected (a blocking role under the policy)` };

  const voted = new Set(votes.map((v) => v.role));
  const pendingRoles = requiredRoles.filter((r) => !voted.has(r));
  if (pendingRoles.length > 0) return { kind: 'pending', pendingRoles };

  const rejecting = votes.filter((v) => v.verdict === 'reject').map((v) => v.role);
  const approving = votes.filter((v) => v.verdict === 'approve' || v.verdict === 'approve_with_conditions').length;
  if (rejecting.length > 0 && (policy.unanimousRequired || approving * 2 <= votes.length)) {
    return { kind: 'rejected', reason: `rejected by ${rejecting.join(', ')}` };
  }
  const changes = votes.filter((v) => v.verdict === 'request_changes').map((v) => v.role);
  if (changes.length > 0) return { kind: 'changes_requested', byRoles: changes };
  return { kind: 'approved', withConditions: votes.some((v) => v.verdict === 'approve_with_conditions') };
}
