import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluateDecisionMatrix, parseDecisionMatrixInput, runDecisionMatrix, type DecisionMatrixInput } from '../../../domain/engines/decision-matrix.js';
import { EngineInputError, EnginePolicyError } from '../../../domain/engines/errors.js';
import type { DecisionCriteriaPolicy } from '../../../domain/policy/types.js';
import { decisionCriteria, thrown, uniformScores } from './fixtures.js';

// Factor order per criterion (fixture = framework):
//   strategic_alignment (0.25): business_objectives, competitive_advantage, market_timing
//   technical_excellence (0.20): scalability, maintainability, performance, security
//   implementation_feasibility (0.20): team_capabilities, timeline_constraints, resource_availability
//   risk_management (0.15): technical_risk, business_risk, operational_risk
//   long_term_value (0.20): sustainability, extensibility, future_proofing
function scores(sa: number[], te: number[], f: number[], r: number[], l: number[]): Record<string, number> {
  const keys = decisionCriteria().criteria.map((c) => c.factors);
  return Object.fromEntries([sa, te, f, r, l].flatMap((vals, i) => vals.map((v, j) => [keys[i]![j]!, v])));
}

// Managed cloud: SA (8+7+9)/3 = 8, TE (9+8+7+8)/4 = 8, IF (6+5+7)/3 = 6, RM (7+8+6)/3 = 7, LTV 8
//   total = 0.25·8 + 0.20·8 + 0.20·6 + 0.15·7 + 0.20·8 = 2 + 1.6 + 1.2 + 1.05 + 1.6 = 7.45
// Self-hosted: SA 6, TE (7+9+8+8)/4 = 8, IF (4+5+3)/3 = 4, RM (5+6+4)/3 = 5, LTV (7+8+9)/3 = 8
//   total = 1.5 + 1.6 + 0.8 + 0.75 + 1.6 = 6.25
// Hybrid: SA 7, TE 8, IF 6, RM 6, LTV 7
//   total = 1.75 + 1.6 + 1.2 + 0.9 + 1.4 = 6.85
const worked: DecisionMatrixInput = {
  decision: 'Vector store for the retrieval platform',
  options: [
    { name: 'Self-hosted', scores: scores([6, 6, 6], [7, 9, 8, 8], [4, 5, 3], [5, 6, 4], [7, 8, 9]) },
    { name: 'Managed cloud', scores: scores([8, 7, 9], [9, 8, 7, 8], [6, 5, 7], [7, 8, 6], [8, 8, 8]) },
    { name: 'Hybrid', scores: scores([7, 7, 7], [8, 8, 8, 8], [6, 6, 6], [6, 6, 6], [7, 7, 7]) },
  ],
};

describe('decision matrix: worked example', () => {
  const result = evaluateDecisionMatrix(worked, decisionCriteria());

  it('scores each criterion as the mean of its factors and totals Σ weight × score', () => {
    expect(result.options.map((o) => [o.name, o.rank, o.total])).toEqual([
      ['Managed cloud', 1, 7.45],
      ['Hybrid', 2, 6.85],
      ['Self-hosted', 3, 6.25],
    ]);
    const cloud = result.options[0]!;
    expect(cloud.criteria.map((c) => [c.key, c.weight, c.score, c.contribution])).toEqual([
      ['strategic_alignment', 0.25, 8, 2],
      ['technical_excellence', 0.2, 8, 1.6],
      ['implementation_feasibility', 0.2, 6, 1.2],
      ['risk_management', 0.15, 7, 1.05],
      ['long_term_value', 0.2, 8, 1.6],
    ]);
    expect(cloud.criteria[0]!.factors).toEqual([
      { key: 'business_objectives', score: 8 },
      { key: 'competitive_advantage', score: 7 },
      { key: 'market_timing', score: 9 },
    ]);
  });

  it('recommends the leader and names the criteria that decided it', () => {
    // Managed cloud − Hybrid per criterion: SA 2 − 1.75 = 0.25, TE 0, IF 0, RM 1.05 − 0.9 = 0.15, LTV 1.6 − 1.4 = 0.2
    expect(result.recommendation).toMatchObject({ status: 'recommended', option: 'Managed cloud', runnerUp: 'Hybrid', margin: 0.6, requiredMargin: 0.25 });
    expect(result.recommendation.decidingCriteria).toEqual([
      { key: 'strategic_alignment', optionContribution: 2, runnerUpContribution: 1.75, difference: 0.25 },
      { key: 'long_term_value', optionContribution: 1.6, runnerUpContribution: 1.4, difference: 0.2 },
      { key: 'risk_management', optionContribution: 1.05, runnerUpContribution: 0.9, difference: 0.15 },
    ]);
    expect(result.recommendation.rationale).toBe(
      'Recommend Managed cloud: Managed cloud scores 7.45 of 10, 0.6 ahead of Hybrid (6.85), at or above the required margin of 0.25. ' +
        'Decided mainly by strategic alignment (+0.25), long term value (+0.2), risk management (+0.15).',
    );
  });

  it('draws risk mitigations from the weakest risk factors and plans around the weakest other factors', () => {
    // Risk factors of Managed cloud: technical 7, business 8, operational 6: the weakest (6) always, none below 6 (60 % of 10).
    expect(result.riskMitigations).toEqual([
      { criterion: 'risk_management', factor: 'operational_risk', score: 6, priority: 'low', action: expect.stringContaining('runbooks') },
    ]);
    // Only timeline_constraints (5) is below 6 among the other factors.
    expect(result.implementationPlan.map((p) => p.key)).toEqual(['prepare', 'pilot', 'rollout', 'review']);
    expect(result.implementationPlan[0]!.activities).toEqual([expect.stringMatching(/^Strengthen timeline constraints \(implementation feasibility, scored 5 of 10\)/)]);
  });

  it('lists every weak risk factor, weakest first, with priorities', () => {
    const input = structuredClone(worked);
    Object.assign(input.options[1]!.scores, { technical_risk: 3, business_risk: 5, operational_risk: 9 });
    const r = evaluateDecisionMatrix(input, decisionCriteria());
    expect(r.recommendation.option).toBe('Managed cloud');
    expect(r.riskMitigations.map((m) => [m.factor, m.score, m.priority])).toEqual([
      ['technical_risk', 3, 'high'],
      ['business_risk', 5, 'medium'],
    ]);
    expect(r.implementationPlan[1]!.activities).toContain('Verify the mitigation of technical risk (high priority)');
  });

  it('reports no clear winner below the policy margin and plans to resolve it first', () => {
    // Hybrid with long_term_value 8 instead of 7: 6.85 + 0.2 = 7.05; then operational_risk 9 instead of 6: RM 7, 7.05 + 0.15 = 7.2.
    // Managed cloud 7.45 − 7.2 = 0.25: exactly the margin, still recommended. One more point on market_timing (+0.25/3):
    // Hybrid SA (7+7+8)/3 = 7.3333, total 7.2833 → margin 0.1667 < 0.25.
    const input = structuredClone(worked);
    Object.assign(input.options[2]!.scores, { sustainability: 8, extensibility: 8, future_proofing: 8, operational_risk: 9 });
    const atMargin = evaluateDecisionMatrix(input, decisionCriteria());
    expect(atMargin.recommendation).toMatchObject({ status: 'recommended', margin: 0.25 });
    input.options[2]!.scores.market_timing = 8;
    const close = evaluateDecisionMatrix(input, decisionCriteria());
    expect(close.options[1]).toMatchObject({ name: 'Hybrid', total: 7.2833 });
    expect(close.recommendation).toMatchObject({ status: 'no_clear_winner', option: 'Managed cloud', margin: 0.1667 });
    expect(close.recommendation.rationale).toMatch(/^No clear winner: Managed cloud scores 7\.45 of 10, 0\.1667 ahead of Hybrid \(7\.2833\), below the required margin of 0\.25\./);
    expect(close.implementationPlan[0]!.key).toBe('resolve');
  });

  it('breaks ties by name', () => {
    const policy = decisionCriteria();
    const r = evaluateDecisionMatrix(
      { decision: 'tie', options: [{ name: 'beta', scores: uniformScores(policy, 5) }, { name: 'Alpha', scores: uniformScores(policy, 5) }, { name: 'alpha', scores: uniformScores(policy, 5) }] },
      policy,
    );
    expect(r.options.map((o) => [o.name, o.rank, o.total])).toEqual([
      ['Alpha', 1, 5],
      ['alpha', 2, 5],
      ['beta', 3, 5],
    ]);
    expect(r.recommendation).toMatchObject({ status: 'no_clear_winner', margin: 0, decidingCriteria: [] });
  });

  it('gives byte-identical JSON for the same input and for reordered options', () => {
    const a = JSON.stringify(evaluateDecisionMatrix(worked, decisionCriteria()));
    const b = JSON.stringify(evaluateDecisionMatrix({ ...worked, options: [...worked.options].reverse() }, decisionCriteria()));
    expect(b).toBe(a);
    expect(JSON.stringify(evaluateDecisionMatrix(worked, decisionCriteria()))).toBe(a);
  });
});

describe('decision matrix: validation', () => {
  it('names the offending field with the policy scale', () => {
    const raw = structuredClone(worked) as { options: { scores: Record<string, unknown> }[] };
    raw.options[1]!.scores.scalability = 11;
    const err = thrown(() => runDecisionMatrix(raw, decisionCriteria()));
    expect(err).toBeInstanceOf(EngineInputError);
    expect((err as EngineInputError).field).toBe('options[1].scores.scalability');
    expect((err as EngineInputError).message).toBe('options[1].scores.scalability: expected a number between 0 and 10');
    expect((err as EngineInputError).code).toBe('ValidationError');
  });

  it('reports missing and unknown factors, non-numbers and duplicate names', () => {
    const raw = structuredClone(worked) as { options: { name: string; scores: Record<string, unknown> }[] };
    delete raw.options[0]!.scores.security;
    raw.options[0]!.scores.vibes = 3;
    expect(() => runDecisionMatrix(raw, decisionCriteria())).toThrow('options[0].scores.security: missing: expected a number between 0 and 10; options[0].scores.vibes: unknown factor');
    raw.options[2]!.scores.performance = 'high';
    const typeError = thrown(() => parseDecisionMatrixInput(raw)) as EngineInputError;
    expect(typeError).toBeInstanceOf(EngineInputError);
    expect(typeError.fields).toEqual([{ path: 'options[2].scores.performance', message: 'expected a number' }]);
    raw.options[2]!.scores.performance = 8;
    raw.options[2]!.name = 'Managed cloud';
    expect((thrown(() => parseDecisionMatrixInput(raw)) as EngineInputError).message).toBe('options[2].name: duplicate option name (same as index 1)');
    expect(() => parseDecisionMatrixInput({ decision: 'x', options: [worked.options[0]] })).toThrow('options: at least two options are needed to compare');
    expect(() => parseDecisionMatrixInput({ decision: 'x', options: worked.options, extra: 1 })).toThrow('extra: unknown field');
  });

  it('refuses an unusable policy', () => {
    const policy = decisionCriteria();
    policy.criteria[0]!.weight = 0.3;
    expect(() => evaluateDecisionMatrix(worked, policy)).toThrow(EnginePolicyError);
    const p2 = decisionCriteria();
    p2.riskCriterion = 'nope';
    expect(() => evaluateDecisionMatrix(worked, p2)).toThrow('riskCriterion');
  });
});

// --- properties ------------------------------------------------------------------------------------------------

const policy = decisionCriteria();
const factorKeys = policy.criteria.flatMap((c) => c.factors);
const score = fc.double({ min: 0, max: 10, noNaN: true });
const scoreMap = fc.tuple(...factorKeys.map(() => score)).map((vals) => Object.fromEntries(factorKeys.map((k, i) => [k, vals[i]!])));
const optionsArb = fc.uniqueArray(fc.record({ name: fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() === s && s.length > 0), scores: scoreMap }), {
  minLength: 2,
  maxLength: 6,
  selector: (o) => o.name,
});

function scoresOf(input: DecisionMatrixInput, p: DecisionCriteriaPolicy) {
  const r = evaluateDecisionMatrix(input, p);
  return Object.fromEntries(r.options.map((o) => [o.name, { total: o.total, criteria: Object.fromEntries(o.criteria.map((c) => [c.key, [c.score, c.contribution]])) }]));
}

function shuffled<T>(items: T[], seed: number[]): T[] {
  return items.map((x, i) => ({ x, k: seed[i % seed.length]! * 1000 + i })).sort((a, b) => a.k - b.k).map((e) => e.x);
}

describe('decision matrix: properties', () => {
  it('raising a factor never lowers that option’s total and leaves the others unchanged', () => {
    fc.assert(
      fc.property(optionsArb, fc.nat(), fc.constantFrom(...factorKeys), fc.double({ min: 0, max: 10, noNaN: true }), (options, which, factor, bump) => {
        const i = which % options.length;
        const before = scoresOf({ decision: 'p', options }, policy);
        const raised = structuredClone(options);
        raised[i]!.scores[factor] = Math.min(10, raised[i]!.scores[factor]! + bump);
        const after = scoresOf({ decision: 'p', options: raised }, policy);
        for (const o of options) {
          if (o.name === options[i]!.name) expect(after[o.name]!.total).toBeGreaterThanOrEqual(before[o.name]!.total);
          else expect(after[o.name]).toEqual(before[o.name]);
        }
      }),
    );
  });

  it('totals stay within the scale', () => {
    fc.assert(
      fc.property(optionsArb, (options) => {
        for (const o of evaluateDecisionMatrix({ decision: 'p', options }, policy).options) {
          expect(o.total).toBeGreaterThanOrEqual(0);
          expect(o.total).toBeLessThanOrEqual(10);
        }
      }),
    );
  });

  it('reordering options, criteria or factors changes no score', () => {
    fc.assert(
      fc.property(optionsArb, fc.array(fc.nat(100), { minLength: 1, maxLength: 20 }), (options, seed) => {
        const base = scoresOf({ decision: 'p', options }, policy);
        const p2 = decisionCriteria();
        p2.criteria = shuffled(p2.criteria, seed).map((c) => ({ ...c, factors: shuffled(c.factors, [...seed].reverse()) }));
        const reordered = scoresOf({ decision: 'p', options: shuffled(options, seed) }, p2);
        expect(reordered).toEqual(base);
        const r1 = evaluateDecisionMatrix({ decision: 'p', options }, policy);
        const r2 = evaluateDecisionMatrix({ decision: 'p', options: shuffled(options, seed) }, policy);
        expect(JSON.stringify(r2)).toBe(JSON.stringify(r1));
      }),
    );
  });

  it('honours policy weights exactly: a one-hot weight vector makes the total that criterion’s score', () => {
    fc.assert(
      fc.property(optionsArb, fc.nat(4), (options, hot) => {
        const p = decisionCriteria();
        p.criteria.forEach((c, i) => (c.weight = i === hot ? 1 : 0));
        for (const o of evaluateDecisionMatrix({ decision: 'p', options }, p).options) {
          expect(o.total).toBe(o.criteria[hot]!.score);
        }
      }),
    );
  });

  it('the total equals Σ weight × criterion score for any weight vector', () => {
    fc.assert(
      fc.property(optionsArb, fc.tuple(...policy.criteria.map(() => fc.integer({ min: 0, max: 100 }))).filter((w) => w.some((x) => x > 0)), (options, raw) => {
        const sum = raw.reduce((a, b) => a + b, 0);
        const p = decisionCriteria();
        p.criteria.forEach((c, i) => (c.weight = raw[i]! / sum));
        for (const o of evaluateDecisionMatrix({ decision: 'p', options }, p).options) {
          const expected = p.criteria.reduce((acc, c) => {
            const factors = c.factors.map((f) => options.find((x) => x.name === o.name)!.scores[f]!);
            return acc + c.weight * (factors.reduce((a, b) => a + b, 0) / factors.length);
          }, 0);
          expect(o.total).toBeCloseTo(expected, 3);
        }
      }),
    );
  });
});
