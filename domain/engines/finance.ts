/**
 * Money arithmetic shared by the engines: present value (NPV), internal rate of return, payback period and a
 * discounted multi-year cost schedule (TCO). Cash flows are yearly; index 0 is "now" and is not discounted,
 * index t is discounted by (1 + rate)^t. Results are unrounded; callers round through `rounding.ts`.
 * Pure: safe to import from workflow code.
 */
import { stableSum } from './rounding.js';

export function discountFactor(rate: number, year: number): number {
  return 1 / (1 + rate) ** year;
}

/** Net present value of yearly cash flows at `rate` (flows[0] undiscounted). */
export function netPresentValue(flows: readonly number[], rate: number): number {
  return stableSum(flows.map((c, t) => c * discountFactor(rate, t)));
}

export type IrrResult =
  | { rate: number; reason: null }
  /**
   * `no_sign_change`: every flow has the same sign (or all are zero), so no rate makes NPV zero;
   * `multiple_roots`: non-conventional flows with more than one rate making NPV zero, so IRR is ambiguous;
   * `no_root_in_range`: no root between -99.99 % and 10,000 %.
   */
  | { rate: null; reason: 'no_sign_change' | 'multiple_roots' | 'no_root_in_range' };

const IRR_LOW = -0.9999;
const IRR_HIGH = 100;

function signChanges(flows: readonly number[]): number {
  let changes = 0;
  let last = 0;
  for (const c of flows) {
    if (c === 0) continue;
    const s = Math.sign(c);
    if (last !== 0 && s !== last) changes++;
    last = s;
  }
  return changes;
}

/** Bisection on [lo, hi] where NPV changes sign; 200 halvings reach the float resolution of the bracket. */
function bisect(flows: readonly number[], lo: number, hi: number): number {
  let fLo = netPresentValue(flows, lo);
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    const fMid = netPresentValue(flows, mid);
    if (fMid === 0) return mid;
    if (Math.sign(fMid) === Math.sign(fLo)) {
      lo = mid;
      fLo = fMid;
    } else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The rates scanned for sign changes of NPV: dense near zero, coarser further out. */
const IRR_GRID: readonly number[] = (() => {
  const grid: number[] = [IRR_LOW];
  for (let r = -0.99; r < 1; r += 0.01) grid.push(Math.round(r * 100) / 100);
  for (let r = 1; r < 10; r += 0.1) grid.push(Math.round(r * 10) / 10);
  for (let r = 10; r <= IRR_HIGH; r += 1) grid.push(r);
  return grid;
})();

/**
 * Internal rate of return: the rate at which NPV is zero, by bisection. Conventional flows (one sign change)
 * have exactly one root, bracketed directly; otherwise a grid is scanned for sign changes of NPV and each is
 * bisected. Null (with the reason) when it is undefined or ambiguous.
 */
export function internalRateOfReturn(flows: readonly number[]): IrrResult {
  const changes = signChanges(flows);
  if (changes === 0) return { rate: null, reason: 'no_sign_change' };
  if (changes === 1) {
    // Descartes' rule of signs in x = 1/(1+r): exactly one root for r > -1, so bracket it and bisect.
    const atLow = netPresentValue(flows, IRR_LOW);
    if (atLow === 0) return { rate: IRR_LOW, reason: null };
    let hi = 1;
    let atHi = netPresentValue(flows, hi);
    while (atHi !== 0 && Math.sign(atHi) === Math.sign(atLow) && hi < IRR_HIGH) {
      hi = Math.min(IRR_HIGH, hi * 4);
      atHi = netPresentValue(flows, hi);
    }
    if (atHi === 0) return { rate: hi, reason: null };
    if (Math.sign(atHi) === Math.sign(atLow)) return { rate: null, reason: 'no_root_in_range' };
    return { rate: bisect(flows, IRR_LOW, hi), reason: null };
  }
  const roots: number[] = [];
  let prevRate = IRR_GRID[0]!;
  let prevNpv = netPresentValue(flows, prevRate);
  if (prevNpv === 0) roots.push(prevRate);
  for (let i = 1; i < IRR_GRID.length; i++) {
    const rate = IRR_GRID[i]!;
    const value = netPresentValue(flows, rate);
    if (value === 0) roots.push(rate);
    else if (prevNpv !== 0 && Math.sign(value) !== Math.sign(prevNpv)) roots.push(bisect(flows, prevRate, rate));
    prevRate = rate;
    prevNpv = value;
    if (roots.length > 1) return { rate: null, reason: 'multiple_roots' };
  }
  const root = roots[0];
  return root === undefined ? { rate: null, reason: 'no_root_in_range' } : { rate: root, reason: null };
}

/**
 * Payback period in years: the point after which cumulative (optionally discounted) cash flow stays at or above
 * zero, interpolated linearly within the year it is crossed. 0 when it never goes negative; null when it ends
 * below zero (never paid back).
 */
export function paybackPeriod(flows: readonly number[], rate = 0): number | null {
  const discounted = flows.map((c, t) => c * discountFactor(rate, t));
  const cumulative: number[] = [];
  let running = 0;
  for (const c of discounted) {
    running += c;
    cumulative.push(running);
  }
  if (cumulative.length === 0 || cumulative[cumulative.length - 1]! < 0) return null;
  let lastNegative = -1;
  cumulative.forEach((c, t) => {
    if (c < 0) lastNegative = t;
  });
  if (lastNegative === -1) return 0;
  const before = cumulative[lastNegative]!;
  const flow = discounted[lastNegative + 1]!;
  return lastNegative + -before / flow;
}

export interface CostLine {
  key: string;
  /** Spent once, now (year 0). */
  oneOff: number;
  /** Spent each year 1..horizon, escalating by `escalation` per year after the first. */
  annual: number;
}

export interface CostYear {
  year: number;
  /** Nominal cost per line in this year. */
  lines: { key: string; nominal: number }[];
  nominal: number;
  discountFactor: number;
  presentValue: number;
}

export interface CostSchedule {
  years: CostYear[];
  /** Per line: nominal total and present value over the horizon. */
  lines: { key: string; nominal: number; presentValue: number }[];
  nominalTotal: number;
  /** Discounted total cost of ownership. */
  presentValue: number;
}

/** Yearly cost schedule over `horizonYears`, discounted at `rate`: the discounted TCO. */
export function costSchedule(lines: readonly CostLine[], horizonYears: number, rate: number, escalation = 0): CostSchedule {
  const years: CostYear[] = [];
  for (let year = 0; year <= horizonYears; year++) {
    const perLine = lines.map((l) => ({ key: l.key, nominal: year === 0 ? l.oneOff : l.annual * (1 + escalation) ** (year - 1) }));
    const nominal = stableSum(perLine.map((l) => l.nominal));
    const factor = discountFactor(rate, year);
    years.push({ year, lines: perLine, nominal, discountFactor: factor, presentValue: nominal * factor });
  }
  const lineTotals = lines.map((l, i) => {
    const nominals = years.map((y) => y.lines[i]!.nominal);
    return {
      key: l.key,
      nominal: stableSum(nominals),
      presentValue: stableSum(years.map((y, t) => nominals[t]! * y.discountFactor)),
    };
  });
  return {
    years,
    lines: lineTotals,
    nominalTotal: stableSum(years.map((y) => y.nominal)),
    presentValue: stableSum(years.map((y) => y.presentValue)),
  };
}
