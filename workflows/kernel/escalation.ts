import { DAY_MS } from '../../domain/engines/calendar.js';
import { condition } from '@temporalio/workflow';
import type { EscalationPolicy } from '../../domain/policy/types.js';


export type EscalationStep = 'reminder' | 'escalation' | 'sla_breach';

export interface EscalationClock {
  /** Workflow time (ms) the wait started. */
  startedAt: number;
  /** Days the deadlines have been extended by; read on every wake-up, so an extension takes effect at once. */
  extensionDays(): number;
}

export function slaDueAt(policy: EscalationPolicy, clock: EscalationClock): Date {
  return new Date(clock.startedAt + (policy.slaBreachAfterDays + clock.extensionDays()) * DAY_MS);
}

/**
 * Waits until `done()` while firing the policy's reminder, escalation and SLA-breach steps on their timers.
 * Returns 'done', or 'sla_breach' when the deadline passes first. Extensions move the pending steps.
 */
export async function waitWithEscalation(
  done: () => boolean,
  policy: EscalationPolicy,
  clock: EscalationClock,
  onStep: (step: Exclude<EscalationStep, 'sla_breach'>) => void,
): Promise<'done' | 'sla_breach'> {
  const steps: { step: EscalationStep; afterDays: number }[] = [
    { step: 'reminder', afterDays: policy.reminderAfterDays },
    { step: 'escalation', afterDays: policy.escalateAfterDays },
    { step: 'sla_breach', afterDays: policy.slaBreachAfterDays },
  ];
  const fired = new Set<EscalationStep>();
  for (;;) {
    if (done()) return 'done';
    const extension = clock.extensionDays();
    const next = steps.find((s) => !fired.has(s.step));
    if (!next) return 'sla_breach';
    const dueAt = clock.startedAt + (next.afterDays + extension) * DAY_MS;
    const remaining = dueAt - Date.now();
    if (remaining > 0) {
      const woke = await condition(() => done() || clock.extensionDays() !== extension, remaining);
      if (woke) continue;
    }
    if (next.step === 'sla_breach') return done() ? 'done' : 'sla_breach';
    fired.add(next.step);
    onStep(next.step);
  }
}
