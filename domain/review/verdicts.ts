import type { Verdict } from '../policy/types.js';

/** Severity order: a reviewer's overall verdict is the most severe of their per-criterion rulings. */
const SEVERITY: Record<Verdict, number> = { approve: 0, approve_with_conditions: 1, request_changes: 2, reject: 3 };

export const VERDICTS = Object.keys(SEVERITY) as Verdict[];

export function overallVerdict(rulings: Record<string, Verdict>): Verdict {
  return Object.values(rulings).reduce<Verdict>((worst, v) => (SEVERITY[v] > SEVERITY[worst] ? v : worst), 'approve');
}

/** A verdict other than plain approval must say why. */
export function needsJustification(verdict: Verdict): boolean {
  return verdict !== 'approve';
}

/** How a verdict reads in a sentence: "a request for changes must be justified". */
export const VERDICT_NOUNS: Record<Verdict, string> = {
  approve: 'an approval',
  approve_with_conditions: 'an approval with conditions',
  request_changes: 'a request for changes',
  reject: 'a rejection',
};
