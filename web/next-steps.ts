import { escalationDeadlines, escalationTimers, waitStartBefore, type Deadlines } from '../domain/engines/escalation-deadlines.js';
import type { EscalationPolicy, PolicySet } from '../domain/policy/types.js';
import type { ProcessStateBase } from '../workflows/contracts/common.js';

export interface NextSteps extends Deadlines {
  /** Who is escalated to, when the policy says. */
  escalateTo?: string;
  /** Whether the process closes as `sla_breached` at its deadline (the escalation clock's processes do). */
  breachAtDue: boolean;
  /** The calendar whose working days and hours the clock's steps in working time count. */
  workingTime?: { calendar: string; timeZone: string };
}

function workingTimeOf(clock: EscalationPolicy | undefined): NextSteps['workingTime'] {
  if (!clock?.calendar || !Object.values(escalationTimers(clock)).some((d) => d.time === 'working')) return undefined;
  return { calendar: clock.calendar.key, timeZone: clock.calendar.timeZone };
}

/**
 * The escalation policy whose clock sets the deadline of a process of this kind and stage, if any: those kinds run
 * `waitWithEscalation`, where reminder, escalation and SLA breach all count from the same start and move together
 * with extensions. Other kinds' deadlines (a roadmap phase's window, an engagement's term) are dates of their own.
 */
function escalationClockOf(state: ProcessStateBase, policy: PolicySet): EscalationPolicy | undefined {
  switch (state.kind) {
    case 'architecture_review':
      return policy.architectureReview.escalation;
    case 'ethical_review':
      return state.stage === 'board_review' ? policy.aiGovernance.ethicalReviewBoard.escalation : undefined;
    case 'committee_approval':
      return state.stage === 'voting' ? policy.aiGovernance.committee.escalation : undefined;
    case 'poc_scale_up':
      return policy.aiGovernance.committee.escalation;
    default:
      return undefined;
  }
}

/**
 * What happens next and when: the process's own `deadlines` when it reports them; else derived from its SLA
 * deadline and the pinned policy (the wait's start found from the SLA delay, the other steps counted from it).
 */
export function nextSteps(state: ProcessStateBase & { deadlines?: Deadlines | null }, policy: PolicySet): NextSteps | null {
  if (state.outcome) return null;
  const clock = escalationClockOf(state, policy);
  const escalateTo = clock?.escalateToRole;
  const workingTime = workingTimeOf(clock);
  if (state.deadlines) return { ...state.deadlines, escalateTo, breachAtDue: Boolean(clock), ...(workingTime ? { workingTime } : {}) };
  if (!state.slaDueAt) return null;
  if (!clock) return { reminderAt: null, escalationAt: null, dueAt: state.slaDueAt, breachAtDue: false };
  const { reminderAt, escalationAt } = escalationDeadlines(clock, waitStartBefore(clock, Date.parse(state.slaDueAt)), 0);
  return { reminderAt, escalationAt, dueAt: state.slaDueAt, escalateTo, breachAtDue: true, ...(workingTime ? { workingTime } : {}) };
}
