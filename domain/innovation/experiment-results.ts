/**
 * Results analysis of a proof of concept: did each success metric reach its target? Pure, shared by the PoC
 * workflow and its tests.
 */

export interface SuccessMetric {
  name: string;
  target: number;
  /** Whether the value must reach the target from below (default) or stay at or under it (e.g. latency, cost). */
  direction?: 'at_least' | 'at_most';
  unit?: string;
}

export interface MetricResult {
  name: string;
  value: number;
}

export interface MetricAssessment {
  name: string;
  target: number;
  direction: 'at_least' | 'at_most';
  value: number | null;
  met: boolean;
}

export interface ResultsAnalysis {
  metrics: MetricAssessment[];
  met: number;
  total: number;
  /** Every success metric met its target. */
  allMet: boolean;
  /** What the analysis recommends to the scale-up decision. */
  recommendation: 'scale_up' | 'do_not_scale_up';
}

/** Compares measured results with the proposal's targets; a metric without a result is not met. */
export function analyseResults(metrics: SuccessMetric[], results: MetricResult[]): ResultsAnalysis {
  const assessed = metrics.map((m): MetricAssessment => {
    const direction = m.direction ?? 'at_least';
    const value = results.find((r) => r.name === m.name)?.value ?? null;
    const met = value !== null && Number.isFinite(value) && (direction === 'at_least' ? value >= m.target : value <= m.target);
    return { name: m.name, target: m.target, direction, value, met };
  });
  const met = assessed.filter((a) => a.met).length;
  const allMet = assessed.length > 0 && met === assessed.length;
  return { metrics: assessed, met, total: assessed.length, allMet, recommendation: allMet ? 'scale_up' : 'do_not_scale_up' };
}
