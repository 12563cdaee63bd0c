import { dutiesViolation, holdsAny, LEGACY_DUTIES, type ProcessAccess, type Seat } from '../../domain/policy/access.js';
import type { Actor } from '../contracts/common.js';
import { refuse } from './failures.js';

/*
 * The access a process pinned at its start (domain/policy/access.ts), applied in its update validators. A process
 * started before access was pinned has none: it keeps the roles it was built with (`legacy`) and gets the default
 * segregation of duties, since letting one person approve their own request was never intended.
 */

/** The roles that may take `action` here. */
export function rolesFor(access: ProcessAccess | undefined, action: string, legacy: string[]): string[] {
  return access?.permissions[action] ?? legacy;
}

export function requireRoleFor(access: ProcessAccess | undefined, action: string, legacy: string[], actor: Actor, what: string): void {
  const roles = rolesFor(access, action, legacy);
  if (!holdsAny(actor, roles)) refuse('Forbidden', `${actor.id} may not ${what}: it needs one of the roles ${roles.join(', ')}`);
}

/** Segregation of duties for `actor` taking the `role` seat; refusals name the rule of roles.yaml they apply. */
export function requireDuties(access: ProcessAccess | undefined, act: { actor: Actor; role: string; requester: string; author?: string }, seats: Seat[]): void {
  const broken = dutiesViolation(access?.duties ?? LEGACY_DUTIES, { ...act, actor: act.actor.id }, seats);
  if (broken) refuse('Forbidden', `segregation of duties (${broken.rule}): ${broken.message}`);
}

/** Agents may recommend; whether they may cast a deciding vote or ruling is the policy's (agents.finalDecisions). */
export function requireMayDecide(access: ProcessAccess | undefined, actor: Actor): void {
  if (actor.kind === 'agent' && access && !access.agentsDecide) {
    refuse('Forbidden', `${actor.id} is an agent: agents may recommend but not decide (agents.finalDecisions is false in the policy)`);
  }
}

/**
 * Whether `actor` acts as the person a process names (its lead, sponsor, facilitator, an action's owner): that person,
 * or their deputy while they are out of office (the API sets `onBehalfOf` only then; the record says so).
 */
export const actsAs = (actor: Actor, person: string | null | undefined): boolean => person != null && (actor.id === person || actor.onBehalfOf === person);
