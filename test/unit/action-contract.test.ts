import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { action, withActor } from '../../api/process-routes.js';
import { resubmitBody, reviewVoteBody } from '../../api/schemas/architecture-review.js';
import { resubmitUpdate, reviewVoteUpdate } from '../../workflows/architecture-review/contract.js';

// The contract is checked by the compiler (`npm run typecheck`): each @ts-expect-error below fails the typecheck
// the day a body that does not fit its Update compiles.
describe('typed action contract', () => {
  it('ties a body schema to the Update it sends', () => {
    const ok = action({ name: 'votes', summary: 'vote', body: reviewVoteBody, update: reviewVoteUpdate, toRequest: withActor });
    expect(ok(({ name, update }) => `${name}→${update.name}`)).toBe('votes→vote');

    // @ts-expect-error a resubmission body is not a vote
    action({ name: 'votes', summary: 'vote', body: resubmitBody, update: reviewVoteUpdate, toRequest: withActor });
    // @ts-expect-error a vote's rulings must be verdicts, not any string
    action({ name: 'votes', summary: 'vote', body: reviewVoteBody.extend({ rulings: z.record(z.string(), z.string()) }), update: reviewVoteUpdate, toRequest: withActor });
    // @ts-expect-error toRequest must build what the Update takes
    action({ name: 'resubmit', summary: 'resubmit', body: resubmitBody, update: resubmitUpdate, toRequest: (body) => body });
  });
});
