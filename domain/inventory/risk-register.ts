import type { AiSystemsPolicy, MeasurementThreshold } from '../policy/types.js';

type RiskScale = AiSystemsPolicy['riskScale'];

/** A risk's score on the policy's scale: the rank of its likelihood times the rank of its impact (1-based). */
export function riskScore(scale: RiskScale, likelihood: string, impact: string): number {
  return (scale.likelihood.indexOf(likelihood) + 1) * (scale.impact.indexOf(impact) + 1);
}

/** Which of `fields` hold a level the scale does not have, as `{ path, message }` for the refusal. */
export function offScale(scale: RiskScale, fields: Record<string, { axis: 'likelihood' | 'impact'; value: string | undefined }>): { path: string; message: string }[] {
  return Object.entries(fields)
    .filter(([, f]) => f.value !== undefined && !scale[f.axis].includes(f.value))
    .map(([path, f]) => ({ path, message: `expected one of ${scale[f.axis].join(', ')}` }));
}

const SEVERITY_RANK: Record<string, number> = { low: 0.25, medium: 0.5, high: 0.75, critical: 1 };

/**
 * Where an engine finding lands on the scale before anyone has assessed it: its severity sets the impact (critical
 * the top level), and an open gap is taken as likely (the level below the top) until the owner says otherwise.
 */
export function levelsOfFinding(scale: RiskScale, severity: string): { likelihood: string; impact: string } {
  const at = (levels: string[], share: number) => levels[Math.max(0, Math.ceil(share * levels.length) - 1)]!;
  return { likelihood: at(scale.likelihood, 0.8), impact: at(scale.impact, SEVERITY_RANK[severity] ?? 0.5) };
}

/** Whether a measurement is past its threshold. */
export function crosses(threshold: MeasurementThreshold, value: number): boolean {
  return (threshold.above !== undefined && value > threshold.above) || (threshold.below !== undefined && value < threshold.below);
}
