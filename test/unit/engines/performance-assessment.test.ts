import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { EngineInputError } from '../../../domain/engines/errors.js';
import {
  evaluatePerformanceAssessment,
  runPerformanceAssessment,
  type PerformanceAssessmentInput,
} from '../../../domain/engines/performance-assessment.js';
import type { PerformanceAssessmentPolicy } from '../../../domain/policy/types.js';
import { performanceAssessment, thrown } from './fixtures.js';

type Levels = PerformanceAssessmentInput['levels'];

/** [current, target] pairs per criterion in policy order. */
function levels(policy: PerformanceAssessmentPolicy, pairs: [number, number][][]): Levels {
  return Object.fromEntries(
    policy.dimensions.map((d, i) => [d.key, Object.fromEntries(d.factors.map((c, j) => [c, { current: pairs[i]![j]![0], target: pairs[i]![j]![1] }]))]),
  );
}

// Scale 1-5; weights technical 0.30, delivery 0.25, collaboration 0.25, business 0.20.
const worked: PerformanceAssessmentInput = {
  subject: 'dana',
  period: '2025-H1',
  levels: levels(performanceAssessment(), [
    [[4, 4], [3, 4], [4, 4], [3, 4]], // technical: current 3.5, target 4, shortfall (0+1+0+1)/4 = 0.5
    [[4, 4], [3, 4], [4, 4], [2, 4]], // delivery: current 3.25, shortfall 0.75
    [[5, 4], [4, 4], [3, 4], [4, 4]], // collaboration: current 4, gap 0, shortfall 0.25
    [[3, 4], [3, 4], [2, 4], [4, 4]], // business: current 3, shortfall 1
  ]),
};

describe('performance assessment: worked example', () => {
  const r = evaluatePerformanceAssessment(worked, performanceAssessment());

  it('analyses gaps per criterion and dimension and weights the overall level', () => {
    expect(r.dimensions.map((d) => [d.key, d.weight, d.current, d.target, d.gap, d.shortfall, d.contribution])).toEqual([
      ['technical_expertise', 0.3, 3.5, 4, 0.5, 0.5, 1.05],
      ['delivery_excellence', 0.25, 3.25, 4, 0.75, 0.75, 0.8125],
      ['collaboration_leadership', 0.25, 4, 4, 0, 0.25, 1],
      ['business_impact', 0.2, 3, 4, 1, 1, 0.6],
    ]);
    expect(r.dimensions[2]!.criteria[0]).toEqual({ key: 'teamwork', current: 5, target: 4, gap: -1, shortfall: 0 });
    // overall = 1.05 + 0.8125 + 1 + 0.6 = 3.4625; target 4; shortfall 0.3·0.5 + 0.25·0.75 + 0.25·0.25 + 0.2·1 = 0.6;
    // normalised (3.4625 − 1)/4 = 0.615625 → 0.6156
    expect(r.overall).toEqual({ current: 3.4625, target: 4, gap: 0.5375, shortfall: 0.6, normalised: 0.6156 });
  });

  it('plans development largest gaps first, then by dimension weight, with activities', () => {
    expect(r.developmentPlan.map((p) => [p.criterion, p.shortfall, p.priority])).toEqual([
      ['continuous_improvement', 2, 'high'], // delivery 0.25
      ['strategic_thinking', 2, 'high'], // business 0.20
      ['breadth_of_skills', 1, 'medium'], // technical 0.30
      ['innovation', 1, 'medium'],
      ['mentoring', 1, 'medium'], // collaboration 0.25 (by dimension key)
      ['timeliness', 1, 'medium'], // delivery 0.25
      ['business_understanding', 1, 'medium'], // business 0.20
      ['value_creation', 1, 'medium'],
    ]);
    expect(r.developmentPlan[1]!.activities).toContain('Strategic planning participation');
  });

  it('gives career guidance by rule', () => {
    // r = 0.6156 ≥ 0.4, largest dimension shortfall 1/4 = 0.25 < 0.4, gaps remain, current < target → develop in role
    expect(r.careerGuidance).toMatchObject({ track: 'develop_in_role', focusDimensions: ['business_impact', 'delivery_excellence'], reviewInMonths: 6 });
    const all = (cur: number, tgt: number) => levels(performanceAssessment(), Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => [cur, tgt] as [number, number])));
    expect(evaluatePerformanceAssessment({ ...worked, levels: all(5, 4) }, performanceAssessment()).careerGuidance.track).toBe('ready_for_next_level');
    // (2.2 − 1)/4 = 0.3 < 0.4 → improvement plan
    expect(evaluatePerformanceAssessment({ ...worked, levels: all(2.2, 2) }, performanceAssessment()).careerGuidance.track).toBe('performance_improvement');
    // level 3 everywhere against target 3: r = 0.5, no gap → progressing
    expect(evaluatePerformanceAssessment({ ...worked, levels: all(3, 3) }, performanceAssessment()).careerGuidance.track).toBe('progressing');
    // one dimension 2 short everywhere (shortfall 2/4 = 0.5 ≥ 0.4) → improvement plan even with a good overall level
    const mixed = all(5, 5);
    for (const c of Object.keys(mixed.business_impact!)) mixed.business_impact![c] = { current: 3, target: 5 };
    expect(evaluatePerformanceAssessment({ ...worked, levels: mixed }, performanceAssessment()).careerGuidance).toMatchObject({ track: 'performance_improvement', focusDimensions: ['business_impact'] });
  });

  it('validates levels against the policy scale and criteria', () => {
    const bad = structuredClone(worked);
    bad.levels.technical_expertise!.innovation = { current: 6, target: 4 };
    delete bad.levels.business_impact!.customer_focus;
    bad.levels.vibes = {};
    const e = thrown(() => runPerformanceAssessment(bad, performanceAssessment())) as EngineInputError;
    expect(e.fields).toEqual([
      { path: 'levels.technical_expertise.innovation.current', message: 'expected a number between 1 and 5' },
      { path: 'levels.business_impact.customer_focus', message: 'missing: expected { current, target }' },
      { path: 'levels.vibes', message: expect.stringMatching(/^unknown dimension/) },
    ]);
    expect(e.field).toBe('levels.technical_expertise.innovation.current');
  });
});

const policy = performanceAssessment();
const level = fc.double({ min: 1, max: 5, noNaN: true });
const levelsArb: fc.Arbitrary<Levels> = fc.tuple(
  ...policy.dimensions.map((d) => fc.tuple(...d.factors.map(() => fc.record({ current: level, target: level })))),
).map((dims) => Object.fromEntries(policy.dimensions.map((d, i) => [d.key, Object.fromEntries(d.factors.map((c, j) => [c, dims[i]![j]!]))])));

describe('performance assessment: properties', () => {
  it('raising a current level never lowers the overall level; it stays within the scale', () => {
    fc.assert(
      fc.property(levelsArb, fc.nat(3), fc.nat(3), level, (lv, di, ci, bump) => {
        const input = { subject: 's', period: 'p', levels: lv };
        const before = evaluatePerformanceAssessment(input, policy).overall;
        expect(before.current).toBeGreaterThanOrEqual(1);
        expect(before.current).toBeLessThanOrEqual(5);
        const d = policy.dimensions[di]!;
        const c = d.factors[ci]!;
        const raised = structuredClone(lv);
        raised[d.key]![c]!.current = Math.min(5, raised[d.key]![c]!.current + bump);
        const after = evaluatePerformanceAssessment({ ...input, levels: raised }, policy).overall;
        expect(after.current).toBeGreaterThanOrEqual(before.current);
        expect(after.shortfall).toBeLessThanOrEqual(before.shortfall);
      }),
    );
  });

  it('reordering dimensions or criteria changes no score', () => {
    fc.assert(
      fc.property(levelsArb, (lv) => {
        const input = { subject: 's', period: 'p', levels: lv };
        const q = performanceAssessment();
        q.dimensions = q.dimensions.reverse().map((d) => ({ ...d, factors: [...d.factors].reverse() }));
        const a = evaluatePerformanceAssessment(input, policy);
        const b = evaluatePerformanceAssessment(input, q);
        expect(b.overall).toEqual(a.overall);
        expect(b.developmentPlan).toEqual(a.developmentPlan);
        expect(b.careerGuidance).toEqual(a.careerGuidance);
        const byKey = (r: typeof a) => Object.fromEntries(r.dimensions.map((d) => [d.key, [d.current, d.target, d.shortfall, d.contribution]]));
        expect(byKey(b)).toEqual(byKey(a));
      }),
    );
  });

  it('one-hot weights make the overall level that dimension’s level', () => {
    fc.assert(
      fc.property(levelsArb, fc.nat(3), (lv, hot) => {
        const p = performanceAssessment();
        p.dimensions.forEach((d, i) => (d.weight = i === hot ? 1 : 0));
        const r = evaluatePerformanceAssessment({ subject: 's', period: 'p', levels: lv }, p);
        expect(r.overall.current).toBe(r.dimensions[hot]!.current);
        expect(r.overall.target).toBe(r.dimensions[hot]!.target);
      }),
    );
  });
});
