import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { EngineInputError } from '../../../domain/engines/errors.js';
import { MONEY_LIMIT } from '../../../domain/engines/inputs.js';
import { round, roundMoney } from '../../../domain/engines/rounding.js';
import { runStrategicInitiative } from '../../../domain/engines/strategic-initiative.js';
import { runTechnologyProposal } from '../../../domain/engines/technology-proposal.js';
import { strategicInitiative, technologyProposal, thrown } from './fixtures.js';

/** Every number anywhere in a result. */
function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbersIn);
  return [];
}

const dim = fc.double({ min: 0, max: 10, noNaN: true });
const anyMoney = fc.double({ min: 0, max: MONEY_LIMIT, noNaN: true });
const proposal = (costs: Record<string, unknown>) => ({
  technology: 'T',
  strategicFit: { ai_capability_enhancement: 5, competitive_advantage: 5, innovation_potential: 5, market_readiness: 5 },
  enterpriseIntegration: 5,
  securityCompliance: 5,
  supportEcosystem: 5,
  implementationRiskLevel: 5,
  costs: { currency: 'EUR', budget: 1000, migrationOneOff: 0, annual: { licences: 0, infrastructure: 0, staffing: 0 }, ...costs },
});
const initiative = (cashFlows: number[]) => ({
  initiative: 'I',
  strategicValue: { business_alignment: 5, competitive_differentiation: 5, market_expansion: 5, operational_efficiency: 5, innovation_potential: 5 },
  technicalFeasibility: 5,
  marketOpportunity: 5,
  resourceDemandLevel: 5,
  implementationRiskLevel: 5,
  currency: 'EUR',
  cashFlows,
});

describe('numeric bounds of the engines', () => {
  it('rounds numbers too large to have decimals to themselves, never to Infinity', () => {
    expect(round(1e308, 4)).toBe(1e308);
    expect(roundMoney(-1e308)).toBe(-1e308);
    expect(roundMoney(1e12 + 0.125)).toBe(1_000_000_000_000.13);
  });

  it('refuses amounts beyond a trillion, naming the field and the rule', () => {
    const e = thrown(() => runTechnologyProposal(proposal({ annual: { licences: 1e308, infrastructure: 0, staffing: 0 } }), technologyProposal())) as EngineInputError;
    expect(e.fields).toEqual([{ path: 'costs.annual.licences', message: 'expected an amount of money of at most 1000000000000' }]);
    const budget = thrown(() => runTechnologyProposal(proposal({ budget: 1e-300 }), technologyProposal())) as EngineInputError;
    expect(budget.fields).toEqual([{ path: 'costs.budget', message: 'expected an amount of money of at least 0.01' }]);
    const flows = thrown(() => runStrategicInitiative(initiative([-1e308, 1e308]), strategicInitiative())) as EngineInputError;
    expect(flows.fields).toEqual([
      { path: 'cashFlows[0]', message: 'expected an amount of money of at least -1000000000000' },
      { path: 'cashFlows[1]', message: 'expected an amount of money of at most 1000000000000' },
    ]);
  });

  it('gives only finite numbers for any input within the bounds (the longest horizon, the steepest escalation)', () => {
    const policy = { ...technologyProposal(), horizonYears: 15 };
    fc.assert(
      fc.property(
        fc.record({ budget: fc.double({ min: 0.01, max: MONEY_LIMIT, noNaN: true }), migrationOneOff: anyMoney, licences: anyMoney, escalation: fc.double({ min: -0.5, max: 1, noNaN: true }), risk: dim }),
        (c) => {
          const result = runTechnologyProposal(
            { ...proposal({ budget: c.budget, migrationOneOff: c.migrationOneOff, annual: { licences: c.licences, infrastructure: c.licences, staffing: c.licences }, annualEscalation: c.escalation }), implementationRiskLevel: c.risk },
            policy,
          );
          expect(numbersIn(result).every(Number.isFinite)).toBe(true);
        },
      ),
    );
    fc.assert(
      fc.property(fc.array(fc.double({ min: -MONEY_LIMIT, max: MONEY_LIMIT, noNaN: true }), { minLength: 2, maxLength: 51 }), (cashFlows) => {
        const result = runStrategicInitiative(initiative(cashFlows), strategicInitiative());
        expect(numbersIn(result).every(Number.isFinite)).toBe(true);
        expect(result.rationale).not.toMatch(/Infinity|NaN/);
      }),
    );
  });
});
