import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyseResults } from '../../../domain/innovation/experiment-results.js';
import { describeImbalance, portfolioBalance, projectScaleUp, type PortfolioCounts } from '../../../domain/innovation/portfolio.js';
import { defaultPolicyDir, loadPolicySet } from '../../../domain/policy/load.js';

const policy = {
  portfolioBalance: [
    { bucket: 'core' as const, key: 'core_technology_enhancement', share: 0.7 },
    { bucket: 'adjacent' as const, key: 'adjacent_technology_exploration', share: 0.2 },
    { bucket: 'transformational' as const, key: 'transformational_innovation', share: 0.1 },
  ],
  portfolioTolerance: 0.05,
};

describe('portfolio balance', () => {
  it('is in balance at exactly 70/20/10', () => {
    const b = portfolioBalance(policy, { core: 7, adjacent: 2, transformational: 1 });
    expect(b.total).toBe(10);
    expect(b.imbalanced).toEqual([]);
    expect(b.buckets.map((x) => [x.bucket, x.share, x.deviation])).toEqual([
      ['core', 0.7, 0],
      ['adjacent', 0.2, 0],
      ['transformational', 0.1, 0],
    ]);
  });

  it('warns when a transformational scale-up pushes the bucket beyond 10% + tolerance', () => {
    const p = projectScaleUp(policy, { core: 15, adjacent: 4, transformational: 3 }, 'transformational');
    expect(p.before.imbalanced).toEqual([]);
    // 4 of 23 = 17.39%: 7.39 points over the target, more than the 5-point tolerance; core stays at 65.2%.
    expect(p.warnings).toEqual([{ bucket: 'transformational', share: 0.1739, target: 0.1, deviation: 0.0739 }]);
    expect(describeImbalance(p.warnings)).toBe('transformational 17.4% (target 10%)');
  });

  it('does not warn when a core scale-up keeps every bucket within the tolerance', () => {
    const p = projectScaleUp(policy, { core: 15, adjacent: 4, transformational: 3 }, 'core');
    expect(p.after.buckets.find((b) => b.bucket === 'core')!.share).toBe(0.6957);
    expect(p.warnings).toEqual([]);
  });

  it('in a small portfolio one scale-up moves the other buckets out of balance too', () => {
    // 2 of 11 transformational (18.2%) leaves core at 7 of 11 (63.6%), also beyond the tolerance.
    const p = projectScaleUp(policy, { core: 7, adjacent: 2, transformational: 1 }, 'transformational');
    expect(p.before.imbalanced).toEqual([]);
    expect(p.warnings.map((w) => w.bucket)).toEqual(['core', 'transformational']);
  });

  it('treats a deviation of exactly the tolerance as in balance (no binary noise)', () => {
    // 3 of 20 = 15% transformational: exactly target + tolerance. 13 of 20 core = 65%: exactly target − tolerance.
    const b = portfolioBalance(policy, { core: 13, adjacent: 4, transformational: 3 });
    expect(b.imbalanced).toEqual([]);
    const over = portfolioBalance(policy, { core: 12, adjacent: 4, transformational: 3 });
    expect(over.imbalanced).toEqual(expect.arrayContaining(['core', 'transformational']));
  });

  it('flags buckets that fall below their share as well as those above it', () => {
    const p = projectScaleUp(policy, { core: 2, adjacent: 2, transformational: 0 }, 'adjacent');
    expect(p.warnings.map((w) => w.bucket).sort()).toEqual(['adjacent', 'core', 'transformational']);
    expect(p.warnings.find((w) => w.bucket === 'core')!.deviation).toBe(-0.3);
  });

  it('reads an empty portfolio as balanced, and the first scale-up as all of it', () => {
    expect(portfolioBalance(policy, { core: 0, adjacent: 0, transformational: 0 }).imbalanced).toEqual([]);
    const first = projectScaleUp(policy, { core: 0, adjacent: 0, transformational: 0 }, 'core');
    expect(first.after.buckets[0]).toMatchObject({ bucket: 'core', share: 1, count: 1 });
    expect(first.warnings.map((w) => w.bucket)).toEqual(['core', 'adjacent', 'transformational']);
  });

  it('rejects counts that are not whole numbers and unknown buckets', () => {
    expect(() => portfolioBalance(policy, { core: -1, adjacent: 0, transformational: 0 })).toThrow(RangeError);
    expect(() => portfolioBalance(policy, { core: 1.5, adjacent: 0, transformational: 0 })).toThrow(RangeError);
    expect(() => projectScaleUp(policy, { core: 1, adjacent: 0, transformational: 0 }, 'moonshot' as never)).toThrow(RangeError);
  });

  it('shares always sum to one and the scaled bucket never loses share', () => {
    const count = fc.integer({ min: 0, max: 500 });
    fc.assert(
      fc.property(count, count, count, fc.constantFrom('core' as const, 'adjacent' as const, 'transformational' as const), (core, adjacent, transformational, bucket) => {
        const counts: PortfolioCounts = { core, adjacent, transformational };
        const p = projectScaleUp(policy, counts, bucket);
        expect(p.after.total).toBe(core + adjacent + transformational + 1);
        expect(Math.abs(p.after.buckets.reduce((s, b) => s + b.share, 0) - 1)).toBeLessThan(1e-3);
        const share = (b: typeof p.before) => b.buckets.find((x) => x.bucket === bucket)!.share;
        if (p.before.total > 0) expect(share(p.after)).toBeGreaterThanOrEqual(share(p.before));
      }),
    );
  });

  it('uses the shipped policy targets (70/20/10, 5-point tolerance)', async () => {
    const { innovation } = await loadPolicySet(defaultPolicyDir());
    expect(projectScaleUp(innovation, { core: 15, adjacent: 4, transformational: 3 }, 'transformational').warnings.map((w) => w.bucket)).toEqual(['transformational']);
  });
});

describe('results analysis', () => {
  const metrics = [
    { name: 'conversion_uplift_pct', target: 5 },
    { name: 'p95_latency_ms', target: 200, direction: 'at_most' as const },
  ];

  it('meets targets from the right side per direction', () => {
    const a = analyseResults(metrics, [
      { name: 'conversion_uplift_pct', value: 5 },
      { name: 'p95_latency_ms', value: 180 },
    ]);
    expect(a).toMatchObject({ met: 2, total: 2, allMet: true, recommendation: 'scale_up' });
  });

  it('misses a target on the wrong side, and a metric without a result', () => {
    const a = analyseResults(metrics, [{ name: 'conversion_uplift_pct', value: 4.99 }]);
    expect(a.metrics).toEqual([
      { name: 'conversion_uplift_pct', target: 5, direction: 'at_least', value: 4.99, met: false },
      { name: 'p95_latency_ms', target: 200, direction: 'at_most', value: null, met: false },
    ]);
    expect(a).toMatchObject({ met: 0, allMet: false, recommendation: 'do_not_scale_up' });
    expect(analyseResults(metrics, [{ name: 'conversion_uplift_pct', value: 6 }, { name: 'p95_latency_ms', value: 201 }]).met).toBe(1);
  });

  it('never recommends scaling up without any success metric', () => {
    expect(analyseResults([], []).allMet).toBe(false);
  });
});
