/**
 * Weighted scoring shared by the engines: every weighted score is reported with its inputs, its weight and its
 * contribution. Pure: safe to import from workflow code.
 */
import { EngineInputError, EnginePolicyError, joinPath } from './errors.js';
import { stableMean, stableSum } from './rounding.js';

export interface Scale {
  min: number;
  max: number;
}

/** Policy weights must be finite, non-negative, on distinct keys and sum to 1 (within 1e-6). */
export function assertWeights(weights: readonly { key: string; weight: number }[], what: string): void {
  if (weights.length === 0) throw new EnginePolicyError(`${what}: no weighted entries`);
  const seen = new Set<string>();
  for (const { key, weight } of weights) {
    if (seen.has(key)) throw new EnginePolicyError(`${what}: duplicate key ${key}`);
    seen.add(key);
    if (!Number.isFinite(weight) || weight < 0) throw new EnginePolicyError(`${what}.${key}: weight must be a non-negative number`);
  }
  const sum = stableSum(weights.map((w) => w.weight));
  if (Math.abs(sum - 1) > 1e-6) throw new EnginePolicyError(`${what}: weights sum to ${sum}, expected 1`);
}

export function assertScale(scale: Scale, what: string): void {
  if (!Number.isFinite(scale.min) || !Number.isFinite(scale.max) || scale.max <= scale.min) {
    throw new EnginePolicyError(`${what}: scale must have finite min < max`);
  }
}

/** One weighted dimension of an evaluation: what went in, its weight, its score and its share of the total. */
export interface DimensionScore<K extends string = string> {
  key: K;
  weight: number;
  score: number;
  /** weight × score. */
  contribution: number;
  /** The values the score was computed from. */
  inputs: Record<string, number | null>;
}

/** Raw (unrounded) weighted total: Σ weight × score, summed order-independently. */
export function weightedTotal(items: readonly { weight: number; score: number }[]): number {
  return stableSum(items.map((i) => i.weight * i.score));
}

export { stableMean as mean };

/** Position of `value` on the scale, 0 at min and 1 at max. */
export function normalise(value: number, scale: Scale): number {
  return (value - scale.min) / (scale.max - scale.min);
}

export function scaleMessage(scale: Scale): string {
  return `expected a number between ${scale.min} and ${scale.max}`;
}

/**
 * Checks a keyed score map against the keys the policy expects: every key present, on the scale, no unknown keys.
 * Returns the problems (path, message) so callers can report every one at once.
 */
export function checkScores(
  scores: Readonly<Record<string, number>>,
  expected: readonly string[],
  scale: Scale,
  path: string,
  unknownMessage = 'unknown factor',
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const wanted = new Set(expected);
  for (const key of expected) {
    const value = Object.hasOwn(scores, key) ? scores[key] : undefined;
    if (value === undefined) problems.push({ path: joinPath(path, key), message: `missing: ${scaleMessage(scale)}` });
    else if (!Number.isFinite(value) || value < scale.min || value > scale.max) problems.push({ path: joinPath(path, key), message: scaleMessage(scale) });
  }
  for (const key of Object.keys(scores).sort()) {
    if (!wanted.has(key)) problems.push({ path: joinPath(path, key), message: `${unknownMessage} (expected one of: ${[...expected].join(', ')})` });
  }
  return problems;
}

export function throwIfProblems(problems: { path: string; message: string }[]): void {
  if (problems.length > 0) throw new EngineInputError(problems);
}

/** `team_capabilities` → `team capabilities`. */
export function humanise(key: string): string {
  return key.replace(/[_-]+/g, ' ').trim();
}
