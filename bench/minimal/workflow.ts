import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * The limit govflow's hot path is measured against: the message pattern of an architecture review (a start, one
 * validated Update per reviewer role, completion) with nothing else: no activities, no record, no timers.
 */
export interface MinimalVote {
  role: string;
  verdict: string;
}

export const minimalVoteUpdate = defineUpdate<{ stage: string; pendingRoles: string[] }, [MinimalVote]>('vote');

export async function minimalReview(roles: string[]): Promise<{ outcome: string }> {
  const votes = new Map<string, string>();
  const pendingRoles = () => roles.filter((r) => !votes.has(r));
  setHandler(
    minimalVoteUpdate,
    (vote) => {
      votes.set(vote.role, vote.verdict);
      return { stage: pendingRoles().length ? 'in_review' : 'closed', pendingRoles: pendingRoles() };
    },
    {
      validator: (vote) => {
        if (!roles.includes(vote.role)) throw new Error(`${vote.role} is not a reviewer role`);
        if (votes.has(vote.role)) throw new Error(`${vote.role} has voted`);
      },
    },
  );
  await condition(() => votes.size === roles.length);
  await condition(allHandlersFinished);
  return { outcome: [...votes.values()].every((v) => v === 'approve') ? 'approved' : 'rejected' };
}
