import { ADMIN_ROLE, holdsAny, permittedRoles } from '../domain/policy/access.js';
import type { PolicySet } from '../domain/policy/types.js';
import type { Actor, ProcessStateBase } from '../workflows/contracts/common.js';

/*
 * Which actions the page offers: a hint for the person, not the rule. The process checks every action against
 * the access it pinned, and a refusal is shown beside the form like any other error.
 */

/** The inbox's rule: by name, as the requester asked to act, or by role where the seat is open and not mine. */
export function waitsOn(state: ProcessStateBase, actor: Actor): boolean {
  if (state.outcome) return false;
  if (state.pendingActors?.includes(actor.id)) return true;
  if (state.requester === actor.id) return state.pendingRoles.includes('requester');
  if (state.seatedActors?.includes(actor.id)) return false;
  return (state.openRoles ?? state.pendingRoles).some((r) => actor.roles.includes(r));
}

/** Seats I may take now (the choices of a `role` field). */
export function myOpenRoles(state: ProcessStateBase, actor: Actor): string[] {
  const open = (state.openRoles ?? state.pendingRoles).filter((r) => r !== 'requester');
  return actor.roles.includes(ADMIN_ROLE) ? open : open.filter((r) => actor.roles.includes(r));
}

export function offeredActions(state: ProcessStateBase, actor: Actor, policy: PolicySet, actions: string[]): string[] {
  if (state.outcome) return [];
  const mine = state.requester === actor.id || actor.roles.includes(ADMIN_ROLE);
  return actions.filter((action) => {
    if (action === 'withdraw' || action === 'extend-deadline') return mine;
    if (action === 'delegate') return actor.roles.includes(ADMIN_ROLE) && state.pendingRoles.length > 0;
    if (!waitsOn(state, actor)) return false;
    const roles = permittedRoles(policy, state.kind, action.replace(/-/g, '_'));
    // Actions the policy lists no roles for belong to whoever the process names (the requester, a named owner).
    return roles.length ? holdsAny(actor, roles) : state.requester === actor.id || Boolean(state.pendingActors?.includes(actor.id));
  });
}
