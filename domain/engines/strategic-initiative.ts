/**
 * Strategic initiative evaluation against the strategic-initiative policy: six weighted dimensions on a 0-10
 * scale (strategic value as the mean of its factors, technical feasibility, market opportunity, resource
 * requirements and implementation risk as 10 minus their levels, ROI from the NPV of the cash flows), the
 * financials (NPV, IRR, payback), a recommendation (pursue / pursue_with_conditions / defer / reject), success
 * metrics and a risk plan. Below the conditional threshold the initiative is deferred, or rejected when its NPV is
 * negative (as policies/strategic-initiative.yaml documents). Pure: safe to import from workflow code.
 */
import type { StrategicInitiativePolicy } from '../policy/types.js';
import { EnginePolicyError, parseWith } from './errors.js';
import { discountFactor, internalRateOfReturn, netPresentValue, paybackPeriod, type IrrResult } from './finance.js';
import { DIMENSION_SCALE, strategicInitiativeInputSchema, type StrategicInitiativeInput } from './inputs.js';
import { clamp, compareText, roundMoney, roundRate, roundScore, roundYears, stableMean, stableSum } from './rounding.js';
import { assertWeights, checkScores, humanise, throwIfProblems, weightedTotal, type DimensionScore } from './scoring.js';

export type { StrategicInitiativeInput } from './inputs.js';

export const INITIATIVE_DIMENSIONS = [
  'strategic_value',
  'technical_feasibility',
  'market_opportunity',
  'resource_requirements',
  'implementation_risk',
  'roi',
] as const;
export type InitiativeDimension = (typeof INITIATIVE_DIMENSIONS)[number];

/**
 * ROI score from NPV relative to the present value of the outflows (the investment): 0 when NPV ≤ −investment,
 * 5 at break-even (NPV 0), 10 when NPV ≥ the investment. Without outflows: 10 if NPV > 0, 5 if it is 0.
 */
export function roiScore(npv: number, presentValueOfOutflows: number): number {
  if (presentValueOfOutflows === 0) return npv > 0 ? DIMENSION_SCALE.max : npv === 0 ? DIMENSION_SCALE.max / 2 : DIMENSION_SCALE.min;
  return DIMENSION_SCALE.max * clamp((1 + npv / presentValueOfOutflows) / 2, 0, 1);
}

export interface InitiativeCondition {
  key: string;
  condition: string;
}

export interface SuccessMetric {
  key: string;
  metric: string;
  target: string;
}

export interface RiskPlanItem {
  key: string;
  severity: 'high' | 'medium' | 'low';
  risk: string;
  mitigation: string;
}

export interface StrategicInitiativeResult {
  engine: 'strategic_initiative';
  initiative: string;
  scale: { min: number; max: number };
  dimensions: DimensionScore<InitiativeDimension>[];
  total: number;
  financials: {
    currency: string;
    discountRate: number;
    cashFlows: number[];
    discountedCashFlows: number[];
    presentValueOfOutflows: number;
    npv: number;
    irr: { rate: number | null; reason: Exclude<IrrResult['reason'], null> | null };
    /** Years until the cumulative cash flow stays non-negative; null when never within the plan. */
    paybackYears: number | null;
    discountedPaybackYears: number | null;
  };
  recommendation: 'pursue' | 'pursue_with_conditions' | 'defer' | 'reject';
  thresholds: StrategicInitiativePolicy['thresholds'];
  conditions: InitiativeCondition[];
  rationale: string;
  successMetrics: SuccessMetric[];
  riskPlan: RiskPlanItem[];
}

export function parseStrategicInitiativeInput(raw: unknown): StrategicInitiativeInput {
  return parseWith(strategicInitiativeInputSchema, raw);
}

function checkPolicy(policy: StrategicInitiativePolicy): void {
  assertWeights(
    INITIATIVE_DIMENSIONS.map((key) => ({ key, weight: policy.weights[key] })),
    'strategicInitiative.weights',
  );
  if (policy.strategicValueFactors.length === 0) throw new EnginePolicyError('strategicInitiative.strategicValueFactors: empty');
  if (!(policy.discountRate > -1)) throw new EnginePolicyError('strategicInitiative.discountRate: expected a rate above -1');
  if (policy.thresholds.pursue < policy.thresholds.pursueWithConditions) {
    throw new EnginePolicyError('strategicInitiative.thresholds: pursue must be at least pursueWithConditions');
  }
}

const FACTOR_METRICS: Record<string, string> = {
  business_alignment: 'Business objectives (OKRs) the initiative measurably contributes to',
  competitive_differentiation: 'Capabilities competitors lack, confirmed by win/loss analysis',
  market_expansion: 'Revenue or users from new segments or markets',
  operational_efficiency: 'Cycle time or cost per unit against the pre-initiative baseline',
  innovation_potential: 'Follow-on opportunities, prototypes or patents generated',
};

const DIMENSION_RISKS: Record<InitiativeDimension, { risk: string; mitigation: string }> = {
  strategic_value: { risk: 'Weak link to strategy: the initiative may lose sponsorship', mitigation: 'Tie it to named business objectives and an executive sponsor before funding' },
  technical_feasibility: { risk: 'Technical feasibility is unproven', mitigation: 'Fund a proof of concept with exit criteria before the main investment' },
  market_opportunity: { risk: 'The market opportunity may be too small or too late', mitigation: 'Validate demand with customer discovery or a limited launch' },
  resource_requirements: { risk: 'Resource demand exceeds available capacity', mitigation: 'Secure people and budget in writing, or phase the scope to capacity' },
  implementation_risk: { risk: 'High implementation risk', mitigation: 'Deliver in phases with go/no-go gates and a risk register with owners' },
  roi: { risk: 'Returns do not cover the investment at the policy discount rate', mitigation: 'Rework the business case: lower cost, earlier benefits, or a smaller first phase' },
};

/** Evaluates a parsed initiative against the strategic-initiative policy. */
export function evaluateStrategicInitiative(input: StrategicInitiativeInput, policy: StrategicInitiativePolicy): StrategicInitiativeResult {
  checkPolicy(policy);
  throwIfProblems(checkScores(input.strategicValue, policy.strategicValueFactors, DIMENSION_SCALE, 'strategicValue'));

  const rate = policy.discountRate;
  const npv = netPresentValue(input.cashFlows, rate);
  const discounted = input.cashFlows.map((c, t) => c * discountFactor(rate, t));
  const pvOutflows = -stableSum(discounted.filter((c) => c < 0));
  const irr = internalRateOfReturn(input.cashFlows);
  const payback = paybackPeriod(input.cashFlows);
  const discountedPayback = paybackPeriod(input.cashFlows, rate);

  const factors = Object.fromEntries(policy.strategicValueFactors.map((f) => [f, input.strategicValue[f]!]));
  const max = DIMENSION_SCALE.max;
  const raw: { key: InitiativeDimension; score: number; inputs: Record<string, number | null> }[] = [
    { key: 'strategic_value', score: stableMean(Object.values(factors)), inputs: factors },
    { key: 'technical_feasibility', score: input.technicalFeasibility, inputs: { technicalFeasibility: input.technicalFeasibility } },
    { key: 'market_opportunity', score: input.marketOpportunity, inputs: { marketOpportunity: input.marketOpportunity } },
    { key: 'resource_requirements', score: max - input.resourceDemandLevel, inputs: { resourceDemandLevel: input.resourceDemandLevel } },
    { key: 'implementation_risk', score: max - input.implementationRiskLevel, inputs: { implementationRiskLevel: input.implementationRiskLevel } },
    { key: 'roi', score: roiScore(npv, pvOutflows), inputs: { npv: roundMoney(npv), presentValueOfOutflows: roundMoney(pvOutflows) } },
  ];
  const weighted = raw.map((d) => ({ ...d, weight: policy.weights[d.key] }));
  const total = roundScore(weightedTotal(weighted));
  const dimensions: DimensionScore<InitiativeDimension>[] = weighted.map((d) => ({
    key: d.key,
    weight: d.weight,
    score: roundScore(d.score),
    contribution: roundScore(d.weight * d.score),
    inputs: d.inputs,
  }));

  const floor = policy.thresholds.pursueWithConditions;
  const weak = dimensions.filter((d) => d.score < floor);
  const npvRounded = roundMoney(npv);
  const conditions: InitiativeCondition[] = weak.map((d) => ({ key: `${d.key}_below_floor`, condition: `${DIMENSION_RISKS[d.key].mitigation} (${humanise(d.key)} ${d.score} < ${floor})` }));
  if (npvRounded < 0 && !weak.some((d) => d.key === 'roi')) {
    conditions.push({ key: 'negative_npv', condition: `${DIMENSION_RISKS.roi.mitigation} (NPV ${npvRounded} ${input.currency})` });
  }
  if (payback === null) conditions.push({ key: 'no_payback', condition: 'Show a path to payback: the cash flows never recover the investment within the plan' });

  let recommendation: StrategicInitiativeResult['recommendation'];
  if (total >= policy.thresholds.pursue) recommendation = conditions.length === 0 ? 'pursue' : 'pursue_with_conditions';
  else if (total >= policy.thresholds.pursueWithConditions) {
    recommendation = 'pursue_with_conditions';
    if (conditions.length === 0) {
      conditions.push({ key: 'overall_below_pursue', condition: `Pass a phase-gate review: the overall score ${total} is below the pursue threshold ${policy.thresholds.pursue}` });
    }
  } else recommendation = npvRounded < 0 ? 'reject' : 'defer';
  if (recommendation === 'defer' || recommendation === 'reject') conditions.length = 0;

  const financials: StrategicInitiativeResult['financials'] = {
    currency: input.currency,
    discountRate: rate,
    cashFlows: [...input.cashFlows],
    discountedCashFlows: discounted.map(roundMoney),
    presentValueOfOutflows: roundMoney(pvOutflows),
    npv: npvRounded,
    irr: { rate: irr.rate === null ? null : roundRate(irr.rate), reason: irr.reason },
    paybackYears: payback === null ? null : roundYears(payback),
    discountedPaybackYears: discountedPayback === null ? null : roundYears(discountedPayback),
  };

  return {
    engine: 'strategic_initiative',
    initiative: input.initiative,
    scale: { ...DIMENSION_SCALE },
    dimensions,
    total,
    financials,
    recommendation,
    thresholds: { ...policy.thresholds },
    conditions,
    rationale: rationaleFor(input.initiative, recommendation, total, dimensions, financials, policy),
    successMetrics: successMetricsFor(factors, financials),
    riskPlan: riskPlanFor(dimensions, financials, floor),
  };
}

/** Parses and evaluates in one step. */
export function runStrategicInitiative(raw: unknown, policy: StrategicInitiativePolicy): StrategicInitiativeResult {
  return evaluateStrategicInitiative(parseStrategicInitiativeInput(raw), policy);
}

function rationaleFor(
  initiative: string,
  recommendation: StrategicInitiativeResult['recommendation'],
  total: number,
  dimensions: DimensionScore<InitiativeDimension>[],
  f: StrategicInitiativeResult['financials'],
  policy: StrategicInitiativePolicy,
): string {
  const t = policy.thresholds;
  const weakest = [...dimensions].sort((a, b) => a.score - b.score || compareText(a.key, b.key))[0]!;
  const money = `NPV ${f.npv} ${f.currency} at ${f.discountRate}, IRR ${f.irr.rate ?? `undefined (${f.irr.reason})`}, payback ${f.paybackYears === null ? 'never within the plan' : `${f.paybackYears} years`}`;
  const why = {
    pursue: `reaches the pursue threshold ${t.pursue} with no dimension below ${t.pursueWithConditions}`,
    pursue_with_conditions:
      total >= t.pursue
        ? `reaches the pursue threshold ${t.pursue} but has weaknesses that become conditions`
        : `is between the conditional threshold ${t.pursueWithConditions} and the pursue threshold ${t.pursue}`,
    defer: `is below the conditional threshold ${t.pursueWithConditions} with a non-negative NPV: revisit when the weaker dimensions improve`,
    reject: `is below the conditional threshold ${t.pursueWithConditions} and its NPV is negative`,
  }[recommendation];
  return `${initiative} scores ${total} of ${DIMENSION_SCALE.max} and ${why}. Weakest: ${humanise(weakest.key)} ${weakest.score}. ${money}.`;
}

function successMetricsFor(factors: Record<string, number>, f: StrategicInitiativeResult['financials']): SuccessMetric[] {
  const metrics: SuccessMetric[] = [
    {
      key: 'npv',
      metric: `Net present value at the policy discount rate ${f.discountRate}`,
      target: f.npv >= 0 ? `≥ ${f.npv} ${f.currency} (business case)` : `≥ 0 ${f.currency} (the business case is ${f.npv})`,
    },
    {
      key: 'payback',
      metric: 'Payback period (cumulative cash flow stays non-negative)',
      target: f.paybackYears === null ? 'a payback year must be shown in a revised business case' : `≤ ${f.paybackYears} years`,
    },
  ];
  if (f.irr.rate !== null) metrics.push({ key: 'irr', metric: 'Internal rate of return', target: `≥ ${f.discountRate} (business case ${f.irr.rate})` });
  for (const [factor, score] of Object.entries(factors)) {
    metrics.push({
      key: factor,
      metric: FACTOR_METRICS[factor] ?? `Measured improvement in ${humanise(factor)}`,
      target: `re-scored ≥ ${score} of ${DIMENSION_SCALE.max} at each phase gate`,
    });
  }
  return metrics;
}

function riskPlanFor(dimensions: DimensionScore<InitiativeDimension>[], f: StrategicInitiativeResult['financials'], floor: number): RiskPlanItem[] {
  const plan: RiskPlanItem[] = dimensions
    .filter((d) => d.score < floor)
    .sort((a, b) => a.score - b.score || compareText(a.key, b.key))
    .map((d) => ({
      key: d.key,
      severity: d.score < 0.4 * DIMENSION_SCALE.max ? 'high' : 'medium',
      risk: `${DIMENSION_RISKS[d.key].risk} (${humanise(d.key)} ${d.score} < ${floor})`,
      mitigation: DIMENSION_RISKS[d.key].mitigation,
    }));
  if (f.npv < 0 && !plan.some((p) => p.key === 'roi')) plan.push({ key: 'negative_npv', severity: 'high', risk: `Negative NPV (${f.npv} ${f.currency})`, mitigation: DIMENSION_RISKS.roi.mitigation });
  if (f.paybackYears === null) plan.push({ key: 'no_payback', severity: 'high', risk: 'The investment is not paid back within the plan', mitigation: 'Re-plan benefits and costs, or stop at the first phase gate' });
  if (f.irr.rate === null) {
    plan.push({
      key: 'irr_undefined',
      severity: f.irr.reason === 'multiple_roots' ? 'medium' : 'low',
      risk: `IRR is undefined (${f.irr.reason}): judge the return by NPV only`,
      mitigation: 'Review the cash-flow profile with finance before the funding decision',
    });
  }
  if (plan.length === 0) plan.push({ key: 'routine', severity: 'low', risk: 'No dimension below the conditional threshold', mitigation: 'Review scores and financials at every phase gate' });
  return plan;
}
