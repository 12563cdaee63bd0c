import { ADMIN_ROLE, accessFor, holdsAny, permittedRoles } from '../domain/policy/access.js';
import type { PolicySet } from '../domain/policy/types.js';
import { deliverableReviewer } from '../domain/roadmap/engagement.js';
import type { Actor, ProcessStateBase } from '../workflows/contracts/common.js';
import type { RoadmapEngagementState } from '../workflows/roadmap-engagement/contract.js';

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

/**
 * The submitted deliverables of a roadmap's current phase that I review: the lead's, unless the lead wrote one,
 * which goes to the sponsor (the workflow's rule, from the domain).
 */
export function deliverablesToReview(state: ProcessStateBase, actor: Actor, policy: PolicySet): string[] {
  if (state.kind !== 'roadmap_engagement') return [];
  const s = state as unknown as RoadmapEngagementState;
  const people = { lead: s.engagementLead, sponsor: s.sponsor };
  const selfApproval = accessFor(policy, state.kind).duties.selfApproval;
  return (s.phases[s.phaseIndex]?.deliverables ?? [])
    .filter((d) => d.status === 'submitted' && deliverableReviewer(d.submissions.at(-1)!, people, selfApproval) === actor.id)
    .map((d) => d.key);
}

export function offeredActions(state: ProcessStateBase, actor: Actor, policy: PolicySet, actions: string[]): string[] {
  if (state.outcome) return [];
  const mine = state.requester === actor.id || actor.roles.includes(ADMIN_ROLE);
  return actions.filter((action) => {
    if (action === 'withdraw' || action === 'extend-deadline') return mine;
    if (action === 'delegate') return actor.roles.includes(ADMIN_ROLE) && state.pendingRoles.length > 0;
    // A roadmap's deliverable goes to one named reviewer (the sponsor when the lead wrote it), whatever the role.
    if (action === 'deliverable-reviews') return deliverablesToReview(state, actor, policy).length > 0;
    if (!waitsOn(state, actor)) return false;
    const roles = permittedRoles(policy, state.kind, action.replace(/-/g, '_'));
    // Actions the policy lists no roles for belong to whoever the process names (the requester, a named owner).
    return roles.length ? holdsAny(actor, roles) : state.requester === actor.id || Boolean(state.pendingActors?.includes(actor.id));
  });
}
