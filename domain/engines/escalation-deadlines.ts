/**
 * When an escalation clock's steps fall due. The workflows' wait fires on exactly these instants, and the API and
 * the web app show them, so what a process shows is what it does.
 */
import type { Delay, EscalationPolicy } from '../policy/types.js';
import { addDelay, daysDelay, describeDelay } from './business-time.js';

export type EscalationStep = 'reminder' | 'escalation' | 'sla_breach';

/** What a running escalation clock fires on next (ISO timestamps). */
export interface Deadlines {
  reminderAt: string | null;
  escalationAt: string | null;
  dueAt: string | null;
}

/** Each step's delay, whichever notation the policy (or the policy a process pinned) used. */
export function escalationTimers(policy: EscalationPolicy): Record<EscalationStep, Delay> {
  const of = (delay: Delay | undefined, days: number | undefined) => delay ?? daysDelay(days!);
  return {
    reminder: of(policy.reminderAfter, policy.reminderAfterDays),
    escalation: of(policy.escalateAfter, policy.escalateAfterDays),
    sla_breach: of(policy.slaBreachAfter, policy.slaBreachAfterDays),
  };
}

/** When a step falls due: its delay after the start, then the extension, counted in the step's own time. */
export function stepDueAt(policy: EscalationPolicy, step: EscalationStep, startedAt: number, extensionDays: number): number {
  const delay = escalationTimers(policy)[step];
  const due = addDelay(startedAt, delay, policy.calendar);
  return extensionDays ? addDelay(due, { duration: `P${extensionDays}D`, time: delay.time }, policy.calendar) : due;
}

/** The reminder, escalation and SLA breach of a wait: what the wait itself fires on. */
/**
 * The start of a wait whose SLA falls due at `dueMs`, for records that keep only the deadline (processes started
 * before they reported their deadlines): exact for calendar time, the nearest such start for working time.
 */
export function waitStartBefore(policy: EscalationPolicy, dueMs: number): number {
  return dueMs - (stepDueAt(policy, 'sla_breach', dueMs, 0) - dueMs);
}

export function escalationDeadlines(policy: EscalationPolicy, startedAt: number, extensionDays: number): Deadlines {
  const at = (step: EscalationStep) => new Date(stepDueAt(policy, step, startedAt, extensionDays)).toISOString();
  return { reminderAt: at('reminder'), escalationAt: at('escalation'), dueAt: at('sla_breach') };
}


/** A step's delay with its extension, for messages: "17 days", "10 minutes", "5 days (working time) + 2 days". */
export function describeStep(policy: EscalationPolicy, step: EscalationStep, extensionDays = 0): string {
  const delay = escalationTimers(policy)[step];
  const days = /^P(\d+)D$/.exec(delay.duration);
  if (days && delay.time === 'calendar') return `${Number(days[1]) + extensionDays} days`;
  return `${describeDelay(delay)}${extensionDays ? ` + ${extensionDays} day${extensionDays === 1 ? '' : 's'}` : ''}`;
}
