import { setHandler } from '@temporalio/workflow';
import { analyseResults } from '../../domain/innovation/experiment-results.js';
import { describeImbalance, PORTFOLIO_BUCKETS, projectScaleUp } from '../../domain/innovation/portfolio.js';
import type { ErrorField } from '../../domain/errors.js';
import { withArticle } from '../../domain/wording.js';
import {
  committeeKeyFor,
  type CommitteeApprovalInput,
  type CommitteeOutcome,
} from '../committee-approval/contract.js';
import { workflowIdFor, type Actor, type WithdrawRequest } from '../contracts/common.js';
import {
  completeStageUpdate,
  EXPERIMENT_STAGE,
  GATE_REVIEWER_ROLES,
  gateReviewUpdate,
  SCALE_UP_DECISION_STAGE,
  type GateReview,
  type PocScaleUpInput,
  type PocScaleUpOutcome,
  type PocScaleUpState,
  type StageCompletion,
} from './contract.js';
import { slaDueAt, waitWithEscalation, type EscalationClock } from '../kernel/escalation.js';
import { describeStep } from '../../domain/engines/escalation-deadlines.js';
import { requireDuties, requireMayDecide, rolesFor } from '../kernel/duties.js';
import { refuse } from '../kernel/failures.js';
import { decideByCommittee } from '../support/committee.js';
import { baseState, ProcessKernel } from '../kernel/process.js';

const GATE_STAGE = 'selection_gate';
const TEAM_ROLES = ['requester', 'business_sponsor'];

/**
 * Proof of concept to scale-up: a reviewer rules on the policy's selection criteria; the team then works
 * through the policy's development stages in order (reminders, escalation and an SLA breach on the committee's
 * timers while a stage is open); results analysis compares the measured metrics with their targets; the
 * governance committee, as a child workflow, takes the scale-up decision, warned when scaling up would push the
 * innovation portfolio outside its target balance.
 */
export async function pocScaleUp(input: PocScaleUpInput): Promise<PocScaleUpState> {
  const { policy, committeePolicy, proposal } = input;
  validateInput(input);
  const gateRoles = rolesFor(input.access, 'gate_reviews', GATE_REVIEWER_ROLES);
  const escalation = committeePolicy.escalation;
  const decisionAt = policy.developmentProcess.indexOf(SCALE_UP_DECISION_STAGE);
  const stages = policy.developmentProcess.slice(0, decisionAt);

  const state: PocScaleUpState = {
    ...baseState('poc_scale_up', input, GATE_STAGE, [...gateRoles]),
    riskTier: proposal.riskLevel,
    bucket: proposal.bucket,
    proposal,
    businessSponsor: proposal.businessSponsor,
    gate: null,
    stages,
    completedStages: [],
    metricResults: [],
    analysis: null,
    portfolioProjection: null,
    portfolioWarning: null,
    committeeWorkflowId: null,
    committeeOutcome: null,
    reasons: [],
    extensionDays: 0,
  };
  const kernel = new ProcessKernel(state, {
    noun: 'proof of concept',
    describe,
    recorder: {
      pendingActors: (s) => (s.pendingRoles.includes('business_sponsor') ? [s.businessSponsor] : []),
      // The team's stages wait on the named requester and sponsor; the committee's decision on its own item.
      openRoles: (s) => (s.stage === GATE_STAGE ? s.pendingRoles : []),
    },
  });
  const { rec } = kernel;
  const isOpen = () => kernel.isOpen();
  const isTeam = (actor: Actor) => actor.id === state.requester || actor.id === state.businessSponsor;

  kernel.start({
    by: input.requester,
    details: {
      proposal,
      selfAssessment: input.selfAssessment,
      portfolio: input.portfolio,
      stages,
      urgent: input.urgent ?? false,
    },
  });
  rec.notify('info', [state.businessSponsor], `You are the business sponsor of the proof of concept "${state.title}"`);

  setHandler(
    gateReviewUpdate,
    (review) => {
      const unmet = policy.pocSelectionCriteria.filter((c) => !review.criteria[c]!.met);
      const role = reviewerRole(review.actor)!;
      state.gate = { reviewer: review.actor.id, role, criteria: review.criteria, passed: unmet.length === 0, at: new Date().toISOString() };
      state.reasons = unmet.map((c) => `${c}: ${review.criteria[c]!.note!.trim()}`);
      const event = rec.event(review.actor, 'gate_reviewed', { criteria: review.criteria, passed: state.gate.passed, unmet }, role);
      rec.decision(event, {
        round: 1,
        role,
        verdict: state.gate.passed ? 'selected' : 'not_selected',
        criteria: review.criteria,
        justification: state.reasons.join('; ') || undefined,
      });
      // A selected proposal moves to its first stage at once, so the answer shows what the team does next.
      if (state.gate.passed) {
        state.stage = stages[0]!;
        state.pendingRoles = [...TEAM_ROLES];
        rec.changed();
      }
      return kernel.receipt();
    },
    { validator: validateGateReview },
  );

  setHandler(
    completeStageUpdate,
    (req) => {
      const done = {
        stage: req.stage,
        summary: req.summary.trim(),
        evidence: req.evidence ?? [],
        actor: req.actor.id,
        actorKind: req.actor.kind,
        at: new Date().toISOString(),
      };
      state.completedStages.push(done);
      if (req.stage === EXPERIMENT_STAGE) state.metricResults = req.metricResults ?? [];
      const role = req.actor.id === state.requester ? 'requester' : 'business_sponsor';
      rec.event(req.actor, 'stage_completed', { stage: req.stage, summary: done.summary, evidence: done.evidence, metricResults: req.metricResults }, role);
      const next = stages[stages.indexOf(req.stage) + 1];
      if (next) {
        state.stage = next;
      } else {
        // The last team stage is the results analysis: it measures the experiment against the proposal's targets.
        state.analysis = analyseResults(proposal.successMetrics, state.metricResults);
        rec.event('system', 'results_analysed', { ...state.analysis });
        state.stage = SCALE_UP_DECISION_STAGE;
        state.pendingRoles = [];
      }
      rec.changed();
      return kernel.receipt();
    },
    { validator: validateStageCompletion },
  );

  // A withdrawal during the scale-up decision is passed on to the committee item (see decideScaleUp).
  let withdrawal: WithdrawRequest | null = null;
  kernel.handleWithdraw({
    may: (actor) => (actor.id === state.requester ? undefined : 'only the requester can withdraw the proof of concept'),
    details: () => ({ stage: state.stage, committeeWorkflowId: state.committeeWorkflowId }),
    before: (req) => void (withdrawal = req),
    decide: (req) => close('withdrawn', `withdrawn by the requester: ${req.reason.trim()}`),
  });

  kernel.handleExtensionDays({
    roles: [escalation.escalateToRole],
    maxTotal: escalation.maxExtensionDays,
    scope: 'per stage',
    others: { may: isTeam, named: 'the requester, the business sponsor' },
    check: () => {
      if (state.stage === SCALE_UP_DECISION_STAGE) refuse('Conflict', `the scale-up decision runs on the governance committee's deadlines (${state.committeeWorkflowId})`);
    },
    details: () => ({ stage: state.stage }),
  });

  function reviewerRole(actor: Actor): string | undefined {
    return [...gateRoles, 'admin'].find((r) => actor.roles.includes(r));
  }

  function validateGateReview(review: GateReview): void {
    kernel.requireOpen();
    if (state.stage !== GATE_STAGE || state.gate) refuse('Conflict', 'the selection gate has already been reviewed');
    if (!reviewerRole(review.actor)) refuse('Forbidden', `only ${withArticle(gateRoles.join(' or '))} (or an admin) can review the selection gate`);
    requireMayDecide(input.access, review.actor);
    // A proposal does not select itself.
    requireDuties(input.access, { actor: review.actor, role: reviewerRole(review.actor)!, requester: state.requester }, []);
    const criteria = review.criteria ?? {};
    const fields: ErrorField[] = [
      ...policy.pocSelectionCriteria.filter((c) => typeof criteria[c]?.met !== 'boolean').map((c) => ({ path: `criteria.${c}`, message: 'a ruling (met: true or false) is required' })),
      ...Object.keys(criteria).filter((c) => !policy.pocSelectionCriteria.includes(c)).map((c) => ({ path: `criteria.${c}`, message: 'not a selection criterion of the policy' })),
    ];
    if (fields.length) refuse('ValidationError', 'the gate review must rule on every selection criterion', fields);
    const unexplained = policy.pocSelectionCriteria.filter((c) => !criteria[c]!.met && !criteria[c]!.note?.trim());
    if (unexplained.length) {
      refuse('RuleViolation', 'an unmet criterion must be explained', unexplained.map((c) => ({ path: `criteria.${c}.note`, message: 'required when the criterion is not met' })));
    }
  }

  function validateStageCompletion(req: StageCompletion): void {
    kernel.requireOpen();
    if (!isTeam(req.actor)) refuse('Forbidden', 'only the requester or the business sponsor can complete a stage');
    if (!stages.includes(req.stage)) refuse('ValidationError', `${req.stage} is not a development stage the team completes`, [{ path: 'stage', message: `expected one of ${stages.join(', ')}` }]);
    if (state.stage === GATE_STAGE) refuse('Conflict', 'the proposal has not passed the selection gate yet');
    if (state.completedStages.some((s) => s.stage === req.stage)) refuse('Conflict', `${req.stage} is already complete`);
    if (req.stage !== state.stage) refuse('Conflict', `stages are completed in order: the current stage is ${state.stage}`);
    if (!req.summary?.trim()) refuse('ValidationError', 'a stage completion needs a summary', [{ path: 'summary', message: 'required' }]);
    if (req.stage === EXPERIMENT_STAGE) {
      const results = req.metricResults ?? [];
      const names = proposal.successMetrics.map((m) => m.name);
      const fields: ErrorField[] = [
        ...names.filter((n) => !results.some((r) => r.name === n)).map((n) => ({ path: `metricResults.${n}`, message: 'a measured value is required' })),
        ...results.filter((r) => !names.includes(r.name)).map((r) => ({ path: `metricResults.${r.name}`, message: 'not a success metric of the proposal' })),
        ...results.filter((r) => typeof r.value !== 'number' || !Number.isFinite(r.value)).map((r) => ({ path: `metricResults.${r.name}`, message: 'expected a finite number' })),
        ...results.filter((r, i) => results.findIndex((o) => o.name === r.name) !== i).map((r) => ({ path: `metricResults.${r.name}`, message: 'given twice' })),
      ];
      if (fields.length) refuse('ValidationError', 'the experiment must report a result for every success metric', fields);
    } else if (req.metricResults?.length) {
      refuse('ValidationError', `metric results belong to ${EXPERIMENT_STAGE}`, [{ path: 'metricResults', message: `only for ${EXPERIMENT_STAGE}` }]);
    }
  }

  const escalate = (step: 'reminder' | 'escalation', waitingOn: string[]) => {
    if (step === 'reminder') {
      rec.notify('reminder', waitingOn, `Reminder: "${state.title}" is waiting on ${waitingOn.join(', ')} (${state.stage.replace(/_/g, ' ')})`);
    } else {
      rec.notify('escalation', [escalation.escalateToRole], `Escalation: "${state.title}" has waited ${describeStep(escalation, 'escalation')}+ in ${state.stage.replace(/_/g, ' ')} on ${waitingOn.join(', ')}`);
    }
    rec.event('system', step === 'reminder' ? 'reminder_sent' : 'escalated', { stage: state.stage, waitingOn });
  };

  /** Waits for `done` on the escalation timers; false (and the process closed) when the SLA breaches. */
  async function waitForStage(done: () => boolean, waitingOn: string[]): Promise<boolean> {
    // Extensions apply to the stage they were granted in: each stage starts on the policy's plain timers.
    state.extensionDays = 0;
    const clock: EscalationClock = { startedAt: Date.now(), extensionDays: () => state.extensionDays, report: (d) => void (state.deadlines = d) };
    state.slaDueAt = slaDueAt(escalation, clock).toISOString();
    rec.changed();
    const waited = await waitWithEscalation(() => !isOpen() || done(), escalation, clock, (step) => escalate(step, waitingOn));
    if (!isOpen()) return false;
    if (waited === 'sla_breach') {
      rec.notify('sla_breach', [escalation.escalateToRole, state.requester], `SLA breached: "${state.title}" did not complete ${state.stage.replace(/_/g, ' ')} in time and is referred to the ${escalation.escalateToRole}`);
      close('sla_breached', `${state.stage.replace(/_/g, ' ')} was not completed within ${describeStep(escalation, 'sla_breach', state.extensionDays)}; referred to the ${escalation.escalateToRole}`);
      return false;
    }
    return true;
  }

  function close(outcome: PocScaleUpOutcome, reason: string): void {
    // A gate refusal's reasons are the unmet criteria, already listed; other outcomes state their one reason.
    if (outcome !== 'not_selected') state.reasons.push(reason);
    kernel.close(outcome, reason, { details: { reasons: state.reasons, committeeOutcome: state.committeeOutcome }, recipients: [state.requester, state.businessSponsor] });
  }

  await run();
  return kernel.finish();

  async function run(): Promise<void> {
    if (!(await waitForStage(() => state.gate !== null, gateRoles))) return;
    if (!state.gate!.passed) {
      close('not_selected', `the proposal did not meet ${state.reasons.length} of ${policy.pocSelectionCriteria.length} selection criteria`);
      return;
    }
    for (const stage of stages) {
      if (!(await waitForStage(() => state.stage !== stage, TEAM_ROLES))) return;
    }
    await decideScaleUp();
  }

  async function decideScaleUp(): Promise<void> {
    const analysis = state.analysis!;
    const projection = projectScaleUp(policy, input.portfolio, state.bucket);
    state.portfolioProjection = projection;
    if (projection.warnings.length) {
      state.portfolioWarning = `scaling up would put the portfolio out of balance: ${describeImbalance(projection.warnings)}; tolerance ±${Math.round(policy.portfolioTolerance * 100)} points`;
      rec.event('system', 'portfolio_imbalance_warning', { bucket: state.bucket, warnings: projection.warnings, before: input.portfolio });
      rec.notify('info', ['committee_chair'], `Portfolio warning for "${state.title}" (${state.bucket}): ${state.portfolioWarning}`);
    }
    const committeeKey = committeeKeyFor('poc_scale_up', input.businessKey);
    const committeeId = workflowIdFor('committee_approval', committeeKey);
    const recommendation = analysis.recommendation;
    const summary = [
      `Proof of concept "${state.title}" (${state.bucket}, ${proposal.riskLevel} risk${proposal.budget !== undefined ? `, budget ${proposal.budget}` : ''}).`,
      `Hypothesis: ${proposal.hypothesis}`,
      `Results: ${analysis.met} of ${analysis.total} success metrics met (${analysis.metrics.map((m) => `${m.name} ${m.value ?? 'n/a'} vs ${m.direction === 'at_most' ? '≤' : '≥'} ${m.target}`).join('; ')}).`,
      ...(state.portfolioWarning ? [`Portfolio warning: ${state.portfolioWarning}.`] : []),
    ].join(' ');
    state.committeeWorkflowId = committeeId;
    state.pendingRoles = ['committee_member'];
    state.slaDueAt = null;
    rec.event('system', 'committee_requested', { committeeWorkflowId: committeeId, recommendation, urgent: input.urgent ?? false, portfolioWarning: state.portfolioWarning });
    const committeeInput: CommitteeApprovalInput = {
      businessKey: committeeKey,
      title: `Scale-up decision: ${state.title}`,
      subject: { kind: 'poc_scale_up', workflowId: state.workflowId, summary, recommendation },
      requester: input.requester,
      urgent: input.urgent ?? false,
      ...(input.urgencyReason ? { urgencyReason: input.urgencyReason } : {}),
      policyVersion: input.policyVersion,
      policy: committeePolicy,
      ...(input.access?.children.committee_approval ? { access: input.access.children.committee_approval } : {}),
    };
    // The committee keeps its own deadlines, reminders and record; this process waits for its outcome, and
    // withdraws the item if it is itself withdrawn meanwhile.
    const decided = await decideByCommittee(committeeInput, { withdrawal: () => withdrawal });
    if (!isOpen()) {
      state.committeeOutcome = (decided.outcome as CommitteeOutcome | null) ?? null;
      rec.changed();
      return;
    }
    const outcome = decided.outcome as CommitteeOutcome;
    state.committeeOutcome = outcome;
    rec.event('system', 'committee_decided', { committeeWorkflowId: committeeId, outcome, tally: decided.tally, conditions: decided.conditions });
    const mapped = COMMITTEE_TO_POC[outcome];
    const reason = {
      scaled_up: `the governance committee approved the scale-up${decided.conditions.length ? ` with conditions: ${decided.conditions.join('; ')}` : ''}`,
      not_scaled: `the governance committee did not approve the scale-up (${outcome.replace(/_/g, ' ')})`,
      sla_breached: 'the governance committee did not decide in time',
      withdrawn: 'the committee item was withdrawn',
      not_selected: '',
    }[mapped];
    close(mapped, reason);
  }

  function validateInput(i: PocScaleUpInput): void {
    const p = i.proposal;
    const fields: ErrorField[] = [];
    if (!p?.businessSponsor?.trim()) fields.push({ path: 'proposal.businessSponsor', message: 'a named business sponsor is required' });
    if (!PORTFOLIO_BUCKETS.includes(p?.bucket) || !policy.portfolioBalance.some((b) => b.bucket === p.bucket)) {
      fields.push({ path: 'proposal.bucket', message: `expected one of ${policy.portfolioBalance.map((b) => b.bucket).join(', ')}` });
    }
    if (!p?.successMetrics?.length) fields.push({ path: 'proposal.successMetrics', message: 'at least one success metric with a target' });
    for (const key of Object.keys(i.selfAssessment ?? {})) {
      if (!policy.pocSelectionCriteria.includes(key)) fields.push({ path: `selfAssessment.${key}`, message: 'not a selection criterion of the policy' });
    }
    if (fields.length) refuse('ValidationError', fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
    if (!policy.developmentProcess.includes(SCALE_UP_DECISION_STAGE) || !policy.developmentProcess.includes(EXPERIMENT_STAGE)) {
      refuse('PolicyError', `the innovation policy's development process must include ${EXPERIMENT_STAGE} and ${SCALE_UP_DECISION_STAGE}`);
    }
  }
}

const COMMITTEE_TO_POC: Record<CommitteeOutcome, PocScaleUpOutcome> = {
  approved: 'scaled_up',
  rejected: 'not_scaled',
  tie: 'not_scaled',
  sla_breached: 'sla_breached',
  withdrawn: 'withdrawn',
};

function describe(s: PocScaleUpState): string {
  if (s.outcome) return `**${s.title}** — ${s.outcome.replace(/_/g, ' ')}`;
  if (s.stage === SCALE_UP_DECISION_STAGE) return `**${s.title}** — waiting on the governance committee's scale-up decision (${s.committeeWorkflowId ?? 'starting'})${s.portfolioWarning ? ' ⚠ portfolio imbalance' : ''}`;
  if (s.stage === GATE_STAGE) return `**${s.title}** — waiting on the selection gate review (${s.pendingRoles.join(' or ')})${s.slaDueAt ? `, due ${s.slaDueAt.slice(0, 10)}` : ''}`;
  return `**${s.title}** — ${s.stage.replace(/_/g, ' ')} (${s.bucket}), waiting on ${s.pendingRoles.join(' or ')}${s.slaDueAt ? `, due ${s.slaDueAt.slice(0, 10)}` : ''}`;
}
