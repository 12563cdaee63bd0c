import type { InnovationPolicy } from '../policy/types.js';

/**
 * Innovation portfolio balance (policy `portfolioBalance`, e.g. 70/20/10 core/adjacent/transformational).
 * Pure: shared by the PoC workflow (which warns before a scale-up decision) and the API (which counts).
 */

export type PortfolioBucket = InnovationPolicy['portfolioBalance'][number]['bucket'];

export const PORTFOLIO_BUCKETS: readonly PortfolioBucket[] = ['core', 'adjacent', 'transformational'];

/** Scaled-up initiatives per bucket (each scaled-up PoC counts once). */
export type PortfolioCounts = Record<PortfolioBucket, number>;

export interface BucketBalance {
  bucket: PortfolioBucket;
  count: number;
  /** Share of the portfolio, 0..1, rounded to 4 decimals. */
  share: number;
  target: number;
  /** share − target, rounded to 4 decimals. */
  deviation: number;
  outOfBalance: boolean;
}

export interface PortfolioBalance {
  total: number;
  buckets: BucketBalance[];
  /** Buckets whose share is further than the tolerance from their target. */
  imbalanced: PortfolioBucket[];
}

// Shares such as 3/20 − 0.10 must not flip on binary noise at exactly the tolerance.
const EPSILON = 1e-9;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The portfolio's share per bucket against the policy's targets. An empty portfolio is in balance. */
export function portfolioBalance(policy: Pick<InnovationPolicy, 'portfolioBalance' | 'portfolioTolerance'>, counts: PortfolioCounts): PortfolioBalance {
  for (const [bucket, n] of Object.entries(counts)) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`portfolio count for ${bucket} must be a whole number ≥ 0, got ${n}`);
  }
  const total = policy.portfolioBalance.reduce((sum, b) => sum + (counts[b.bucket] ?? 0), 0);
  const buckets = policy.portfolioBalance.map(({ bucket, share: target }): BucketBalance => {
    const count = counts[bucket] ?? 0;
    const share = total === 0 ? target : count / total;
    const deviation = share - target;
    return { bucket, count, share: round4(share), target, deviation: round4(deviation), outOfBalance: Math.abs(deviation) > policy.portfolioTolerance + EPSILON };
  });
  return { total, buckets, imbalanced: buckets.filter((b) => b.outOfBalance).map((b) => b.bucket) };
}

export interface ScaleUpProjection {
  before: PortfolioBalance;
  after: PortfolioBalance;
  /** Out-of-balance buckets after the scale-up: a non-empty list is a warning for the committee. */
  warnings: { bucket: PortfolioBucket; share: number; target: number; deviation: number }[];
}

/** The portfolio balance if one more initiative in `bucket` scales up. */
export function projectScaleUp(
  policy: Pick<InnovationPolicy, 'portfolioBalance' | 'portfolioTolerance'>,
  counts: PortfolioCounts,
  bucket: PortfolioBucket,
): ScaleUpProjection {
  if (!policy.portfolioBalance.some((b) => b.bucket === bucket)) throw new RangeError(`${bucket} is not a portfolio bucket of the policy`);
  const before = portfolioBalance(policy, counts);
  const after = portfolioBalance(policy, { ...counts, [bucket]: (counts[bucket] ?? 0) + 1 });
  const warnings = after.buckets.filter((b) => b.outOfBalance).map(({ bucket: b, share, target, deviation }) => ({ bucket: b, share, target, deviation }));
  return { before, after, warnings };
}

/** One line for a committee summary or a notification, e.g. "transformational 18.2% (target 10%)". */
export function describeImbalance(warnings: ScaleUpProjection['warnings']): string {
  const pct = (x: number) => `${round4(x * 100).toFixed(1).replace(/\.0$/, '')}%`;
  return warnings.map((w) => `${w.bucket} ${pct(w.share)} (target ${pct(w.target)})`).join(', ');
}
