import { refuse } from './failures.js';

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
