import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { EngineInputError } from '../../../domain/engines/errors.js';
import {
  INITIATIVE_DIMENSIONS,
  evaluateStrategicInitiative,
  roiScore,
  runStrategicInitiative,
  type StrategicInitiativeInput,
} from '../../../domain/engines/strategic-initiative.js';
import { strategicInitiative, thrown } from './fixtures.js';

// Policy (fixture): weights value 0.25, feasibility 0.15, market 0.15, resources 0.10, risk 0.15, roi 0.20;
// discount 10 %; pursue ≥ 7, with conditions ≥ 5.5.
const worked: StrategicInitiativeInput = {
  initiative: 'AI-assisted claims triage',
  strategicValue: { business_alignment: 8, competitive_differentiation: 7, market_expansion: 6, operational_efficiency: 9, innovation_potential: 5 },
  technicalFeasibility: 8,
  marketOpportunity: 6,
  resourceDemandLevel: 4,
  implementationRiskLevel: 5,
  currency: 'EUR',
  cashFlows: [-1000, 300, 400, 500, 200],
};

describe('strategic initiative: worked example', () => {
  const r = evaluateStrategicInitiative(worked, strategicInitiative());

  it('computes NPV, IRR and payback from the cash flows', () => {
    // NPV = −1000 + 272.7273 + 330.5785 + 375.6574 + 136.6027 = 115.5659
    // payback: cumulative −1000, −700, −300, +200 → 2 + 300/500 = 2.6
    // discounted payback: −1000, −727.27, −396.69, −21.03, +115.57 → 3 + 21.0328/136.6027 = 3.154
    expect(r.financials).toMatchObject({
      npv: 115.57,
      presentValueOfOutflows: 1000,
      paybackYears: 2.6,
      discountedPaybackYears: 3.154,
      discountedCashFlows: [-1000, 272.73, 330.58, 375.66, 136.6],
      irr: { rate: 0.153221, reason: null },
    });
  });

  it('scores six weighted dimensions', () => {
    // value (8+7+6+9+5)/5 = 7; resources 10 − 4 = 6; risk 10 − 5 = 5; roi 10 × (1 + 115.5659/1000)/2 = 5.5778
    // total = 1.75 + 1.2 + 0.9 + 0.6 + 0.75 + 0.2 × 5.57783 (1.1156) = 6.3156
    expect(r.dimensions.map((d) => [d.key, d.weight, d.score, d.contribution])).toEqual([
      ['strategic_value', 0.25, 7, 1.75],
      ['technical_feasibility', 0.15, 8, 1.2],
      ['market_opportunity', 0.15, 6, 0.9],
      ['resource_requirements', 0.1, 6, 0.6],
      ['implementation_risk', 0.15, 5, 0.75],
      ['roi', 0.2, 5.5778, 1.1156],
    ]);
    expect(r.total).toBe(6.3156);
  });

  it('recommends pursuing with conditions, with success metrics and a risk plan', () => {
    // 5.5 ≤ 6.3156 < 7; implementation risk 5 < 5.5 → condition and medium risk (5 ≥ 4).
    expect(r.recommendation).toBe('pursue_with_conditions');
    expect(r.conditions.map((c) => c.key)).toEqual(['implementation_risk_below_floor']);
    expect(r.riskPlan).toEqual([expect.objectContaining({ key: 'implementation_risk', severity: 'medium' })]);
    expect(r.successMetrics.map((m) => m.key)).toEqual([
      'npv',
      'payback',
      'irr',
      'business_alignment',
      'competitive_differentiation',
      'market_expansion',
      'operational_efficiency',
      'innovation_potential',
    ]);
    expect(r.successMetrics[1]!.target).toBe('≤ 2.6 years');
    expect(r.rationale).toContain('NPV 115.57 EUR at 0.1, IRR 0.153221, payback 2.6 years');
  });

  it('pursue, defer and reject', () => {
    // All 10, levels 0, NPV = −1000 + 2000/1.1 = 818.18 → roi 10 × 1.81818/2 = 9.0909; total 8 + 0.2 × 9.0909 = 9.8182 → pursue.
    const strong = evaluateStrategicInitiative(
      { ...worked, strategicValue: { business_alignment: 10, competitive_differentiation: 10, market_expansion: 10, operational_efficiency: 10, innovation_potential: 10 }, technicalFeasibility: 10, marketOpportunity: 10, resourceDemandLevel: 0, implementationRiskLevel: 0, cashFlows: [-1000, 2000] },
      strategicInitiative(),
    );
    expect(strong).toMatchObject({ total: 9.8182, recommendation: 'pursue', conditions: [] });
    expect(strong.riskPlan.map((p) => p.key)).toEqual(['routine']);
    // Value stays 7 but feasibility 2, market 2, risk level 9, never paid back (−1000, 100, 100):
    // NPV = −1000 + 90.909 + 82.645 = −826.45 → roi 10 × (1 − 0.82645)/2 = 0.8678
    // total = 1.75 + 0.3 + 0.3 + 0.6 + 0.15 + 0.1736 = 3.2736 < 5.5 and NPV < 0 → reject
    const weak = { ...worked, technicalFeasibility: 2, marketOpportunity: 2, implementationRiskLevel: 9, cashFlows: [-1000, 100, 100] };
    const rejected = evaluateStrategicInitiative(weak, strategicInitiative());
    expect(rejected).toMatchObject({ total: 3.2736, recommendation: 'reject', conditions: [] });
    expect(rejected.financials).toMatchObject({ npv: -826.45, paybackYears: null, irr: { rate: expect.any(Number) } });
    expect(rejected.riskPlan.map((p) => [p.key, p.severity])).toEqual([
      ['roi', 'high'],
      ['implementation_risk', 'high'],
      ['market_opportunity', 'high'],
      ['technical_feasibility', 'high'],
      ['no_payback', 'high'],
    ]);
    // Same scores, but −1000 then 1100: NPV = −1000 + 1000 = 0 → roi 5; total 3.2736 − 0.1736 + 1 = 4.1 < 5.5, NPV ≥ 0 → defer.
    // Payback: cumulative −1000, +100 → 1000/1100 = 0.9091 years.
    const deferred = evaluateStrategicInitiative({ ...weak, cashFlows: [-1000, 1100] }, strategicInitiative());
    expect(deferred).toMatchObject({ total: 4.1, recommendation: 'defer', conditions: [] });
    expect(deferred.financials).toMatchObject({ npv: 0, paybackYears: 0.9091, irr: { rate: 0.1 } });
  });

  it('IRR null is reported with its reason', () => {
    const r2 = evaluateStrategicInitiative({ ...worked, cashFlows: [100, 100] }, strategicInitiative());
    expect(r2.financials.irr).toEqual({ rate: null, reason: 'no_sign_change' });
    expect(r2.riskPlan.map((p) => p.key)).toContain('irr_undefined');
    expect(roiScore(100, 0)).toBe(10);
    expect(roiScore(0, 0)).toBe(5);
  });

  it('validates factors and cash flows', () => {
    const e = thrown(() => runStrategicInitiative({ ...worked, strategicValue: { business_alignment: 8 }, cashFlows: [1] }, strategicInitiative())) as EngineInputError;
    expect(e.fields.map((f) => f.path)).toEqual(['cashFlows']);
    const e2 = thrown(() => runStrategicInitiative({ ...worked, strategicValue: { ...worked.strategicValue, market_expansion: -1 } }, strategicInitiative())) as EngineInputError;
    expect(e2.message).toBe('strategicValue.market_expansion: expected a number between 0 and 10');
    const e3 = thrown(() => runStrategicInitiative({ ...worked, strategicValue: { business_alignment: 8 } }, strategicInitiative())) as EngineInputError;
    expect(e3.field).toBe('strategicValue.competitive_differentiation');
  });
});

const dim = fc.double({ min: 0, max: 10, noNaN: true });
const flows = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 12 });
const inputArb = fc.record({
  initiative: fc.constant('I'),
  strategicValue: fc.record({ business_alignment: dim, competitive_differentiation: dim, market_expansion: dim, operational_efficiency: dim, innovation_potential: dim }),
  technicalFeasibility: dim,
  marketOpportunity: dim,
  resourceDemandLevel: dim,
  implementationRiskLevel: dim,
  currency: fc.constant('EUR'),
  cashFlows: flows,
}) as fc.Arbitrary<StrategicInitiativeInput>;

describe('strategic initiative: properties', () => {
  it('raising a score or a cash inflow never lowers the total; raising a level never raises it', () => {
    fc.assert(
      fc.property(inputArb, dim, fc.nat(11), fc.double({ min: 0, max: 1e6, noNaN: true }), (input, bump, year, extra) => {
        const p = strategicInitiative();
        const base = evaluateStrategicInitiative(input, p).total;
        const up = (v: number) => Math.min(10, v + bump);
        const t = year % input.cashFlows.length;
        const better: StrategicInitiativeInput[] = [
          { ...input, technicalFeasibility: up(input.technicalFeasibility) },
          { ...input, marketOpportunity: up(input.marketOpportunity) },
          { ...input, strategicValue: { ...input.strategicValue, innovation_potential: up(input.strategicValue.innovation_potential!) } },
          { ...input, cashFlows: input.cashFlows.map((c, i) => (i === t ? c + extra : c)) },
        ];
        for (const b of better) expect(evaluateStrategicInitiative(b, p).total).toBeGreaterThanOrEqual(base);
        expect(evaluateStrategicInitiative({ ...input, implementationRiskLevel: up(input.implementationRiskLevel) }, p).total).toBeLessThanOrEqual(base);
        expect(evaluateStrategicInitiative({ ...input, resourceDemandLevel: up(input.resourceDemandLevel) }, p).total).toBeLessThanOrEqual(base);
      }),
    );
  });

  it('totals stay within 0-10; one-hot weights give that dimension’s score', () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom(...INITIATIVE_DIMENSIONS), (input, hot) => {
        const r = evaluateStrategicInitiative(input, strategicInitiative());
        expect(r.total).toBeGreaterThanOrEqual(0);
        expect(r.total).toBeLessThanOrEqual(10);
        const p = strategicInitiative();
        for (const k of INITIATIVE_DIMENSIONS) p.weights[k] = k === hot ? 1 : 0;
        const one = evaluateStrategicInitiative(input, p);
        expect(one.total).toBe(one.dimensions.find((d) => d.key === hot)!.score);
      }),
    );
  });

  it('reordering the strategic-value factors changes nothing but their listing order', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const q = strategicInitiative();
        q.strategicValueFactors.reverse();
        const a = evaluateStrategicInitiative(input, strategicInitiative());
        const b = evaluateStrategicInitiative(input, q);
        expect(b.total).toBe(a.total);
        expect(b.recommendation).toBe(a.recommendation);
        expect(b.dimensions.map((d) => d.score)).toEqual(a.dimensions.map((d) => d.score));
      }),
    );
  });
});
