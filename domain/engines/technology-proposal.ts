/**
 * Technology proposal evaluation against the technology-proposal policy: six weighted dimensions on a 0-10 scale
 * (strategic fit as the mean of its factors, enterprise integration, security compliance, support ecosystem, cost
 * from the discounted TCO against the budget, implementation risk as 10 minus the risk level), a decision
 * (approved / approved_with_conditions / rejected) and a tech-radar ring. Pure: safe to import from workflow code.
 */
import type { TechnologyProposalPolicy } from '../policy/types.js';
import { EnginePolicyError, parseWith } from './errors.js';
import { costSchedule } from './finance.js';
import { DIMENSION_SCALE, technologyProposalInputSchema, type TechnologyProposalInput } from './inputs.js';
import { clamp, roundMoney, roundRate, roundScore, stableMean } from './rounding.js';
import { assertWeights, checkScores, humanise, throwIfProblems, weightedTotal, type DimensionScore } from './scoring.js';

export type { TechnologyProposalInput } from './inputs.js';

export const TECHNOLOGY_DIMENSIONS = [
  'strategic_fit',
  'enterprise_integration',
  'security_compliance',
  'support_ecosystem',
  'cost',
  'implementation_risk',
] as const;
export type TechnologyDimension = (typeof TECHNOLOGY_DIMENSIONS)[number];

/**
 * Cost score from the discounted TCO as a share of the budget: 10 up to half the budget, falling linearly to 5 at
 * the budget and to 0 at 1.5 × the budget.
 */
export function costScore(tcoToBudget: number): number {
  return DIMENSION_SCALE.max * clamp(1.5 - tcoToBudget, 0, 1);
}

export interface TechnologyCondition {
  key: string;
  dimension: TechnologyDimension | null;
  score: number | null;
  floor: number | null;
  condition: string;
}

/** The radar's rings, inner to outer. */
export const TECH_RADAR_RINGS = ['adopt', 'trial', 'assess', 'hold'] as const;
export type TechRadarRing = (typeof TECH_RADAR_RINGS)[number];

export interface TechnologyProposalResult {
  engine: 'technology_proposal';
  technology: string;
  category: string | null;
  scale: { min: number; max: number };
  dimensions: DimensionScore<TechnologyDimension>[];
  total: number;
  tco: {
    currency: string;
    horizonYears: number;
    discountRate: number;
    annualEscalation: number;
    years: { year: number; licences: number; infrastructure: number; staffing: number; migration: number; nominal: number; discountFactor: number; presentValue: number }[];
    nominalTotal: number;
    presentValue: number;
    budget: number;
    /** presentValue / budget. */
    budgetRatio: number;
    overBudget: boolean;
  };
  decision: 'approved' | 'approved_with_conditions' | 'rejected';
  thresholds: TechnologyProposalPolicy['thresholds'];
  conditionFloor: number;
  conditions: TechnologyCondition[];
  radar: { ring: TechRadarRing; thresholds: TechnologyProposalPolicy['radar']; reason: string };
  rationale: string;
  implementationGuidance: string[];
}

export function parseTechnologyProposalInput(raw: unknown): TechnologyProposalInput {
  return parseWith(technologyProposalInputSchema, raw);
}

function checkPolicy(policy: TechnologyProposalPolicy): void {
  assertWeights(
    TECHNOLOGY_DIMENSIONS.map((key) => ({ key, weight: policy.weights[key] })),
    'technologyProposal.weights',
  );
  if (policy.strategicFitFactors.length === 0) throw new EnginePolicyError('technologyProposal.strategicFitFactors: empty');
  if (!Number.isInteger(policy.horizonYears) || policy.horizonYears < 1) throw new EnginePolicyError('technologyProposal.horizonYears: expected a whole number ≥ 1');
  if (!(policy.discountRate > -1)) throw new EnginePolicyError('technologyProposal.discountRate: expected a rate above -1');
  if (policy.thresholds.approve < policy.thresholds.approveWithConditions) {
    throw new EnginePolicyError('technologyProposal.thresholds: approve must be at least approveWithConditions');
  }
  if (!(policy.radar.adopt >= policy.radar.trial && policy.radar.trial >= policy.radar.assess)) {
    throw new EnginePolicyError('technologyProposal.radar: expected adopt ≥ trial ≥ assess');
  }
}

const CONDITION_TEXT: Record<TechnologyDimension, (tcoRatio: number) => string> = {
  strategic_fit: () => 'Name the business capability it enables and an accountable sponsor before scaling beyond a pilot',
  enterprise_integration: () => 'Deliver an integration design (identity, data, APIs, observability) approved by enterprise architecture',
  security_compliance: () => 'Pass a security and compliance review and close its findings before production data is used',
  support_ecosystem: () => 'Secure a support contract or an internal owning team, and document an exit strategy',
  cost: (ratio) => `Bring the discounted TCO within budget (now ${roundScore(ratio * 100)} % of it) or obtain budget approval for the difference`,
  implementation_risk: () => 'Run a time-boxed proof of concept and keep a risk register with named owners until rollout',
};

/** Evaluates a parsed proposal against the technology-proposal policy. */
export function evaluateTechnologyProposal(input: TechnologyProposalInput, policy: TechnologyProposalPolicy): TechnologyProposalResult {
  checkPolicy(policy);
  throwIfProblems(checkScores(input.strategicFit, policy.strategicFitFactors, DIMENSION_SCALE, 'strategicFit'));

  const c = input.costs;
  const schedule = costSchedule(
    [
      { key: 'licences', oneOff: 0, annual: c.annual.licences },
      { key: 'infrastructure', oneOff: 0, annual: c.annual.infrastructure },
      { key: 'staffing', oneOff: 0, annual: c.annual.staffing },
      { key: 'migration', oneOff: c.migrationOneOff, annual: 0 },
    ],
    policy.horizonYears,
    policy.discountRate,
    c.annualEscalation,
  );
  const budgetRatio = schedule.presentValue / c.budget;

  const fitFactors = Object.fromEntries(policy.strategicFitFactors.map((f) => [f, input.strategicFit[f]!]));
  const raw: { key: TechnologyDimension; score: number; inputs: Record<string, number | null> }[] = [
    { key: 'strategic_fit', score: stableMean(Object.values(fitFactors)), inputs: fitFactors },
    { key: 'enterprise_integration', score: input.enterpriseIntegration, inputs: { enterpriseIntegration: input.enterpriseIntegration } },
    { key: 'security_compliance', score: input.securityCompliance, inputs: { securityCompliance: input.securityCompliance } },
    { key: 'support_ecosystem', score: input.supportEcosystem, inputs: { supportEcosystem: input.supportEcosystem } },
    {
      key: 'cost',
      score: costScore(budgetRatio),
      inputs: { discountedTco: roundMoney(schedule.presentValue), budget: c.budget, budgetRatio: roundRate(budgetRatio) },
    },
    {
      key: 'implementation_risk',
      score: DIMENSION_SCALE.max - input.implementationRiskLevel,
      inputs: { implementationRiskLevel: input.implementationRiskLevel },
    },
  ];
  const weighted = raw.map((d) => ({ ...d, weight: policy.weights[d.key] }));
  const totalRaw = weightedTotal(weighted);
  const total = roundScore(totalRaw);
  const dimensions: DimensionScore<TechnologyDimension>[] = weighted.map((d) => ({
    key: d.key,
    weight: d.weight,
    score: roundScore(d.score),
    contribution: roundScore(d.weight * d.score),
    inputs: d.inputs,
  }));

  const belowFloor = dimensions.filter((d) => d.score < policy.conditionFloor);
  const conditions: TechnologyCondition[] = belowFloor.map((d) => ({
    key: `${d.key}_below_floor`,
    dimension: d.key,
    score: d.score,
    floor: policy.conditionFloor,
    condition: CONDITION_TEXT[d.key](budgetRatio),
  }));

  let decision: TechnologyProposalResult['decision'];
  if (total >= policy.thresholds.approve) decision = conditions.length === 0 ? 'approved' : 'approved_with_conditions';
  else if (total >= policy.thresholds.approveWithConditions) {
    decision = 'approved_with_conditions';
    if (conditions.length === 0) {
      conditions.push({
        key: 'overall_below_approval',
        dimension: null,
        score: total,
        floor: policy.thresholds.approve,
        condition: `Re-evaluate after a pilot: the overall score ${total} is below the approval threshold ${policy.thresholds.approve}`,
      });
    }
  } else decision = 'rejected';

  const radar = radarRing(total, decision, policy.radar);
  return {
    engine: 'technology_proposal',
    technology: input.technology,
    category: input.category ?? null,
    scale: { ...DIMENSION_SCALE },
    dimensions,
    total,
    tco: {
      currency: c.currency,
      horizonYears: policy.horizonYears,
      discountRate: policy.discountRate,
      annualEscalation: c.annualEscalation,
      years: schedule.years.map((y) => {
        const line = (k: string) => roundMoney(y.lines.find((l) => l.key === k)!.nominal);
        return {
          year: y.year,
          licences: line('licences'),
          infrastructure: line('infrastructure'),
          staffing: line('staffing'),
          migration: line('migration'),
          nominal: roundMoney(y.nominal),
          discountFactor: roundRate(y.discountFactor),
          presentValue: roundMoney(y.presentValue),
        };
      }),
      nominalTotal: roundMoney(schedule.nominalTotal),
      presentValue: roundMoney(schedule.presentValue),
      budget: c.budget,
      budgetRatio: roundRate(budgetRatio),
      overBudget: schedule.presentValue > c.budget,
    },
    decision,
    thresholds: { ...policy.thresholds },
    conditionFloor: policy.conditionFloor,
    conditions,
    radar,
    rationale: rationaleFor(input.technology, decision, total, dimensions, policy),
    implementationGuidance: guidanceFor(radar.ring, conditions),
  };
}

/** Parses and evaluates in one step. */
export function runTechnologyProposal(raw: unknown, policy: TechnologyProposalPolicy): TechnologyProposalResult {
  return evaluateTechnologyProposal(parseTechnologyProposalInput(raw), policy);
}

function radarRing(total: number, decision: TechnologyProposalResult['decision'], radar: TechnologyProposalPolicy['radar']): TechnologyProposalResult['radar'] {
  const thresholds = { ...radar };
  if (decision === 'rejected') return { ring: 'hold', thresholds, reason: 'Rejected proposals are placed on hold whatever their score' };
  const ring: TechRadarRing = total >= radar.adopt ? 'adopt' : total >= radar.trial ? 'trial' : total >= radar.assess ? 'assess' : 'hold';
  const reason =
    ring === 'adopt'
      ? `Score ${total} ≥ adopt threshold ${radar.adopt}`
      : ring === 'trial'
        ? `Score ${total} ≥ trial threshold ${radar.trial} and < adopt threshold ${radar.adopt}`
        : ring === 'assess'
          ? `Score ${total} ≥ assess threshold ${radar.assess} and < trial threshold ${radar.trial}`
          : `Score ${total} < assess threshold ${radar.assess}`;
  return { ring, thresholds, reason };
}

function rationaleFor(
  technology: string,
  decision: TechnologyProposalResult['decision'],
  total: number,
  dimensions: DimensionScore<TechnologyDimension>[],
  policy: TechnologyProposalPolicy,
): string {
  const byContribution = [...dimensions].sort((a, b) => b.contribution - a.contribution || (a.key < b.key ? -1 : 1));
  const strongest = byContribution.slice(0, 2).map((d) => `${humanise(d.key)} ${d.score}`).join(', ');
  const weakest = [...dimensions].sort((a, b) => a.score - b.score || (a.key < b.key ? -1 : 1))[0]!;
  const verdict =
    decision === 'approved'
      ? `meets the approval threshold ${policy.thresholds.approve} with every dimension at or above ${policy.conditionFloor}`
      : decision === 'approved_with_conditions'
        ? `is approved with conditions (approval threshold ${policy.thresholds.approve}, conditional threshold ${policy.thresholds.approveWithConditions}, dimension floor ${policy.conditionFloor})`
        : `is below the conditional-approval threshold ${policy.thresholds.approveWithConditions}`;
  return `${technology} scores ${total} of ${DIMENSION_SCALE.max} and ${verdict}. Strongest: ${strongest}; weakest: ${humanise(weakest.key)} ${weakest.score}.`;
}

function guidanceFor(ring: TechRadarRing, conditions: TechnologyCondition[]): string[] {
  const byRing: Record<TechRadarRing, string[]> = {
    adopt: ['Add to the approved technology stack and publish usage guidelines', 'Roll out under standard change management'],
    trial: ['Use on one production project with a named owning team', 'Review the radar placement after the trial with measured results'],
    assess: ['Limit use to a proof of concept outside production', 'Re-submit the proposal with the proof-of-concept findings'],
    hold: ['Do not start new work with this technology', 'Re-submit only with materially changed scores'],
  };
  return [...conditions.map((c) => `Condition: ${c.condition}`), ...byRing[ring]];
}
