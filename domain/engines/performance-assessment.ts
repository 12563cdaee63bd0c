/**
 * Individual performance assessment against the performance-assessment policy: per dimension and criterion a
 * current and a target level on the policy scale, gap analysis, a weighted overall level, a development plan
 * (largest gaps first) and career-progression guidance from deterministic rules. Pure: safe to import from
 * workflow code.
 */
import type { PerformanceAssessmentPolicy } from '../policy/types.js';
import { EnginePolicyError, joinPath, parseWith } from './errors.js';
import { performanceAssessmentInputSchema, type PerformanceAssessmentInput } from './inputs.js';
import { compareText, roundScore, stableMean } from './rounding.js';
import { assertScale, assertWeights, humanise, normalise, scaleMessage, throwIfProblems, weightedTotal, type Scale } from './scoring.js';

export type { PerformanceAssessmentInput } from './inputs.js';

export interface CriterionLevel {
  key: string;
  current: number;
  target: number;
  /** target − current (negative when the target is exceeded). */
  gap: number;
  /** max(0, gap). */
  shortfall: number;
}

export interface DimensionAssessment {
  key: string;
  weight: number;
  criteria: CriterionLevel[];
  /** Mean of the criteria's current levels. */
  current: number;
  /** Mean of the criteria's target levels. */
  target: number;
  gap: number;
  /** Mean shortfall over the criteria: a surplus on one criterion does not hide a gap on another. */
  shortfall: number;
  /** weight × current. */
  contribution: number;
}

export interface DevelopmentItem {
  dimension: string;
  criterion: string;
  current: number;
  target: number;
  shortfall: number;
  priority: 'high' | 'medium' | 'low';
  activities: string[];
}

export type CareerTrack = 'ready_for_next_level' | 'progressing' | 'develop_in_role' | 'performance_improvement';

export interface PerformanceAssessmentResult {
  engine: 'performance_assessment';
  subject: string;
  role: string | null;
  period: string;
  scale: Scale;
  dimensions: DimensionAssessment[];
  overall: { current: number; target: number; gap: number; shortfall: number; /** current on a 0..1 scale. */ normalised: number };
  developmentPlan: DevelopmentItem[];
  careerGuidance: { track: CareerTrack; rule: string; focusDimensions: string[]; reviewInMonths: number; recommendations: string[] };
}

export function parsePerformanceAssessmentInput(raw: unknown): PerformanceAssessmentInput {
  return parseWith(performanceAssessmentInputSchema, raw);
}

const ACTIVITIES: Record<string, string[]> = {
  depth_of_knowledge: ['Deep-dive study of one core technology with a written summary for the team', 'Technology research project'],
  breadth_of_skills: ['Rotation into an adjacent area (e.g. infrastructure, data) for one increment', 'Pairing with specialists outside the home stack'],
  problem_solving: ['Lead root-cause analysis of a production incident', 'Architecture review participation'],
  innovation: ['Time-boxed proof of concept on an emerging technology', 'Present a proposal to the innovation pipeline'],
  quality_of_work: ['Adopt test-first practice on the next feature with reviewer feedback', 'Mentored code reviews'],
  timeliness: ['Estimate and track own work items against delivery for one quarter', 'Break work into smaller, independently shippable slices'],
  reliability: ['Own an on-call rotation with a mentor', 'Write runbooks for owned services'],
  continuous_improvement: ['Run a retrospective action item through to completion', 'Automate one recurring manual task'],
  teamwork: ['Cross-functional collaboration on a shared deliverable', 'Team-building exercises'],
  communication: ['Present technical work to a non-technical audience', 'Write a design document for review'],
  mentoring: ['Mentor a junior engineer for one quarter', 'Technical mentoring training'],
  knowledge_sharing: ['Run a knowledge-sharing session', 'Document a system for the internal knowledge base'],
  business_understanding: ['Business stakeholder engagement: shadow a product or sales team', 'Read and discuss the business plan with the manager'],
  value_creation: ['Tie the next deliverable to a measurable business outcome', 'Track the value delivered by a shipped feature'],
  strategic_thinking: ['Strategic planning participation', 'Industry trend and competitive analysis'],
  customer_focus: ['Join customer interviews or support escalations', 'Turn customer feedback into a backlog proposal'],
};

function activitiesFor(criterion: string): string[] {
  return ACTIVITIES[criterion] ?? [`Agree a development goal and a coaching plan for ${humanise(criterion)} with the manager`];
}

function checkPolicy(policy: PerformanceAssessmentPolicy): void {
  assertWeights(policy.dimensions, 'performanceAssessment.dimensions');
  assertScale(policy.scale, 'performanceAssessment.scale');
  for (const d of policy.dimensions) if (d.factors.length === 0) throw new EnginePolicyError(`performanceAssessment.dimensions.${d.key}: no criteria`);
}

function checkLevels(levels: PerformanceAssessmentInput['levels'], policy: PerformanceAssessmentPolicy): void {
  const problems: { path: string; message: string }[] = [];
  const inScale = (v: number) => Number.isFinite(v) && v >= policy.scale.min && v <= policy.scale.max;
  const dims = new Set(policy.dimensions.map((d) => d.key));
  for (const d of policy.dimensions) {
    const path = joinPath('levels', d.key);
    const given = Object.hasOwn(levels, d.key) ? levels[d.key] : undefined;
    if (given === undefined) {
      problems.push({ path, message: `missing: expected levels for ${d.factors.join(', ')}` });
      continue;
    }
    for (const c of d.factors) {
      const level = Object.hasOwn(given, c) ? given[c] : undefined;
      if (level === undefined) problems.push({ path: joinPath(path, c), message: 'missing: expected { current, target }' });
      else {
        if (!inScale(level.current)) problems.push({ path: joinPath(joinPath(path, c), 'current'), message: scaleMessage(policy.scale) });
        if (!inScale(level.target)) problems.push({ path: joinPath(joinPath(path, c), 'target'), message: scaleMessage(policy.scale) });
      }
    }
    for (const c of Object.keys(given).sort()) {
      if (!d.factors.includes(c)) problems.push({ path: joinPath(path, c), message: `unknown criterion (expected one of: ${d.factors.join(', ')})` });
    }
  }
  for (const k of Object.keys(levels).sort()) {
    if (!dims.has(k)) problems.push({ path: joinPath('levels', k), message: `unknown dimension (expected one of: ${[...dims].join(', ')})` });
  }
  throwIfProblems(problems);
}

/** Assesses a parsed input against the performance-assessment policy. */
export function evaluatePerformanceAssessment(input: PerformanceAssessmentInput, policy: PerformanceAssessmentPolicy): PerformanceAssessmentResult {
  checkPolicy(policy);
  checkLevels(input.levels, policy);
  const scale = { min: policy.scale.min, max: policy.scale.max };
  const range = scale.max - scale.min;

  const raw = policy.dimensions.map((d) => {
    const criteria = d.factors.map((c) => {
      const { current, target } = input.levels[d.key]![c]!;
      return { key: c, current, target, gap: target - current, shortfall: Math.max(0, target - current) };
    });
    const current = stableMean(criteria.map((c) => c.current));
    const target = stableMean(criteria.map((c) => c.target));
    const shortfall = stableMean(criteria.map((c) => c.shortfall));
    return { key: d.key, weight: d.weight, criteria, current, target, shortfall };
  });
  const overallCurrent = weightedTotal(raw.map((d) => ({ weight: d.weight, score: d.current })));
  const overallTarget = weightedTotal(raw.map((d) => ({ weight: d.weight, score: d.target })));
  const overallShortfall = weightedTotal(raw.map((d) => ({ weight: d.weight, score: d.shortfall })));

  const dimensions: DimensionAssessment[] = raw.map((d) => ({
    key: d.key,
    weight: d.weight,
    criteria: d.criteria.map((c) => ({ ...c, gap: roundScore(c.gap), shortfall: roundScore(c.shortfall) })),
    current: roundScore(d.current),
    target: roundScore(d.target),
    gap: roundScore(d.target - d.current),
    shortfall: roundScore(d.shortfall),
    contribution: roundScore(d.weight * d.current),
  }));
  const overall = {
    current: roundScore(overallCurrent),
    target: roundScore(overallTarget),
    gap: roundScore(overallTarget - overallCurrent),
    shortfall: roundScore(overallShortfall),
    normalised: roundScore(normalise(overallCurrent, scale)),
  };

  const developmentPlan: DevelopmentItem[] = dimensions
    .flatMap((d) => d.criteria.filter((c) => c.shortfall > 0).map((c) => ({ d, c })))
    .sort((a, b) => b.c.shortfall - a.c.shortfall || b.d.weight - a.d.weight || compareText(a.d.key, b.d.key) || compareText(a.c.key, b.c.key))
    .map(({ d, c }) => {
      const share = c.shortfall / range;
      return {
        dimension: d.key,
        criterion: c.key,
        current: c.current,
        target: c.target,
        shortfall: c.shortfall,
        priority: share >= 0.4 ? 'high' : share >= 0.2 ? 'medium' : 'low',
        activities: activitiesFor(c.key),
      };
    });

  return {
    engine: 'performance_assessment',
    subject: input.subject,
    role: input.role ?? null,
    period: input.period,
    scale,
    dimensions,
    overall,
    developmentPlan,
    careerGuidance: careerGuidance(dimensions, overall, developmentPlan, range),
  };
}

/** Parses and assesses in one step. */
export function runPerformanceAssessment(raw: unknown, policy: PerformanceAssessmentPolicy): PerformanceAssessmentResult {
  return evaluatePerformanceAssessment(parsePerformanceAssessmentInput(raw), policy);
}

/**
 * Rules, first match wins (r = overall current level on 0..1; shares are of the scale range):
 * 1. performance_improvement: r < 0.4, or a dimension's mean shortfall ≥ 0.4;
 * 2. ready_for_next_level: no criterion below target and r ≥ 0.8;
 * 3. progressing: overall current ≥ overall target and no criterion shortfall ≥ 0.2;
 * 4. develop_in_role otherwise.
 */
function careerGuidance(
  dimensions: DimensionAssessment[],
  overall: PerformanceAssessmentResult['overall'],
  plan: DevelopmentItem[],
  range: number,
): PerformanceAssessmentResult['careerGuidance'] {
  const focusDimensions = dimensions
    .filter((d) => d.shortfall > 0)
    .sort((a, b) => b.shortfall - a.shortfall || b.weight - a.weight || compareText(a.key, b.key))
    .slice(0, 2)
    .map((d) => d.key);
  const maxDimensionShare = Math.max(0, ...dimensions.map((d) => d.shortfall / range));
  const maxCriterionShare = Math.max(0, ...plan.map((p) => p.shortfall / range));
  const r = overall.normalised;
  const focus = focusDimensions.map(humanise).join(' and ');

  if (r < 0.4 || maxDimensionShare >= 0.4) {
    return {
      track: 'performance_improvement',
      rule: 'overall level below 40 % of the scale, or a dimension short of target by 40 % of the scale or more',
      focusDimensions,
      reviewInMonths: 3,
      recommendations: [
        `Agree a performance improvement plan focused on ${focus || 'the overall level'} with monthly check-ins`,
        'Pair with a mentor and limit scope to work that builds the missing skills',
      ],
    };
  }
  if (plan.length === 0 && r >= 0.8) {
    return {
      track: 'ready_for_next_level',
      rule: 'every criterion at or above target and overall level at 80 % of the scale or more',
      focusDimensions,
      reviewInMonths: 12,
      recommendations: ['Put forward for promotion at the next calibration', 'Give stretch responsibilities of the next level (e.g. technical leadership of an initiative)'],
    };
  }
  if (overall.current >= overall.target && maxCriterionShare < 0.2) {
    return {
      track: 'progressing',
      rule: 'overall level at or above target and no criterion short by 20 % of the scale or more',
      focusDimensions,
      reviewInMonths: 6,
      recommendations: [`Close the remaining small gaps${focus ? ` in ${focus}` : ''}`, 'Take on one stretch assignment towards the next level'],
    };
  }
  return {
    track: 'develop_in_role',
    rule: 'none of the other rules applies: develop in the current role',
    focusDimensions,
    reviewInMonths: 6,
    recommendations: [`Work the development plan${focus ? `, starting with ${focus}` : ''}`, 'Review progress with the manager each quarter'],
  };
}
