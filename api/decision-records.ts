/**
 * Reads closed decisions from the record (Process, Decision, Evaluation, AuditEntry) and turns them into ADR content
 * (domain/adr/madr.ts renders it). Drivers come from the policy each process pinned, so an ADR keeps the criteria and
 * weights its decision was made under.
 */
import { GovflowError } from '../domain/errors.js';
import { ADR_KINDS, type AdrKind } from '../domain/adr/kinds.js';
import { numberCollection, type CollectedAdr } from '../domain/adr/collection.js';
import type { AdrContent, AdrOption, AdrStatus, NumberedAdr } from '../domain/adr/madr.js';
import type { DecisionMatrixInput, DecisionMatrixResult } from '../domain/engines/decision-matrix.js';
import { WEAK_SHARE } from '../domain/engines/decision-matrix.js';
import { humanise } from '../domain/engines/scoring.js';
import type { TechnologyProposalInput, TechnologyProposalResult } from '../domain/engines/technology-proposal.js';
import type { PolicySet } from '../domain/policy/types.js';
import { EVALUATIONS } from '../workflows/evaluation/contract.js';
import { workflowIdFor } from '../workflows/contracts/common.js';
import { processHref } from '../web/links.js';
import type { ApiDeps } from './process-routes.js';

/** Where each ADR kind lives in the API. */
export const ADR_PATHS: Record<AdrKind, string> = {
  architecture_review: '/architecture-reviews',
  technical_decision_evaluation: `/evaluations/${EVALUATIONS.technical_decision.path}`,
  technology_proposal_evaluation: `/evaluations/${EVALUATIONS.technology_proposal.path}`,
};

/** The outcomes that are decisions, and the MADR status each gives. Other outcomes (withdrawn, SLA breached, refused input) yield no ADR. */
const STATUS: Record<AdrKind, Record<string, AdrStatus>> = {
  architecture_review: { approved: 'accepted', approved_with_conditions: 'accepted', rejected: 'rejected' },
  technical_decision_evaluation: { recommended: 'accepted', no_clear_winner: 'proposed' },
  technology_proposal_evaluation: { approved: 'accepted', approved_with_conditions: 'accepted', rejected: 'rejected' },
};

const START_ACTIONS = ['started', 'evaluation_requested'];
const CLOSE_ACTIONS = ['decided', 'evaluated'];

/** A start's `supersedes` must name a decided process of the same kind (400 naming the field otherwise). */
export async function requireSupersedable(deps: ApiDeps, kind: AdrKind, key: string | undefined): Promise<void> {
  if (!key) return;
  const row = await deps.db.process.findUnique({ where: { workflowId: workflowIdFor(kind, key) }, select: { outcome: true } });
  if (!row || !row.outcome || !(row.outcome in STATUS[kind])) {
    throw new GovflowError('ValidationError', `supersedes: no decided ${humanise(kind)} ${key}`, [{ path: 'supersedes', message: `no decided ${humanise(kind)} with this key` }]);
  }
}

export function collectionOf(policy: PolicySet, kind: AdrKind): { key: string; title: string; kinds: string[] } {
  const collection = policy.decisionRecords.adr.collections.find((c) => c.kinds.includes(kind));
  if (!collection) throw new GovflowError('NotFound', `the policy puts ${humanise(kind)}s in no ADR collection`);
  return collection;
}

/** Every ADR of a collection, numbered, with supersession resolved. `origin` makes the links absolute (files live elsewhere). */
export async function collectAdrs(deps: ApiDeps, collectionKey: string, origin: string): Promise<NumberedAdr[]> {
  const collection = deps.policies.current.decisionRecords.adr.collections.find((c) => c.key === collectionKey);
  if (!collection) throw new GovflowError('NotFound', `no ADR collection ${collectionKey}`);
  const kinds = collection.kinds.filter((k): k is AdrKind => (ADR_KINDS as readonly string[]).includes(k));
  const { db } = deps;
  const processes = (await db.process.findMany({ where: { kind: { in: kinds }, completedAt: { not: null } }, orderBy: { completedAt: 'asc' } })).filter(
    (p) => p.outcome !== null && p.outcome in STATUS[p.kind as AdrKind],
  );
  const ids = processes.map((p) => p.workflowId);
  const [audit, decisions, evaluations] = await Promise.all([
    db.auditEntry.findMany({ where: { workflowId: { in: ids }, action: { in: [...START_ACTIONS, ...CLOSE_ACTIONS] } }, orderBy: { seq: 'asc' } }),
    db.decision.findMany({ where: { workflowId: { in: ids } }, orderBy: { decidedAt: 'asc' } }),
    db.evaluation.findMany({ where: { workflowId: { in: ids } } }),
  ]);
  const policies = new Map<string, PolicySet | null>();
  const records: CollectedAdr[] = [];
  for (const p of processes) {
    if (!policies.has(p.policyVersion)) policies.set(p.policyVersion, await deps.policies.get(p.policyVersion));
    const policy = policies.get(p.policyVersion) ?? deps.policies.current;
    const own = audit.filter((a) => a.workflowId === p.workflowId);
    const startDetails = (own.find((a) => START_ACTIONS.includes(a.action))?.details ?? {}) as Record<string, unknown>;
    const closing = own.filter((a) => CLOSE_ACTIONS.includes(a.action)).at(-1);
    const evaluation = evaluations.find((e) => e.workflowId === p.workflowId);
    // Until the closing entry (and an evaluation's result) is written, there is no decision on record to show.
    if (!closing || (p.kind !== 'architecture_review' && !evaluation)) continue;
    const kind = p.kind as AdrKind;
    const base = {
      kind,
      workflowId: p.workflowId,
      businessKey: p.businessKey,
      title: p.title,
      status: STATUS[kind][p.outcome!]!,
      outcome: p.outcome!,
      date: closing.occurredAt.toISOString().slice(0, 10),
      requester: p.requester,
      policyVersion: p.policyVersion,
      links: {
        process: `${origin}${ADR_PATHS[kind]}/${encodeURIComponent(p.businessKey)}`,
        app: `${origin}${processHref(p.workflowId)}`,
        receipt: `${origin}/audit/receipts/${encodeURIComponent(closing.eventKey)}`,
      },
    };
    let content: CollectedAdr['content'];
    let technology: string | null = null;
    if (kind === 'architecture_review') {
      const state = p.state as { round?: number; conditions?: string[] };
      content = architectureReview(base, policy, startDetails, decisions.filter((d) => d.workflowId === p.workflowId), state.round ?? 1, state.conditions ?? []);
    } else if (kind === 'technical_decision_evaluation') {
      content = technicalDecision(base, policy, evaluation?.input as unknown as DecisionMatrixInput, evaluation?.result as unknown as DecisionMatrixResult);
    } else {
      const result = evaluation?.result as unknown as TechnologyProposalResult;
      technology = result.technology;
      content = technologyProposal(base, policy, evaluation?.input as unknown as TechnologyProposalInput, result);
    }
    const names = typeof startDetails.supersedes === 'string' ? [workflowIdFor(kind, startDetails.supersedes)] : [];
    records.push({ content, position: Number(closing.seq), names, technology });
  }
  return numberCollection({ key: collection.key, title: collection.title }, records);
}

type Base = Pick<AdrContent, 'kind' | 'workflowId' | 'businessKey' | 'title' | 'status' | 'outcome' | 'date' | 'requester' | 'policyVersion' | 'links'>;
type DecisionRow = { round: number; actor: string; role: string; verdict: string; criteria: unknown; conditions: string[]; justification: string | null };

/** Engine guidance is written as instructions ("Add to …"); after "because" it reads in lower case. */
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
const isApproval = (verdict: string) => verdict === 'approve' || verdict === 'approve_with_conditions';

function architectureReview(base: Base, policy: PolicySet, started: Record<string, unknown>, votes: DecisionRow[], round: number, conditions: string[]): CollectedAdr['content'] {
  const ar = policy.architectureReview;
  // The deciding round's votes, the latest per role (a revised vote replaces the earlier one).
  const final = [...new Map(votes.filter((v) => v.round === round).map((v) => [v.role, v])).values()];
  const accepted = base.status === 'accepted';
  const reviewers = final.map((v) => `${v.actor} (${v.role})`);
  const rulingOf = (v: DecisionRow, criterion: string) => (v.criteria as Record<string, string> | null)?.[criterion] ?? '—';
  const design = `The design as proposed: ${base.title}`;
  const keep = 'Not this design (keep the current architecture)';
  const perCriterion = ar.approvalCriteria.map((c) => ({ key: c, criterion: humanise(c), verdicts: final.map((v) => rulingOf(v, c)) }));
  const evidence = Array.isArray(started.evidence) ? (started.evidence as string[]) : [];
  const selfAssessment = Object.entries((started.selfAssessment ?? {}) as Record<string, { status: string; notes?: string }>);
  return {
    ...base,
    deciders: final.map((v) => v.actor),
    context: typeof started.systemDescription === 'string' ? started.systemDescription : base.title,
    contextDetails: [
      ...(typeof started.trigger === 'string' ? [`Review trigger: ${humanise(started.trigger)}`] : []),
      ...evidence.map((e) => `Evidence: ${e}`),
      ...selfAssessment.map(([principle, s]) => `Self-assessment, ${humanise(principle)}: ${humanise(s.status)}${s.notes ? ` (${s.notes})` : ''}`),
      ...(round > 1 ? [`Decided in round ${round}, after changes were requested in earlier rounds`] : []),
    ],
    drivers: [
      ...ar.principles.map((p) => `Principle ${humanise(p.key)}: ${p.description} (${p.complianceRequirements.map(humanise).join(', ')})`),
      ...ar.approvalCriteria.map((c) => `Approval criterion ${humanise(c)}: ruled on by every reviewer`),
      `Rule: ${ar.outcome.unanimousRequired ? 'every required reviewer must approve' : 'the required reviewers decide by majority'}${ar.outcome.blockingRoles.length ? `; a rejection by ${ar.outcome.blockingRoles.join(', ')} blocks` : ''}`,
    ],
    scale: null,
    options: [
      {
        name: design,
        score: null,
        summary: `Approved by ${final.filter((v) => isApproval(v.verdict)).length} of ${final.length} reviewers in the deciding round.`,
        good: perCriterion.filter((c) => c.verdicts.every((v) => v === 'approve')).map((c) => `${c.criterion} was approved by every reviewer`),
        neutral: perCriterion
          .filter((c) => c.verdicts.every(isApproval) && c.verdicts.includes('approve_with_conditions'))
          .map((c) => `${c.criterion} was approved, with conditions by ${final.filter((v) => rulingOf(v, c.key) === 'approve_with_conditions').map((v) => v.actor).join(', ')}`),
        bad: perCriterion.flatMap((c) => final.filter((v) => !isApproval(rulingOf(v, c.key))).map((v) => `${v.actor} (${v.role}) ruled ${humanise(rulingOf(v, c.key))} on ${c.criterion}`)),
      },
      { name: keep, score: null, summary: 'The alternative every review weighs: the design does not go ahead.', good: [], neutral: [], bad: [] },
    ],
    chosen: accepted ? design : keep,
    rationale: accepted
      ? `${humanise(base.outcome)}: ${final.map((v) => `${v.actor} (${v.role}) ${humanise(v.verdict)}`).join(', ')}`
      : `the review was rejected: ${final.filter((v) => !isApproval(v.verdict)).map((v) => `${v.actor} (${v.role}) ${humanise(v.verdict)}${v.justification ? ` ("${v.justification}")` : ''}`).join(', ') || 'changes were still requested after the last round'}`,
    consequences: accepted
      ? { good: ['the design may be built as reviewed, under the policy it was reviewed against'], bad: conditions.map((c) => `the approval is conditional: ${c}`) }
      : { good: [], bad: ['the design does not go ahead as proposed; a new review is needed for a changed design'] },
    conditions,
    rulings: {
      reviewers,
      criteria: perCriterion.map((c) => ({ criterion: c.criterion, cells: c.verdicts })),
      byReviewer: final.map((v) => ({ reviewer: v.actor, role: v.role, verdict: v.verdict, justification: v.justification ?? '', conditions: v.conditions })),
    },
    dissent: final
      .filter((v) => isApproval(v.verdict) !== accepted)
      .map((v) => `${v.actor} (${v.role}) ruled ${humanise(v.verdict)}${v.justification ? `: "${v.justification}"` : ''}`),
  };
}

function technicalDecision(base: Base, policy: PolicySet, input: DecisionMatrixInput, result: DecisionMatrixResult): CollectedAdr['content'] {
  const dc = policy.decisionCriteria;
  const rec = result.recommendation;
  const weak = result.scale.min + WEAK_SHARE * (result.scale.max - result.scale.min);
  const options: AdrOption[] = result.options.map((o) => ({
    name: o.name,
    score: o.total,
    summary: `${input?.options.find((i) => i.name === o.name)?.description ?? o.name}. Ranked ${o.rank} of ${result.options.length}.`,
    good: o.criteria.filter((c) => c.score >= weak).map((c) => `${humanise(c.key)} scores ${c.score} (weight ${c.weight}, contributes ${c.contribution})`),
    neutral: [],
    bad: o.criteria.filter((c) => c.score < weak).map((c) => `${humanise(c.key)} scores ${c.score} (weight ${c.weight}, contributes ${c.contribution})`),
  }));
  const chosen = result.options.find((o) => o.name === rec.option)!;
  return {
    ...base,
    deciders: [base.requester],
    context: result.decision,
    contextDetails: [`Options compared: ${result.options.map((o) => o.name).join(', ')}`],
    drivers: dc.criteria.map((c) => `${humanise(c.key)} (weight ${c.weight}): ${c.factors.map(humanise).join(', ')}`),
    scale: result.scale,
    options,
    chosen: rec.status === 'recommended' ? rec.option : null,
    rationale: rec.rationale,
    consequences: {
      good: rec.decidingCriteria.map((d) => `${rec.option} leads ${rec.runnerUp} on ${humanise(d.key)} by ${d.difference}`),
      bad: result.riskMitigations.map((m) => `${humanise(m.factor)} needs mitigation (${m.priority} priority): ${m.action}`),
    },
    conditions: [],
    rulings: { reviewers: [], criteria: chosen.criteria.map((c) => ({ criterion: humanise(c.key), cells: [String(c.weight), String(c.score), String(c.contribution)] })), byReviewer: [] },
    dissent: rec.status === 'recommended' ? [] : [`no clear winner: ${rec.option} leads ${rec.runnerUp} by ${rec.margin}, less than the required ${rec.requiredMargin}`],
  };
}

function technologyProposal(base: Base, policy: PolicySet, input: TechnologyProposalInput, result: TechnologyProposalResult): CollectedAdr['content'] {
  const tp = policy.technologyProposal;
  const adopt = `Adopt ${result.technology} (radar: ${result.radar.ring})`;
  const without = `Not ${result.technology} (keep the current stack)`;
  const accepted = base.status === 'accepted';
  return {
    ...base,
    deciders: [base.requester],
    context: `Should ${result.technology}${result.category ? ` (${result.category})` : ''} become part of the technology stack?`,
    contextDetails: [
      `Budget over ${result.tco.horizonYears} years: ${result.tco.budget} ${result.tco.currency}; discounted TCO ${result.tco.presentValue} ${result.tco.currency} (${Math.round(result.tco.budgetRatio * 100)} % of the budget)`,
      ...tp.strategicFitFactors.filter((f) => input?.strategicFit?.[f] !== undefined).map((f) => `Strategic fit, ${humanise(f)}: ${input.strategicFit[f]}`),
    ],
    drivers: [
      ...Object.entries(tp.weights).map(([d, w]) => `${humanise(d)} (weight ${w})`),
      `Thresholds: approve at ${tp.thresholds.approve}, with conditions at ${tp.thresholds.approveWithConditions}; a dimension below ${tp.conditionFloor} attaches a condition`,
    ],
    scale: result.scale,
    options: [
      {
        name: adopt,
        score: result.total,
        summary: result.radar.reason,
        good: result.dimensions.filter((d) => d.score >= tp.thresholds.approve).map((d) => `${humanise(d.key)} scores ${d.score} (weight ${d.weight})`),
        neutral: result.dimensions.filter((d) => d.score < tp.thresholds.approve && d.score >= result.conditionFloor).map((d) => `${humanise(d.key)} scores ${d.score} (weight ${d.weight})`),
        bad: result.dimensions.filter((d) => d.score < result.conditionFloor).map((d) => `${humanise(d.key)} scores ${d.score}, below the floor ${result.conditionFloor}`),
      },
      { name: without, score: null, summary: 'The alternative every proposal weighs: no new technology.', good: [], neutral: [], bad: [] },
    ],
    chosen: accepted ? adopt : without,
    rationale: result.rationale,
    consequences: accepted
      ? { good: result.implementationGuidance.map(lowerFirst), bad: result.tco.overBudget ? ['the discounted TCO is over budget'] : [] }
      : { good: [], bad: result.implementationGuidance.map(lowerFirst) },
    conditions: result.conditions.map((c) => c.condition),
    rulings: { reviewers: [], criteria: result.dimensions.map((d) => ({ criterion: humanise(d.key), cells: [String(d.weight), String(d.score), String(d.contribution)] })), byReviewer: [] },
    dissent: [],
  };
}
