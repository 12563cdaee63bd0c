import { randomBytes } from 'node:crypto';
import type { PolicySet } from '../domain/policy/types.js';
import type { ProcessStateBase } from '../workflows/contracts/common.js';
import type { Db } from './database.js';
import { hashToken } from './principals.js';

/*
 * Action links in messages: "approve" and "request changes" a person can take from a reminder. A link is an
 * unguessable token (only its hash is stored, as for sign-in links) bound to one person, one process, one action
 * and the process's state version when the message was written; it works once and expires. Opening it only shows a
 * confirmation page (mail scanners follow links); the decision is a POST from that page.
 */

export type LinkAction = 'approve' | 'request_changes';

/**
 * What each action link stands for, per kind of process: the action route and, per action it offers, the request
 * body; kinds not listed get only an "open" link.
 */
export const LINK_ACTIONS: Record<string, { route: string; actions: Partial<Record<LinkAction, (policy: PolicySet, role: string, justification?: string) => Record<string, unknown>>> }> = {
  architecture_review: {
    route: 'votes',
    actions: {
      approve: (policy, role) => ({ role, rulings: rulingsAll(policy, 'approve') }),
      request_changes: (policy, role, justification) => ({ role, rulings: rulingsAll(policy, 'request_changes'), ...(justification ? { justification } : {}) }),
    },
  },
  // A committee member approves with their ballot; a rejection needs the item's papers read, so it has no link.
  committee_approval: { route: 'votes', actions: { approve: () => ({ ballot: 'approve' }) } },
};

const rulingsAll = (policy: PolicySet, verdict: string) => Object.fromEntries(policy.architectureReview.approvalCriteria.map((c) => [c, verdict]));

/** The role a person would act in: a pending seat of the process that they hold (the process still decides). */
export function linkRole(state: ProcessStateBase, person: { id: string; roles: string[] }): string | undefined {
  if (state.outcome !== null || state.requester === person.id || state.seatedActors?.includes(person.id)) return undefined;
  const named = state.pendingActors?.includes(person.id) ?? false;
  return state.pendingRoles.find((r) => person.roles.includes(r) && (named || (state.openRoles ?? state.pendingRoles).includes(r)));
}

/** Issues the links a message to `person` carries (none when no seat of the process waits on them). */
export async function issueActionLinks(
  db: Db,
  opts: { state: ProcessStateBase; person: { id: string; roles: string[] }; stateVersion: number; deliveryId: string; channel: string; publicUrl: string; ttlMs: number; now?: Date },
): Promise<{ action: LinkAction; url: string }[]> {
  const { state, person } = opts;
  if (!LINK_ACTIONS[state.kind] || !linkRole(state, person)) return [];
  const now = opts.now ?? new Date();
  // A message sent again (a retried delivery) carries new links: the earlier, unused ones stop working.
  await db.actionLink.deleteMany({ where: { deliveryId: opts.deliveryId, usedAt: null } });
  const actions = Object.keys(LINK_ACTIONS[state.kind]!.actions) as LinkAction[];
  return Promise.all(
    actions.map(async (action) => {
      const token = randomBytes(32).toString('base64url');
      await db.actionLink.create({
        data: {
          tokenHash: hashToken(token),
          principalId: person.id,
          workflowId: state.workflowId,
          action,
          stateVersion: opts.stateVersion,
          deliveryId: opts.deliveryId,
          channel: opts.channel,
          expiresAt: new Date(now.getTime() + opts.ttlMs),
        },
      });
      return { action, url: `${opts.publicUrl}/app/act/${token}` };
    }),
  );
}
