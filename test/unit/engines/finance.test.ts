import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { costSchedule, internalRateOfReturn, netPresentValue, paybackPeriod } from '../../../domain/engines/finance.js';
import { addDays } from '../../../domain/engines/calendar.js';
import { compareNatural, round, roundMoney, roundScore, stableSum } from '../../../domain/engines/rounding.js';

describe('rounding', () => {
  it('rounds half away from zero without binary noise and never returns -0', () => {
    expect(round(1.005, 2)).toBe(1.01);
    expect(round(2.675, 2)).toBe(2.68);
    expect(round(-1.005, 2)).toBe(-1.01);
    expect(roundScore(7.45000000001)).toBe(7.45);
    expect(roundScore(0.123449999)).toBe(0.1234);
    expect(Object.is(roundMoney(-0.001), 0)).toBe(true);
    expect(() => round(Number.NaN, 2)).toThrow(RangeError);
  });

  it('sums order-independently, to the bit', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true })), (xs) => {
        expect(Object.is(stableSum([...xs].reverse()), stableSum(xs)) || stableSum(xs) === 0).toBe(true);
        expect(stableSum([...xs].sort())).toBe(stableSum(xs));
      }),
    );
    // naive left-to-right gives 0.6000000000000001 one way and 0.6 the other
    expect(stableSum([0.1, 0.2, 0.3])).toBe(stableSum([0.3, 0.2, 0.1]));
  });

  it('orders identifiers naturally', () => {
    expect(['GOVERN 1.10', 'GOVERN 1.2', 'A.10.2', 'A.6.2.8', 'A.6.2.10'].sort(compareNatural)).toEqual(['A.6.2.8', 'A.6.2.10', 'A.10.2', 'GOVERN 1.2', 'GOVERN 1.10']);
  });
});

describe('finance', () => {
  it('NPV: −1000, 300, 400, 500, 200 at 10 % is 115.57', () => {
    // 300/1.1 = 272.7273, 400/1.21 = 330.5785, 500/1.331 = 375.6574, 200/1.4641 = 136.6027; Σ − 1000 = 115.5659
    expect(roundMoney(netPresentValue([-1000, 300, 400, 500, 200], 0.1))).toBe(115.57);
    expect(netPresentValue([-100, 110], 0.1)).toBeCloseTo(0, 12);
  });

  it('IRR by bisection: textbook cases and null when undefined', () => {
    // −100 then 110: 10 %. −1000, 300, 400, 500, 200: NPV(15 %) = 6.44 > 0 > NPV(16 %) = −13.32 → 15.32 %.
    expect(internalRateOfReturn([-100, 110]).rate).toBeCloseTo(0.1, 10);
    const irr = internalRateOfReturn([-1000, 300, 400, 500, 200]).rate!;
    expect(irr).toBeGreaterThan(0.15);
    expect(irr).toBeLessThan(0.16);
    expect(netPresentValue([-1000, 300, 400, 500, 200], irr)).toBeCloseTo(0, 6);
    // −100 then 50, 50: NPV(0) = 0 → IRR 0. Losing money: −100, 40, 40 → with x = 1/(1+r): 40x² + 40x − 100 = 0,
    // x = (−1 + √11)/2 = 1.15831 → r = 1/x − 1 = −0.13668.
    expect(internalRateOfReturn([-100, 50, 50]).rate).toBeCloseTo(0, 10);
    expect(internalRateOfReturn([-100, 40, 40]).rate).toBeCloseTo(-0.13668, 5);
    expect(internalRateOfReturn([100, 200])).toEqual({ rate: null, reason: 'no_sign_change' });
    expect(internalRateOfReturn([0, 0])).toEqual({ rate: null, reason: 'no_sign_change' });
    // −100, 230, −132: NPV zero at 10 % and 20 % → ambiguous.
    expect(internalRateOfReturn([-100, 230, -132])).toEqual({ rate: null, reason: 'multiple_roots' });
  });

  it('IRR zeroes NPV for any conventional investment', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }), (invest, inflows) => {
        fc.pre(inflows.some((x) => x > 1e-3));
        const flows = [-invest, ...inflows];
        const r = internalRateOfReturn(flows);
        if (r.rate === null) {
          expect(r.reason).toBe('no_root_in_range');
          return;
        }
        expect(Math.abs(netPresentValue(flows, r.rate))).toBeLessThan(1e-6 * Math.max(invest, ...inflows));
      }),
    );
  });

  it('payback interpolates within the year and is null when never reached', () => {
    // cumulative −1000, −700, −300, +200 → 2 + 300/500 = 2.6
    expect(paybackPeriod([-1000, 300, 400, 500, 200])).toBeCloseTo(2.6, 12);
    expect(paybackPeriod([-100, 50, 50])).toBe(2);
    expect(paybackPeriod([100, 10])).toBe(0);
    expect(paybackPeriod([-100, 50, 40])).toBeNull();
    // dips again after the first recovery: the last crossing counts (−100, +150 → 50, −100 → −50, +100 → 50): 2 + 50/100
    expect(paybackPeriod([-100, 150, -100, 100])).toBeCloseTo(2.5, 12);
    // discounted at 10 %: −100, 60/1.1 = 54.545, 60/1.21 = 49.587 → 1 + 45.455/49.587 = 1.9167
    expect(paybackPeriod([-100, 60, 60], 0.1)).toBeCloseTo(1.9167, 4);
  });

  it('cost schedule: one-off now, recurring from year 1 with escalation, discounted', () => {
    // 1000 now; 100 a year growing 10 %: 100, 110, 121; at 10 % each discounts to 90.909, 90.909, 90.909
    const s = costSchedule([{ key: 'a', oneOff: 1000, annual: 100 }], 3, 0.1, 0.1);
    expect(s.years.map((y) => roundMoney(y.nominal))).toEqual([1000, 100, 110, 121]);
    expect(roundMoney(s.presentValue)).toBe(1272.73);
    expect(roundMoney(s.nominalTotal)).toBe(1331);
    expect(roundMoney(s.lines[0]!.presentValue)).toBe(1272.73);
  });
});

describe('calendar', () => {
  it('adds days across month, year and leap-year boundaries like Date.UTC', () => {
    expect(addDays('2025-03-10', 30)).toBe('2025-04-09');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }), fc.integer({ min: -1000, max: 5000 }), (ms, days) => {
        const start = new Date(ms).toISOString().slice(0, 10);
        const expected = new Date(Date.parse(`${start}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
        expect(addDays(start, days)).toBe(expected);
      }),
    );
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
  });
});
