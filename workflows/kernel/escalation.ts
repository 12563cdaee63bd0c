import { condition } from '@temporalio/workflow';
import { escalationDeadlines, stepDueAt, type Deadlines, type EscalationStep } from '../../domain/engines/escalation-deadlines.js';
import type { EscalationPolicy } from '../../domain/policy/types.js';

export type { EscalationStep };

export interface EscalationClock {
  /** Workflow time (ms) the wait started. */
  startedAt: number;
  /** Days the deadlines have been extended by; read on every wake-up, so an extension takes effect at once. */
  extensionDays(): number;
  /** Told the deadlines whenever the wait (re)computes them: at its start and after every extension. */
  report?(deadlines: Deadlines): void;
}

export function slaDueAt(policy: EscalationPolicy, clock: EscalationClock): Date {
  return new Date(stepDueAt(policy, 'sla_breach', clock.startedAt, clock.extensionDays()));
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
  const steps: EscalationStep[] = ['reminder', 'escalation', 'sla_breach'];
  const fired = new Set<EscalationStep>();
  let reported: number | null = null;
  for (;;) {
    if (done()) return 'done';
    const extension = clock.extensionDays();
    if (reported !== extension) {
      clock.report?.(escalationDeadlines(policy, clock.startedAt, extension));
      reported = extension;
    }
    const next = steps.find((s) => !fired.has(s));
    if (!next) return 'sla_breach';
    const remaining = stepDueAt(policy, next, clock.startedAt, extension) - Date.now();
    if (remaining > 0) {
      const woke = await condition(() => done() || clock.extensionDays() !== extension, remaining);
      if (woke) continue;
    }
    if (next === 'sla_breach') return done() ? 'done' : 'sla_breach';
    fired.add(next);
    onStep(next);
  }
}
