/**
 * The one place numbers are rounded and summed, so the same input always yields byte-identical output whatever
 * order options, criteria or factors arrive in. Pure: safe to import from workflow code.
 */

export const SCORE_DECIMALS = 4;
export const MONEY_DECIMALS = 2;
/** Rates (IRR, discount rates, ratios). */
export const RATE_DECIMALS = 6;
/** Years (payback period). */
export const YEARS_DECIMALS = 4;

/**
 * Rounds half away from zero to `decimals` places. The scaled value is first cut to 15 significant digits so that
 * binary noise does not decide the rounding (1.005 → 1.01, not 1.00). Never returns -0, never a non-finite number.
 */
export function round(value: number, decimals: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`cannot round a non-finite number (${value})`);
  const factor = 10 ** decimals;
  const scaled = Number((Math.abs(value) * factor).toPrecision(15));
  // So large a number has no fractional digits left to round (beyond 2^53 every double is an integer).
  if (!Number.isFinite(scaled)) return value;
  const rounded = (Math.sign(value) * Math.round(scaled)) / factor;
  return rounded === 0 ? 0 : rounded;
}

export const roundScore = (value: number): number => round(value, SCORE_DECIMALS);
export const roundMoney = (value: number): number => round(value, MONEY_DECIMALS);
export const roundRate = (value: number): number => round(value, RATE_DECIMALS);
export const roundYears = (value: number): number => round(value, YEARS_DECIMALS);

/**
 * Order-independent sum: the values are sorted before a compensated (Neumaier) summation, so any permutation of
 * the same numbers gives the same bits.
 */
export function stableSum(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  let sum = 0;
  let compensation = 0;
  for (const v of sorted) {
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

export function stableMean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of no values');
  return stableSum(values) / values.length;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Code-point order: locale-independent, so rankings never depend on the host. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type NaturalToken = string | number;

function naturalTokens(text: string): NaturalToken[] {
  return (text.match(/\d+|\D+/g) ?? []).map((t) => (t.charCodeAt(0) >= 48 && t.charCodeAt(0) <= 57 ? Number(t) : t));
}

function compareTokens(a: NaturalToken[], b: NaturalToken[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return compareText(String(x), String(y));
  }
  return a.length - b.length;
}

/** Natural order for identifiers with numbers in them: `GOVERN 1.2` before `GOVERN 1.10`. */
export function compareNatural(a: string, b: string): number {
  return compareTokens(naturalTokens(a), naturalTokens(b)) || compareText(a, b);
}

/** `values` sorted in natural order (each value tokenised once). */
export function sortNatural(values: Iterable<string>): string[] {
  return [...values]
    .map((v) => ({ v, t: naturalTokens(v) }))
    .sort((a, b) => compareTokens(a.t, b.t) || compareText(a.v, b.v))
    .map((e) => e.v);
}
