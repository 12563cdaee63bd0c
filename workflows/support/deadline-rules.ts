import { setHandler } from '@temporalio/workflow';
import { extendDeadlineUpdate, type ExtendDeadlineRequest, type ProcessStateBase } from '../contracts/common.js';
import { refuse } from './failures.js';
import type { ProcessRecorder } from './process-recorder.js';

/**
 * The rules every process applies to a withdrawal and to a deadline extension, beyond who may ask (which each
 * process decides): a reason on the record, and an extension of whole days within the policy's total.
 * `what` names the request, e.g. "a withdrawal": "a withdrawal must give a reason".
 */
export function requireReason(reason: string | undefined, what: string): void {
  if (!reason?.trim()) refuse('RuleViolation', `${what} must give a reason`, [{ path: 'reason', message: 'required' }]);
}

/** `scope` names what the total applies to, e.g. "per stage" or "for this phase". */
export function checkExtension(req: { days: number; reason: string }, alreadyExtended: number, maxTotal: number, scope = ''): void {
  if (!Number.isInteger(req.days) || req.days < 1) refuse('ValidationError', 'days must be a positive whole number', [{ path: 'days', message: 'expected an integer ≥ 1' }]);
  requireReason(req.reason, 'an extension');
  if (alreadyExtended + req.days > maxTotal) {
    refuse('RuleViolation', `extensions may total at most ${maxTotal} days${scope ? ` ${scope}` : ''} (already ${alreadyExtended})`, [{ path: 'days', message: `at most ${maxTotal - alreadyExtended}` }]);
  }
}

/**
 * The common extend-deadline Update for a process whose escalation timers read `state.extensionDays`: the
 * requester or a holder of one of `roles` may extend, with a reason, within the policy's total.
 */
export function handleDeadlineExtensions<S extends ProcessStateBase & { extensionDays: number }>(
  rec: ProcessRecorder<S>,
  opts: { what: string; roles: string[]; maxTotal: number },
): void {
  const { state } = rec;
  setHandler(
    extendDeadlineUpdate,
    (req) => {
      state.extensionDays += req.days;
      rec.event(req.actor, 'deadline_extended', { days: req.days, reason: req.reason, totalExtensionDays: state.extensionDays });
      return state;
    },
    {
      validator: (req: ExtendDeadlineRequest) => {
        if (state.outcome !== null) refuse('Conflict', `the ${opts.what} is closed (${state.outcome})`);
        const allowed = req.actor.id === state.requester || req.actor.roles.some((r) => r === 'admin' || opts.roles.includes(r));
        if (!allowed) refuse('Forbidden', `only the requester, an admin or a holder of ${opts.roles.join(' or ')} can extend the deadline`);
        checkExtension(req, state.extensionDays, opts.maxTotal);
      },
    },
  );
}
