import { PROCESS_KINDS } from '../process-kinds.js';
import type { PolicySet, SegregationRule } from './types.js';

/**
 * Who may act, derived once from the policy: the API's role checks, the OpenAPI descriptions, the CLI's help
 * and (pinned into each process's input) the workflow validators all read these functions.
 *
 * Pure: safe to import from workflow code.
 */

/** What `permissions` in roles.yaml may name besides process kinds. */
export const PERMISSION_SCOPES = [...PROCESS_KINDS, 'audit', 'reports'] as const;

/** The admin role passes every role check. */
export const ADMIN_ROLE = 'admin';

/**
 * The roles the policy lets take `action` in `scope`: roles.yaml's permissions plus the lists the process's own
 * policy holds (so a reviewer role added to architecture-review.yaml can vote without a second edit).
 */
export function permittedRoles(policy: Pick<PolicySet, 'access' | 'architectureReview' | 'aiGovernance' | 'roadmap'>, scope: string, action: string): string[] {
  const listed = policy.access.permissions[scope]?.[action] ?? [];
  return [...new Set([...listed, ...heldElsewhere(policy, scope, action)])];
}

function heldElsewhere(policy: Pick<PolicySet, 'architectureReview' | 'aiGovernance' | 'roadmap'>, scope: string, action: string): string[] {
  if (action === 'votes' && scope === 'architecture_review') return policy.architectureReview.participants.map((p) => p.role);
  if (action === 'votes' && scope === 'committee_approval') return policy.aiGovernance.committee.composition;
  if (action === 'votes' && scope === 'ethical_review') return policy.aiGovernance.ethicalReviewBoard.composition;
  if (action === 'sign_offs' && scope === 'roadmap_engagement') return policy.roadmap.phases.flatMap((p) => p.signOffRoles);
  return [];
}

/** What a process pins of the access policy at its start: its actions' roles and its segregation-of-duties rule. */
export interface ProcessAccess {
  /** action → roles (admins pass too). */
  permissions: Record<string, string[]>;
  duties: SegregationRule;
  /** Whether agents may cast a deciding vote or ruling. */
  agentsDecide: boolean;
}

/** Kinds of process another process starts as its child; the child runs under the parent's pinned access. */
const CHILD_KINDS = ['committee_approval', 'architecture_review'] as const;

/** What the API pins into a process's input: its own access, and that of the children it may start. */
export interface PinnedAccess extends ProcessAccess {
  children: Partial<Record<(typeof CHILD_KINDS)[number], ProcessAccess>>;
}

export function pinnedAccess(policy: PolicySet, kind: string): PinnedAccess {
  return { ...accessFor(policy, kind), children: Object.fromEntries(CHILD_KINDS.map((k) => [k, accessFor(policy, k)])) };
}

export function accessFor(policy: PolicySet, kind: string): ProcessAccess {
  const actions = new Set([...Object.keys(policy.access.permissions[kind] ?? {}), 'votes', 'sign_offs']);
  const permissions: Record<string, string[]> = {};
  for (const action of actions) {
    const roles = permittedRoles(policy, kind, action);
    if (roles.length) permissions[action] = roles;
  }
  const sod = policy.access.segregationOfDuties;
  return { permissions, duties: { ...sod.default, ...sod.processes[kind] }, agentsDecide: policy.access.agents.finalDecisions };
}

/** For processes started before access was pinned: the rules that were then built in, plus the default duties. */
export const LEGACY_DUTIES: SegregationRule = { selfApproval: false, seatsPerPerson: 1, mutuallyExclusiveRoles: [] };

export function holdsAny(actor: { roles: string[] }, roles: string[]): boolean {
  return actor.roles.includes(ADMIN_ROLE) || roles.some((r) => actor.roles.includes(r));
}

/** A seat someone already holds in a process: who, in which role. */
export interface Seat {
  actor: string;
  role: string;
}

/**
 * Segregation of duties for one person taking one seat (`role`) in a process, given the seats already taken
 * (this person's earlier seat in the same role is a revision, not a second seat). Returns the broken rule, or null.
 */
export function dutiesViolation(
  duties: SegregationRule,
  act: { actor: string; role: string; requester: string; author?: string },
  seats: Seat[],
): { rule: keyof SegregationRule; message: string } | null {
  if (!duties.selfApproval && act.actor === act.requester) {
    return { rule: 'selfApproval', message: `${act.actor} requested this process and may not rule on it` };
  }
  if (!duties.selfApproval && act.author !== undefined && act.actor === act.author) {
    return { rule: 'selfApproval', message: `${act.actor} is the author and may not rule on their own work` };
  }
  const mine = [...new Set(seats.filter((s) => s.actor === act.actor && s.role !== act.role).map((s) => s.role))];
  if (mine.length + 1 > duties.seatsPerPerson) {
    return { rule: 'seatsPerPerson', message: `${act.actor} already holds the ${mine.join(', ')} seat of this process (one person fills at most ${duties.seatsPerPerson})` };
  }
  const clash = duties.mutuallyExclusiveRoles.find(([a, b]) => (a === act.role && mine.includes(b)) || (b === act.role && mine.includes(a)));
  if (clash) return { rule: 'mutuallyExclusiveRoles', message: `${act.actor} may not act as both ${clash[0]} and ${clash[1]} in one process` };
  return null;
}
