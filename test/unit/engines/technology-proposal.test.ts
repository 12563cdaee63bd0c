import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EngineInputError } from '../../../domain/engines/errors.js';
import {
  TECHNOLOGY_DIMENSIONS,
  costScore,
  evaluateTechnologyProposal,
  parseTechnologyProposalInput,
  runTechnologyProposal,
  type TechnologyProposalInput,
} from '../../../domain/engines/technology-proposal.js';
import { technologyProposal, thrown } from './fixtures.js';

// Policy (fixture): weights fit 0.25, integration 0.20, security 0.20, support 0.10, cost 0.15, risk 0.10;
// discount 8 % over 3 years; approve ≥ 7, conditional ≥ 5.5, dimension floor 5; radar adopt 8, trial 6.5, assess 5.
const worked: TechnologyProposalInput = {
  technology: 'PostgreSQL pgvector',
  strategicFit: { ai_capability_enhancement: 8, competitive_advantage: 7, innovation_potential: 9, market_readiness: 6 },
  enterpriseIntegration: 8,
  securityCompliance: 4,
  supportEcosystem: 7,
  implementationRiskLevel: 3,
  costs: { currency: 'EUR', budget: 250_000, migrationOneOff: 50_000, annual: { licences: 20_000, infrastructure: 10_000, staffing: 30_000 }, annualEscalation: 0 },
};

describe('technology proposal: worked example', () => {
  const r = evaluateTechnologyProposal(worked, technologyProposal());

  it('discounts the multi-year cost model into a TCO', () => {
    // Year 0: migration 50,000. Years 1-3: 60,000 each, discount factors 1/1.08 = 0.925926, 1/1.1664 = 0.857339,
    // 1/1.259712 = 0.793832 → 55,555.56 + 51,440.33 + 47,629.93. TCO = 204,625.82; nominal 230,000.
    expect(r.tco.years.map((y) => [y.year, y.nominal, y.discountFactor, y.presentValue])).toEqual([
      [0, 50_000, 1, 50_000],
      [1, 60_000, 0.925926, 55_555.56],
      [2, 60_000, 0.857339, 51_440.33],
      [3, 60_000, 0.793832, 47_629.93],
    ]);
    expect(r.tco.years[1]).toMatchObject({ licences: 20_000, infrastructure: 10_000, staffing: 30_000, migration: 0 });
    expect(r.tco).toMatchObject({ nominalTotal: 230_000, presentValue: 204_625.82, budgetRatio: 0.818503, overBudget: false });
  });

  it('scores each dimension with its inputs, weight and contribution', () => {
    // fit (8+7+9+6)/4 = 7.5; cost 10 × (1.5 − 0.818503) = 6.815; risk 10 − 3 = 7
    // total = 1.875 + 1.6 + 0.8 + 0.7 + 0.15 × 6.81497 (1.0222) + 0.7 = 6.6972
    expect(r.dimensions.map((d) => [d.key, d.weight, d.score, d.contribution])).toEqual([
      ['strategic_fit', 0.25, 7.5, 1.875],
      ['enterprise_integration', 0.2, 8, 1.6],
      ['security_compliance', 0.2, 4, 0.8],
      ['support_ecosystem', 0.1, 7, 0.7],
      ['cost', 0.15, 6.815, 1.0222],
      ['implementation_risk', 0.1, 7, 0.7],
    ]);
    expect(r.dimensions[4]!.inputs).toEqual({ discountedTco: 204_625.82, budget: 250_000, budgetRatio: 0.818503 });
    expect(r.dimensions[5]!.inputs).toEqual({ implementationRiskLevel: 3 });
    expect(r.total).toBe(6.6972);
  });

  it('approves with a named condition per dimension below the floor and places it in trial', () => {
    // 5.5 ≤ 6.6972 < 7 → conditional; security 4 < floor 5 → one condition; 6.5 ≤ 6.6972 < 8 → trial.
    expect(r.decision).toBe('approved_with_conditions');
    expect(r.conditions).toEqual([
      { key: 'security_compliance_below_floor', dimension: 'security_compliance', score: 4, floor: 5, condition: expect.stringContaining('security and compliance review') },
    ]);
    expect(r.radar).toMatchObject({ ring: 'trial' });
    expect(r.implementationGuidance[0]).toMatch(/^Condition: /);
  });

  it('approves outright when the total and every dimension clear their bars, and rejects below the conditional bar', () => {
    // security 9: +0.2 × 5 = +1 → 7.6972 ≥ 7, no dimension below 5 → approved; 7.6972 < 8 → trial.
    const good = evaluateTechnologyProposal({ ...worked, securityCompliance: 9 }, technologyProposal());
    expect(good).toMatchObject({ total: 7.6972, decision: 'approved', conditions: [], radar: { ring: 'trial' } });
    // all dimension inputs 10, risk 0, cost 10 (TCO ≤ half the budget) → 10 → adopt.
    const best = evaluateTechnologyProposal(
      { ...worked, strategicFit: { ai_capability_enhancement: 10, competitive_advantage: 10, innovation_potential: 10, market_readiness: 10 }, enterpriseIntegration: 10, securityCompliance: 10, supportEcosystem: 10, implementationRiskLevel: 0, costs: { ...worked.costs, budget: 1_000_000 } },
      technologyProposal(),
    );
    expect(best).toMatchObject({ total: 10, decision: 'approved', radar: { ring: 'adopt' } });
    // integration 2, security 2: 6.6972 − 0.2 × 6 − 0.2 × 2 = 5.0972 < 5.5 → rejected, held whatever the radar thresholds say (≥ 5 = assess).
    const bad = evaluateTechnologyProposal({ ...worked, enterpriseIntegration: 2, securityCompliance: 2 }, technologyProposal());
    expect(bad).toMatchObject({ total: 5.0972, decision: 'rejected', radar: { ring: 'hold' } });
  });

  it('attaches an overall condition when conditional only by total', () => {
    // Every dimension ≥ 5 but total < 7: fit 6, integration 6, security 6, support 6, risk level 4 (6), cost 6.814967:
    // 1.5 + 1.2 + 1.2 + 0.6 + 1.022245 + 0.6 = 6.122245 → 6.1222
    const r2 = evaluateTechnologyProposal(
      { ...worked, strategicFit: { ai_capability_enhancement: 6, competitive_advantage: 6, innovation_potential: 6, market_readiness: 6 }, enterpriseIntegration: 6, securityCompliance: 6, supportEcosystem: 6, implementationRiskLevel: 4 },
      technologyProposal(),
    );
    expect(r2.total).toBe(6.1222);
    expect(r2.decision).toBe('approved_with_conditions');
    expect(r2.conditions.map((c) => c.key)).toEqual(['overall_below_approval']);
    expect(r2.radar.ring).toBe('assess');
  });

  it('escalates recurring costs and scores cost against the budget', () => {
    // 3 % escalation: years 60,000, 61,800, 63,654
    const r3 = evaluateTechnologyProposal({ ...worked, costs: { ...worked.costs, annualEscalation: 0.03 } }, technologyProposal());
    expect(r3.tco.years.map((y) => y.nominal)).toEqual([50_000, 60_000, 61_800, 63_654]);
    expect(costScore(0.5)).toBe(10);
    expect(costScore(1)).toBe(5);
    expect(costScore(1.5)).toBe(0);
    expect(costScore(3)).toBe(0);
  });
});

describe('technology proposal: validation', () => {
  it('names fields on the fixed 0-10 scale and policy factors', () => {
    const e = thrown(() => runTechnologyProposal({ ...worked, securityCompliance: 12 }, technologyProposal())) as EngineInputError;
    expect(e).toBeInstanceOf(EngineInputError);
    expect(e.message).toBe('securityCompliance: expected a number between 0 and 10');
    const e2 = thrown(() => runTechnologyProposal({ ...worked, strategicFit: { ...worked.strategicFit, hype: 3 } }, technologyProposal())) as EngineInputError;
    expect(e2.field).toBe('strategicFit.hype');
    const e3 = thrown(() => parseTechnologyProposalInput({ ...worked, costs: { ...worked.costs, currency: 'euro', budget: 0 } })) as EngineInputError;
    expect(e3.fields.map((f) => f.path)).toEqual(['costs.currency', 'costs.budget']);
  });
});

const dim = fc.double({ min: 0, max: 10, noNaN: true });
const money = fc.double({ min: 0, max: 1e6, noNaN: true });
const inputArb = fc.record({
  technology: fc.constant('T'),
  strategicFit: fc.record({ ai_capability_enhancement: dim, competitive_advantage: dim, innovation_potential: dim, market_readiness: dim }),
  enterpriseIntegration: dim,
  securityCompliance: dim,
  supportEcosystem: dim,
  implementationRiskLevel: dim,
  costs: fc.record({
    currency: fc.constant('EUR'),
    budget: fc.double({ min: 1, max: 1e7, noNaN: true }),
    migrationOneOff: money,
    annual: fc.record({ licences: money, infrastructure: money, staffing: money }),
    annualEscalation: fc.double({ min: 0, max: 0.2, noNaN: true }),
  }),
}) as fc.Arbitrary<TechnologyProposalInput>;

describe('technology proposal: properties', () => {
  it('raising a score never lowers the total; raising a cost or the risk level never raises it', () => {
    fc.assert(
      fc.property(inputArb, dim, money, (input, bump, extra) => {
        const p = technologyProposal();
        const base = evaluateTechnologyProposal(input, p).total;
        const up = (v: number) => Math.min(10, v + bump);
        const better = [
          { ...input, enterpriseIntegration: up(input.enterpriseIntegration) },
          { ...input, securityCompliance: up(input.securityCompliance) },
          { ...input, supportEcosystem: up(input.supportEcosystem) },
          { ...input, strategicFit: { ...input.strategicFit, market_readiness: up(input.strategicFit.market_readiness!) } },
          { ...input, costs: { ...input.costs, budget: input.costs.budget + extra } },
        ];
        for (const b of better) expect(evaluateTechnologyProposal(b, p).total).toBeGreaterThanOrEqual(base);
        const worse = [
          { ...input, implementationRiskLevel: up(input.implementationRiskLevel) },
          { ...input, costs: { ...input.costs, migrationOneOff: input.costs.migrationOneOff + extra } },
          { ...input, costs: { ...input.costs, annual: { ...input.costs.annual, staffing: input.costs.annual.staffing + extra } } },
        ];
        for (const w of worse) expect(evaluateTechnologyProposal(w, p).total).toBeLessThanOrEqual(base);
      }),
    );
  });

  it('keeps totals within 0-10 and is deterministic to the byte', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const r = evaluateTechnologyProposal(input, technologyProposal());
        expect(r.total).toBeGreaterThanOrEqual(0);
        expect(r.total).toBeLessThanOrEqual(10);
        expect(JSON.stringify(evaluateTechnologyProposal(structuredClone(input), technologyProposal()))).toBe(JSON.stringify(r));
      }),
    );
  });

  it('honours weights exactly: one-hot weights make the total that dimension’s score', () => {
    fc.assert(
      fc.property(inputArb, fc.constantFrom(...TECHNOLOGY_DIMENSIONS), (input, hot) => {
        const p = technologyProposal();
        for (const k of TECHNOLOGY_DIMENSIONS) p.weights[k] = k === hot ? 1 : 0;
        const r = evaluateTechnologyProposal(input, p);
        expect(r.total).toBe(r.dimensions.find((d) => d.key === hot)!.score);
      }),
    );
  });

  it('reordering the strategic-fit factors changes no score', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const p = technologyProposal();
        const q = technologyProposal();
        q.strategicFitFactors.reverse();
        const a = evaluateTechnologyProposal(input, p);
        const b = evaluateTechnologyProposal(input, q);
        expect(b.total).toBe(a.total);
        expect(b.dimensions.map((d) => d.score)).toEqual(a.dimensions.map((d) => d.score));
      }),
    );
  });
});
