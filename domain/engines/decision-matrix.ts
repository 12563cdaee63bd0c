/**
 * Technical decision evaluation: a weighted decision matrix over the decision-criteria policy. Each option is
 * scored per factor; a criterion's score is the mean of its factors, the total is Σ weight × criterion score.
 * Options are ranked by total (ties by name), the leader is recommended unless its margin over the runner-up is
 * below the policy's `noClearWinnerMargin`. Pure: safe to import from workflow code.
 */
import type { DecisionCriteriaPolicy } from '../policy/types.js';
import { EnginePolicyError, joinPath, parseWith } from './errors.js';
import { decisionMatrixInputSchema, type DecisionMatrixInput } from './inputs.js';
import { compareText, roundScore, stableMean } from './rounding.js';
import { assertScale, assertWeights, checkScores, humanise, normalise, throwIfProblems, weightedTotal, type Scale } from './scoring.js';

export type { DecisionMatrixInput } from './inputs.js';

/** A factor scoring below this share of the scale counts as weak (risk mitigations, preparation work). */
export const WEAK_SHARE = 0.6;

export interface FactorScore {
  key: string;
  score: number;
}

export interface CriterionScore {
  key: string;
  weight: number;
  factors: FactorScore[];
  /** Mean of the factor scores. */
  score: number;
  /** weight × score. */
  contribution: number;
}

export interface OptionEvaluation {
  name: string;
  /** 1-based position in the ranking; equal totals are ordered by name. */
  rank: number;
  /** Σ contributions. */
  total: number;
  criteria: CriterionScore[];
}

export interface DecidingCriterion {
  key: string;
  optionContribution: number;
  runnerUpContribution: number;
  difference: number;
}

export interface DecisionRecommendation {
  status: 'recommended' | 'no_clear_winner';
  /** The leading option (recommended when status is `recommended`). */
  option: string;
  runnerUp: string;
  /** Leader's total minus runner-up's. */
  margin: number;
  /** The policy's noClearWinnerMargin. */
  requiredMargin: number;
  /** Criteria where the leader's contribution beats the runner-up's, largest difference first. */
  decidingCriteria: DecidingCriterion[];
  rationale: string;
}

export interface RiskMitigation {
  criterion: string;
  factor: string;
  score: number;
  priority: 'high' | 'medium' | 'low';
  action: string;
}

export interface PlanPhase {
  key: 'resolve' | 'prepare' | 'pilot' | 'rollout' | 'review';
  title: string;
  activities: string[];
}

export interface DecisionMatrixResult {
  engine: 'decision_matrix';
  decision: string;
  scale: Scale;
  /** Options in ranking order. */
  options: OptionEvaluation[];
  recommendation: DecisionRecommendation;
  riskMitigations: RiskMitigation[];
  implementationPlan: PlanPhase[];
}

export function parseDecisionMatrixInput(raw: unknown): DecisionMatrixInput {
  return parseWith(decisionMatrixInputSchema, raw);
}

function checkPolicy(policy: DecisionCriteriaPolicy): void {
  assertWeights(policy.criteria, 'decisionCriteria.criteria');
  assertScale(policy.scale, 'decisionCriteria.scale');
  for (const c of policy.criteria) if (c.factors.length === 0) throw new EnginePolicyError(`decisionCriteria.criteria.${c.key}: no factors`);
  if (!policy.criteria.some((c) => c.key === policy.riskCriterion)) {
    throw new EnginePolicyError(`decisionCriteria.riskCriterion: ${policy.riskCriterion} is not a criterion`);
  }
  if (!Number.isFinite(policy.noClearWinnerMargin) || policy.noClearWinnerMargin < 0) {
    throw new EnginePolicyError('decisionCriteria.noClearWinnerMargin: must be a non-negative number');
  }
}

const MITIGATIONS: Record<string, string> = {
  technical_risk: 'Run a time-boxed proof of concept on the riskiest components before committing, with explicit exit criteria',
  business_risk: 'Agree measurable business outcomes and a stop/continue checkpoint with the sponsor',
  operational_risk: 'Define runbooks, monitoring, alerting and an on-call rotation before go-live',
  security: 'Commission a threat model and security review before production data is used',
  scalability: 'Load-test at 10x the expected volume before committing to the architecture',
  team_capabilities: 'Plan training or pair the team with experienced engineers for the first increments',
  timeline_constraints: 'Re-plan the timeline with contingency, or cut scope to the critical path',
  resource_availability: 'Secure the people and budget in writing before the start',
};

function mitigationFor(factor: string, criterion: string, score: number, scale: Scale): string {
  return MITIGATIONS[factor] ?? `Assign an owner and a mitigation plan for ${humanise(factor)} (${humanise(criterion)}), scored ${score} of ${scale.max}`;
}

function priorityOf(score: number, scale: Scale): RiskMitigation['priority'] {
  const share = normalise(score, scale);
  return share < 0.4 ? 'high' : share < WEAK_SHARE ? 'medium' : 'low';
}

function evaluateOption(name: string, scores: Readonly<Record<string, number>>, policy: DecisionCriteriaPolicy) {
  const criteria = policy.criteria.map((c) => {
    const factors = c.factors.map((f) => ({ key: f, score: scores[f]! }));
    const score = stableMean(factors.map((f) => f.score));
    return { key: c.key, weight: c.weight, factors, score, contribution: c.weight * score };
  });
  return { name, criteria, total: weightedTotal(criteria) };
}

/** Evaluates the options of a parsed input against the decision-criteria policy. */
export function evaluateDecisionMatrix(input: DecisionMatrixInput, policy: DecisionCriteriaPolicy): DecisionMatrixResult {
  checkPolicy(policy);
  const scale = { min: policy.scale.min, max: policy.scale.max };
  const factorKeys = [...new Set(policy.criteria.flatMap((c) => c.factors))];
  throwIfProblems(input.options.flatMap((o, i) => checkScores(o.scores, factorKeys, scale, joinPath(joinPath('options', i), 'scores'))));

  const raw = input.options.map((o) => evaluateOption(o.name, o.scores, policy));
  raw.sort((a, b) => roundScore(b.total) - roundScore(a.total) || compareText(a.name, b.name));
  const options: OptionEvaluation[] = raw.map((o, i) => ({
    name: o.name,
    rank: i + 1,
    total: roundScore(o.total),
    criteria: o.criteria.map((c) => ({
      key: c.key,
      weight: c.weight,
      factors: c.factors,
      score: roundScore(c.score),
      contribution: roundScore(c.contribution),
    })),
  }));

  const leader = raw[0]!;
  const runnerUp = raw[1]!;
  const margin = roundScore(roundScore(leader.total) - roundScore(runnerUp.total));
  const status = margin < policy.noClearWinnerMargin ? 'no_clear_winner' : 'recommended';
  const decidingCriteria = leader.criteria
    .map((c, i) => ({
      key: c.key,
      optionContribution: roundScore(c.contribution),
      runnerUpContribution: roundScore(runnerUp.criteria[i]!.contribution),
      difference: roundScore(c.contribution - runnerUp.criteria[i]!.contribution),
    }))
    .filter((d) => d.difference > 0)
    .sort((a, b) => b.difference - a.difference || compareText(a.key, b.key));

  const recommendation: DecisionRecommendation = {
    status,
    option: leader.name,
    runnerUp: runnerUp.name,
    margin,
    requiredMargin: policy.noClearWinnerMargin,
    decidingCriteria,
    rationale: rationale(status, options, margin, policy.noClearWinnerMargin, decidingCriteria, scale),
  };

  const leaderEval = options[0]!;
  const riskMitigations = riskMitigationsFor(leaderEval, policy.riskCriterion, scale);
  return {
    engine: 'decision_matrix',
    decision: input.decision,
    scale,
    options,
    recommendation,
    riskMitigations,
    implementationPlan: planFor(recommendation, leaderEval, policy.riskCriterion, riskMitigations, scale),
  };
}

/** Parses and evaluates in one step. */
export function runDecisionMatrix(raw: unknown, policy: DecisionCriteriaPolicy): DecisionMatrixResult {
  return evaluateDecisionMatrix(parseDecisionMatrixInput(raw), policy);
}

function rationale(
  status: DecisionRecommendation['status'],
  options: OptionEvaluation[],
  margin: number,
  requiredMargin: number,
  deciding: DecidingCriterion[],
  scale: Scale,
): string {
  const [first, second] = [options[0]!, options[1]!];
  const drivers = deciding
    .slice(0, 3)
    .map((d) => `${humanise(d.key)} (+${d.difference})`)
    .join(', ');
  const lead = `${first.name} scores ${first.total} of ${scale.max}, ${margin} ahead of ${second.name} (${second.total})`;
  if (status === 'no_clear_winner') {
    return `No clear winner: ${lead}, below the required margin of ${requiredMargin}.${drivers ? ` It leads on ${drivers}.` : ''} Decide with further evidence on the closest criteria.`;
  }
  return `Recommend ${first.name}: ${lead}, at or above the required margin of ${requiredMargin}. ${drivers ? `Decided mainly by ${drivers}.` : 'Tied on every criterion; ranked first by name.'}`;
}

function riskMitigationsFor(option: OptionEvaluation, riskCriterion: string, scale: Scale): RiskMitigation[] {
  const criterion = option.criteria.find((c) => c.key === riskCriterion)!;
  const sorted = [...criterion.factors].sort((a, b) => a.score - b.score || compareText(a.key, b.key));
  const weak = sorted.filter((f, i) => i === 0 || normalise(f.score, scale) < WEAK_SHARE);
  return weak.map((f) => ({
    criterion: riskCriterion,
    factor: f.key,
    score: f.score,
    priority: priorityOf(f.score, scale),
    action: mitigationFor(f.key, riskCriterion, f.score, scale),
  }));
}

function planFor(
  recommendation: DecisionRecommendation,
  option: OptionEvaluation,
  riskCriterion: string,
  mitigations: RiskMitigation[],
  scale: Scale,
): PlanPhase[] {
  const phases: PlanPhase[] = [];
  if (recommendation.status === 'no_clear_winner') {
    const closest = recommendation.decidingCriteria[0]?.key;
    phases.push({
      key: 'resolve',
      title: 'Resolve the close call',
      activities: [
        `Run a comparative spike of ${recommendation.option} and ${recommendation.runnerUp}${closest ? `, focused on ${humanise(closest)}` : ''}`,
        'Re-score both options with the evidence and confirm the choice with the decision owners',
      ],
    });
  }
  const weakFactors = option.criteria
    .filter((c) => c.key !== riskCriterion)
    .flatMap((c) => c.factors.map((f) => ({ criterion: c.key, ...f })))
    .filter((f) => normalise(f.score, scale) < WEAK_SHARE)
    .sort((a, b) => a.score - b.score || compareText(a.key, b.key) || compareText(a.criterion, b.criterion));
  phases.push({
    key: 'prepare',
    title: 'Prepare: close the weakest gaps',
    activities:
      weakFactors.length > 0
        ? weakFactors.map((f) => `Strengthen ${humanise(f.key)} (${humanise(f.criterion)}, scored ${f.score} of ${scale.max}): ${mitigationFor(f.key, f.criterion, f.score, scale)}`)
        : ['Confirm team, timeline and resources against the plan'],
  });
  phases.push({
    key: 'pilot',
    title: 'Pilot and de-risk',
    activities: [
      `Prove the riskiest assumptions of ${option.name} in a time-boxed pilot with go/no-go criteria`,
      ...mitigations.filter((m) => m.priority !== 'low').map((m) => `Verify the mitigation of ${humanise(m.factor)} (${m.priority} priority)`),
    ],
  });
  phases.push({
    key: 'rollout',
    title: 'Roll out incrementally',
    activities: [`Roll out ${option.name} in increments, each with a rollback path`, 'Track the decision criteria as acceptance measures of each increment'],
  });
  phases.push({
    key: 'review',
    title: 'Review the decision',
    activities: ['Re-score the decision matrix with measured results under the same policy version', 'Record lessons learned in the decision log'],
  });
  return phases;
}
