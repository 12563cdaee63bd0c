import { allHandlersFinished, condition, continueAsNew, ParentClosePolicy, proxyActivities, setHandler, startChild, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { crosses, levelsOfFinding, offScale, riskScore } from '../../domain/inventory/risk-register.js';
import { parseCadence } from '../../domain/policy/duration.js';
import type { EuAiActTier } from '../../domain/policy/types.js';
import { workflowIdFor, type Actor, type ProcessKind } from '../contracts/common.js';
import type { EthicalReviewInput } from '../ethical-review/contract.js';
import { ethicalReview } from '../ethical-review/workflow.js';
import type { IncidentInput } from '../incident/contract.js';
import { incident } from '../incident/workflow.js';
import { actsAs, requireRoleFor } from '../kernel/duties.js';
import { refuse } from '../kernel/failures.js';
import { baseState, ProcessKernel } from '../kernel/process.js';
import type { MonitoringReviewInput } from '../monitoring-review/contract.js';
import { monitoringReview } from '../monitoring-review/workflow.js';
import {
  addRiskUpdate,
  aiSystemLinkSignal,
  feedbackUpdate,
  goLiveUpdate,
  MEASUREMENTS_KEPT,
  measurementUpdate,
  monitoringScheduleId,
  reinstateUpdate,
  retireUpdate,
  reviewRiskUpdate,
  suspendUpdate,
  type AddRiskRequest,
  type AiSystemInput,
  type AiSystemLink,
  type AiSystemLinkChange,
  type AiSystemStage,
  type AiSystemState,
  type FeedbackRequest,
  type MeasurementRequest,
  type Risk,
  type ReviewRiskRequest,
  type StageChangeRequest,
} from './contract.js';

const DAY_MS = 86_400_000;
const MAX_HISTORY_EVENTS = 10_000;
const FEEDBACK_REVIEW = 'stakeholder_feedback_review';
const APPROVED: (string | null | undefined)[] = ['approved', 'approved_with_conditions'];

const { createMonitoringSchedules, deleteSchedules } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * An AI system of the inventory, for its whole life: registered → assessed (a compliance assessment gave its risk
 * tier) → approved (an ethical review approved it) → in production → suspended → retired. Every process about it
 * (evaluations, reviews, obligations, monitoring reviews, incidents) tells it when it opens, goes overdue and closes,
 * so its record links them all. Approval sets up its manual reviews as Temporal Schedules on the policy's cadences;
 * agents post measurements, and one past its threshold opens an ethical review or an incident; stakeholder feedback
 * opens a review for the owner and tells the board; the risk register keeps its risks with review reminders.
 */
export async function aiSystem(input: AiSystemInput): Promise<AiSystemState> {
  const { aiSystems } = input.policy;
  const scale = aiSystems.riskScale;
  const state: AiSystemState = input.resume?.state ?? {
    ...baseState('ai_system', input, 'registered', []),
    purpose: input.purpose,
    owner: input.owner,
    operatorRoles: input.operatorRoles,
    catalogueVersion: input.catalogueVersion,
    riskTier: null,
    suspendedFrom: null,
    suspension: null,
    links: [],
    measurements: [],
    risks: [],
    monitoring: { status: 'pending', schedules: [] },
    feedback: [],
    spawned: 0,
  };
  const kernel = new ProcessKernel(state, {
    noun: 'AI system',
    closedAs: 'is retired',
    describe,
    recorder: { ...(input.resume ? { resume: input.resume.checkpoint } : {}), pendingActors: (s) => (s.outcome === null ? [s.owner] : []), openRoles: () => [] },
  });
  const { rec } = kernel;
  const isOpen = () => kernel.isOpen();
  let changes = 0;
  const may = (action: string, actor: Actor, what: string) => requireRoleFor(input.access, action, [], actor, what);
  const mayOrOwner = (action: string, actor: Actor, what: string) => {
    if (!actsAs(actor, state.owner)) may(action, actor, what);
  };

  if (input.resume) kernel.start();
  else kernel.start({ by: input.requester, details: { purpose: state.purpose, owner: state.owner, operatorRoles: state.operatorRoles, catalogueVersion: state.catalogueVersion } });

  function moveTo(stage: AiSystemStage, reason: string, by: Actor | 'system'): void {
    const from = state.stage;
    state.stage = stage;
    rec.event(by, 'ai_system_stage_changed', { from, to: stage, reason });
    changes++;
  }

  /** The system's link to a process, made on the first word from it. */
  function link(change: Pick<AiSystemLinkChange, 'workflowId' | 'kind' | 'title'>): AiSystemLink {
    let entry = state.links.find((l) => l.workflowId === change.workflowId);
    if (!entry) {
      entry = { workflowId: change.workflowId, kind: change.kind, title: change.title, openedAt: new Date().toISOString(), status: 'open', outcome: null, overdue: false, closedAt: null };
      state.links.push(entry);
      rec.event('system', 'process_linked', { workflowId: change.workflowId, kind: change.kind });
    }
    return entry;
  }

  setHandler(aiSystemLinkSignal, (change) => {
    // A retired system keeps the record of what closes after it, and takes nothing else.
    if (!isOpen() && change.change !== 'closed') return;
    const entry = link(change);
    changes++;
    if (change.change === 'overdue') {
      entry.overdue = true;
      rec.event('system', 'linked_process_overdue', { workflowId: entry.workflowId, kind: entry.kind });
      rec.notify('escalation', [state.owner], `"${state.title}": ${entry.kind.replace(/_/g, ' ')} "${entry.title}" is overdue`);
    } else if (change.change === 'suspension_requested') {
      if (isOpen() && state.stage !== 'suspended' && state.stage !== 'retired') suspend(change.reason ?? `asked by ${entry.workflowId}`, 'system', entry.workflowId);
    } else if (change.change === 'closed') {
      if (entry.status === 'closed') return;
      Object.assign(entry, { status: 'closed', outcome: change.outcome ?? null, closedAt: new Date().toISOString() });
      rec.event('system', 'linked_process_closed', { workflowId: entry.workflowId, kind: entry.kind, outcome: entry.outcome });
      if (isOpen()) takeOutcome(entry.kind, entry.workflowId, change);
      // The overdue obligation that suspended the system is fulfilled: the approval it suspended stands again.
      if (isOpen() && state.stage === 'suspended' && state.suspension?.source === entry.workflowId && entry.outcome === 'fulfilled') reinstate(`${entry.workflowId} is fulfilled`, 'system');
    }
  });

  /** What a closed process means for the system: its tier, its approval, its risks. */
  function takeOutcome(kind: ProcessKind, workflowId: string, change: AiSystemLinkChange): void {
    const assessed = kind === 'ai_compliance_assessment' || kind === 'ethical_review';
    if (assessed && change.riskTier && change.riskTier !== state.riskTier) {
      rec.event('system', 'risk_tier_set', { from: state.riskTier, to: change.riskTier, source: workflowId });
      state.riskTier = change.riskTier as EuAiActTier;
    }
    if (assessed && change.riskTier && state.stage === 'registered') moveTo('assessed', `assessed by ${workflowId}`, 'system');
    if (kind === 'ethical_review' && APPROVED.includes(change.outcome)) {
      if (state.stage === 'registered' || state.stage === 'assessed') moveTo('approved', `approved by ${workflowId}`, 'system');
    } else if (kind === 'ethical_review' && (change.outcome === 'rejected' || change.outcome === 'prohibited')) {
      if (state.stage === 'approved' || state.stage === 'in_production') suspend(`${workflowId} ended ${change.outcome}`, 'system', workflowId);
    }
    for (const finding of change.risks ?? []) {
      if (state.risks.some((r) => r.status === 'open' && r.source.endsWith(`#${finding.key}`))) continue;
      const levels = levelsOfFinding(scale, finding.severity);
      addRisk({ title: finding.title, description: `Raised by ${workflowId} (${finding.severity})`, owner: state.owner, ...levels, mitigation: 'to be assessed by the owner', residualLikelihood: levels.likelihood, residualImpact: levels.impact }, `${workflowId}#${finding.key}`, 'system');
    }
  }

  function suspend(reason: string, by: Actor | 'system', source: string | null): void {
    state.suspendedFrom = state.stage;
    state.suspension = { reason, by: by === 'system' ? 'system' : by.id, at: new Date().toISOString(), source };
    moveTo('suspended', reason, by);
    rec.notify('escalation', [state.owner, aiSystems.monitoringReviews.escalateToRole], `"${state.title}" is suspended: ${reason}`);
  }

  /** The validator of a change of stage: open, a reason, then `check`. */
  const stageChange = (check: (req: StageChangeRequest) => void) => (req: StageChangeRequest) => {
    kernel.requireOpen();
    if (!req.reason?.trim()) refuse('RuleViolation', 'say why', [{ path: 'reason', message: 'required' }]);
    check(req);
  };

  setHandler(
    goLiveUpdate,
    (req) => {
      moveTo('in_production', req.reason.trim(), req.actor);
      return kernel.receipt();
    },
    {
      validator: stageChange((req) => {
        may('production', req.actor, 'take an AI system into production');
        if (state.stage !== 'approved') refuse('Conflict', `only an approved system goes into production; "${state.title}" is ${state.stage.replace(/_/g, ' ')}`);
      }),
    },
  );

  setHandler(
    suspendUpdate,
    (req) => {
      suspend(req.reason.trim(), req.actor, null);
      return kernel.receipt();
    },
    {
      validator: stageChange((req) => {
        may('suspend', req.actor, 'suspend an AI system');
        if (state.stage === 'suspended') refuse('Conflict', `"${state.title}" is already suspended`);
      }),
    },
  );

  function reinstate(reason: string, by: Actor | 'system'): void {
    const back = state.suspendedFrom ?? 'registered';
    rec.event(by, 'ai_system_reinstated', { suspension: state.suspension });
    state.suspendedFrom = null;
    state.suspension = null;
    moveTo(back, reason, by);
  }

  setHandler(
    reinstateUpdate,
    (req) => {
      reinstate(req.reason.trim(), req.actor);
      return kernel.receipt();
    },
    {
      validator: stageChange((req) => {
        may('reinstate', req.actor, 'reinstate an AI system');
        if (state.stage !== 'suspended') refuse('Conflict', `"${state.title}" is not suspended`);
        if (state.suspension?.by === req.actor.id) refuse('Forbidden', 'segregation of duties (selfApproval): who suspended a system does not reinstate it');
      }),
    },
  );

  setHandler(
    retireUpdate,
    (req) => {
      state.suspendedFrom = null;
      state.stage = 'retired';
      kernel.close('retired', req.reason.trim(), { by: req.actor, action: 'ai_system_stage_changed', details: { to: 'retired' }, recipients: [state.owner] });
      state.stage = 'retired';
      changes++;
      return kernel.receipt();
    },
    { validator: stageChange((req) => mayOrOwner('retire', req.actor, 'retire an AI system')) },
  );

  setHandler(
    measurementUpdate,
    async (req) => {
      const threshold = aiSystems.thresholds.find((t) => t.metric === req.metric)!;
      const at = req.at ? new Date(req.at).toISOString() : new Date().toISOString();
      const crossed = crosses(threshold, req.value);
      const measurement = { metric: req.metric, value: req.value, check: threshold.check, at, source: { id: req.actor.id, kind: req.actor.kind }, crossed: crossed ? { above: threshold.above, below: threshold.below, opened: null as string | null } : null };
      state.measurements.push(measurement);
      state.measurements.splice(0, Math.max(0, state.measurements.length - MEASUREMENTS_KEPT));
      rec.event(req.actor, 'measurement_recorded', { metric: req.metric, value: req.value, check: threshold.check, measuredAt: at, crossed });
      changes++;
      if (crossed) measurement.crossed!.opened = await openOnThreshold(req, threshold.opens, threshold.trigger, `${req.metric} = ${req.value} (${threshold.above !== undefined ? `above ${threshold.above}` : `below ${threshold.below}`})`);
      return kernel.receipt();
    },
    {
      validator: (req: MeasurementRequest) => {
        kernel.requireOpen();
        may('measurements', req.actor, 'post measurements of an AI system');
        if (!aiSystems.thresholds.some((t) => t.metric === req.metric)) refuse('ValidationError', `unknown metric "${req.metric}"`, [{ path: 'metric', message: `expected one of ${aiSystems.thresholds.map((t) => t.metric).join(', ')}` }]);
        if (!Number.isFinite(req.value)) refuse('ValidationError', 'a measurement is a finite number', [{ path: 'value', message: 'expected a finite number' }]);
      },
    },
  );

  /** A measurement past its threshold opens the process the policy names; answers its workflow ID, or null. */
  async function openOnThreshold(req: MeasurementRequest, opens: 'ethical_review' | 'incident', trigger: string | undefined, what: string): Promise<string | null> {
    const n = ++state.spawned;
    const businessKey = `${state.businessKey}.m${n}`;
    const title = `${state.title}: ${what}`;
    const common = { businessKey, title, policyVersion: state.policyVersion, aiSystem: state.businessKey };
    if (opens === 'ethical_review' && input.assessment === undefined) {
      rec.event('system', 'threshold_crossed', { metric: req.metric, value: req.value, opened: null, reason: 'the system was registered without intake answers, so no ethical review can assess it' });
      rec.notify('escalation', [state.owner, aiSystems.monitoringReviews.escalateToRole], `"${state.title}": ${what}; request an ethical review (${trigger}) of the system`);
      return null;
    }
    const workflowId = opens === 'ethical_review' ? workflowIdFor('ethical_review', businessKey) : workflowIdFor('incident', businessKey);
    if (opens === 'ethical_review') {
      // The review is the owner's request: its conditions become the owner's obligations.
      const reviewInput: EthicalReviewInput = { ...input.spawn.ethicalReview, ...common, trigger: trigger!, systemDescription: state.purpose, evidence: [], assessment: input.assessment, requester: { id: state.owner, kind: 'person', roles: ['requester'] } };
      await startChild(ethicalReview, { workflowId, args: [reviewInput], parentClosePolicy: ParentClosePolicy.ABANDON });
    } else {
      const incidentInput: IncidentInput = { ...input.spawn.incident, ...common, description: `Measured by ${req.actor.id}: ${what}`, system: state.title, awareAt: new Date().toISOString(), requester: req.actor };
      await startChild(incident, { workflowId, args: [incidentInput], parentClosePolicy: ParentClosePolicy.ABANDON });
    }
    link({ workflowId, kind: opens, title });
    rec.event('system', 'threshold_crossed', { metric: req.metric, value: req.value, opened: workflowId });
    rec.notify('escalation', [state.owner], `"${state.title}": ${what}; ${workflowId} is open`);
    return workflowId;
  }

  function addRisk(req: Omit<AddRiskRequest, 'actor'>, source: string, by: Actor | 'system'): Risk {
    const risk: Risk = {
      id: `R-${state.risks.length + 1}`,
      title: req.title.trim(),
      description: req.description.trim(),
      source,
      owner: req.owner,
      likelihood: req.likelihood,
      impact: req.impact,
      score: riskScore(scale, req.likelihood, req.impact),
      mitigation: req.mitigation.trim(),
      residualLikelihood: req.residualLikelihood,
      residualImpact: req.residualImpact,
      residualScore: riskScore(scale, req.residualLikelihood, req.residualImpact),
      nextReviewAt: new Date(Date.now() + scale.reviewEveryDays * DAY_MS).toISOString(),
      status: 'open',
      reviews: [],
      reminderSentFor: null,
    };
    state.risks.push(risk);
    rec.event(by, 'risk_added', { risk: risk.id, title: risk.title, source, score: risk.score, residualScore: risk.residualScore });
    changes++;
    return risk;
  }

  setHandler(
    addRiskUpdate,
    (req) => {
      const { actor, ...risk } = req;
      addRisk(risk, 'manual', actor);
      return kernel.receipt();
    },
    {
      validator: (req: AddRiskRequest) => {
        kernel.requireOpen();
        mayOrOwner('risks', req.actor, 'add a risk to the register');
        const off = offScale(scale, { likelihood: { axis: 'likelihood', value: req.likelihood }, impact: { axis: 'impact', value: req.impact }, residualLikelihood: { axis: 'likelihood', value: req.residualLikelihood }, residualImpact: { axis: 'impact', value: req.residualImpact } });
        if (off.length) refuse('ValidationError', 'a level is not on the policy\'s risk scale', off);
        if (!req.title?.trim()) refuse('RuleViolation', 'a risk needs a title', [{ path: 'title', message: 'required' }]);
      },
    },
  );

  setHandler(
    reviewRiskUpdate,
    (req) => {
      const risk = state.risks.find((r) => r.id === req.riskId)!;
      for (const field of ['likelihood', 'impact', 'residualLikelihood', 'residualImpact', 'mitigation'] as const) if (req[field] !== undefined) risk[field] = req[field]!;
      risk.score = riskScore(scale, risk.likelihood, risk.impact);
      risk.residualScore = riskScore(scale, risk.residualLikelihood, risk.residualImpact);
      risk.reviews.push({ at: new Date().toISOString(), by: req.actor.id, note: req.note.trim() });
      if (req.close) risk.status = 'closed';
      risk.nextReviewAt = new Date(Date.now() + scale.reviewEveryDays * DAY_MS).toISOString();
      rec.event(req.actor, 'risk_reviewed', { risk: risk.id, score: risk.score, residualScore: risk.residualScore, closed: req.close ?? false, note: req.note.trim() });
      changes++;
      return kernel.receipt();
    },
    {
      validator: (req: ReviewRiskRequest) => {
        kernel.requireOpen();
        const risk = state.risks.find((r) => r.id === req.riskId);
        if (!risk) refuse('NotFound', `no risk ${req.riskId} on "${state.title}"`, [{ path: 'riskId', message: `expected one of ${state.risks.map((r) => r.id).join(', ') || '(none yet)'}` }]);
        if (risk.status === 'closed') refuse('Conflict', `risk ${risk.id} is closed`);
        if (!actsAs(req.actor, risk.owner) && !actsAs(req.actor, state.owner)) may('risks', req.actor, 'review a risk');
        const off = offScale(scale, { likelihood: { axis: 'likelihood', value: req.likelihood }, impact: { axis: 'impact', value: req.impact }, residualLikelihood: { axis: 'likelihood', value: req.residualLikelihood }, residualImpact: { axis: 'impact', value: req.residualImpact } });
        if (off.length) refuse('ValidationError', 'a level is not on the policy\'s risk scale', off);
        if (!req.note?.trim()) refuse('RuleViolation', 'a review says what was found', [{ path: 'note', message: 'required' }]);
      },
    },
  );

  setHandler(
    feedbackUpdate,
    async (req) => {
      const n = ++state.spawned;
      const entry = { summary: req.summary.trim(), from: req.from.trim(), by: req.actor.id, at: new Date().toISOString(), review: null as string | null };
      state.feedback.push(entry);
      rec.event(req.actor, 'feedback_received', { from: entry.from, summary: entry.summary });
      changes++;
      const review: MonitoringReviewInput = {
        businessKey: `${state.businessKey}.${FEEDBACK_REVIEW}.${n}`,
        title: `${state.title}: stakeholder feedback review (${entry.from})`,
        requester: req.actor,
        policyVersion: state.policyVersion,
        aiSystem: state.businessKey,
        review: FEEDBACK_REVIEW,
        owner: state.owner,
        prompt: `${entry.from}: ${entry.summary}`,
        policy: aiSystems.monitoringReviews,
      };
      const child = await startChild(monitoringReview, { workflowId: workflowIdFor('monitoring_review', review.businessKey), args: [review], parentClosePolicy: ParentClosePolicy.ABANDON });
      entry.review = child.workflowId;
      link({ workflowId: child.workflowId, kind: 'monitoring_review', title: review.title });
      rec.notify('info', aiSystems.monitoringReviews.feedbackRoles, `"${state.title}": feedback from ${entry.from}: ${entry.summary} (review ${child.workflowId}, owner ${state.owner})`);
      return kernel.receipt();
    },
    {
      validator: (req: FeedbackRequest) => {
        kernel.requireOpen();
        mayOrOwner('feedback', req.actor, 'record stakeholder feedback');
        if (!req.summary?.trim() || !req.from?.trim()) refuse('RuleViolation', 'feedback says who gave it and what it says', [...(req.summary?.trim() ? [] : [{ path: 'summary', message: 'required' }]), ...(req.from?.trim() ? [] : [{ path: 'from', message: 'required' }])]);
      },
    },
  );

  /** The manual reviews with a cadence, as schedules counted from the approval. */
  async function scheduleMonitoring(): Promise<void> {
    const schedules = input.policy.monitoring.manualReviews.flatMap((r) => {
      const cadence = r.cadence === 'on_event' ? null : parseCadence(r.cadence);
      return cadence && typeof cadence !== 'string' && cadence.intervalDays !== null ? [{ key: r.key, cadence: r.cadence, intervalDays: cadence.intervalDays, scheduleId: monitoringScheduleId(state.workflowId, r.key) }] : [];
    });
    const result = await createMonitoringSchedules({
      taskQueue: workflowInfo().taskQueue,
      startAt: new Date().toISOString(),
      schedules: schedules.map((s) => ({
        scheduleId: s.scheduleId,
        intervalDays: s.intervalDays,
        input: {
          businessKey: `${state.businessKey}.${s.key}`,
          title: `${state.title}: ${s.key.replace(/_/g, ' ')}`,
          requester: { id: 'govflow', kind: 'agent', roles: [] },
          policyVersion: state.policyVersion,
          aiSystem: state.businessKey,
          review: s.key,
          owner: state.owner,
          policy: aiSystems.monitoringReviews,
        },
      })),
    });
    if (result.status === 'created') {
      state.monitoring = { status: 'scheduled', schedules };
      rec.event('system', 'monitoring_scheduled', { schedules: schedules.map(({ key, cadence, scheduleId }) => ({ key, cadence, scheduleId })) });
    } else {
      state.monitoring = { status: 'not_configured', schedules: [] };
      rec.event('system', 'monitoring_not_scheduled', { reason: result.reason });
    }
    changes++;
  }

  /** The risk whose review reminder is next, and when. */
  const nextRiskReminder = (): { risk: Risk; at: number } | null => {
    const due = state.risks.filter((r) => r.status === 'open' && r.reminderSentFor !== r.nextReviewAt).map((risk) => ({ risk, at: Date.parse(risk.nextReviewAt) - scale.reminderBeforeDays * DAY_MS }));
    return due.sort((a, b) => a.at - b.at)[0] ?? null;
  };
  const historyTooLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS;

  while (isOpen()) {
    if (state.monitoring.status === 'pending' && (state.stage === 'approved' || state.stage === 'in_production')) {
      await scheduleMonitoring();
      continue;
    }
    const reminder = nextRiskReminder();
    if (reminder && Date.now() >= reminder.at) {
      reminder.risk.reminderSentFor = reminder.risk.nextReviewAt;
      rec.event('system', 'risk_review_due', { risk: reminder.risk.id, nextReviewAt: reminder.risk.nextReviewAt });
      rec.notify('reminder', [reminder.risk.owner], `"${state.title}": risk ${reminder.risk.id} (${reminder.risk.title}) is due for review on ${reminder.risk.nextReviewAt.slice(0, 10)}`);
      continue;
    }
    if (historyTooLong()) {
      // Every update has finished and every change is in the database: the next run starts from exactly here.
      await condition(allHandlersFinished);
      await rec.flushed();
      if (isOpen()) await continueAsNew<typeof aiSystem>({ ...input, resume: { state, checkpoint: rec.checkpoint() } });
      break;
    }
    const seen = changes;
    await condition(() => !isOpen() || changes !== seen || historyTooLong(), reminder ? Math.max(reminder.at - Date.now(), 1) : undefined);
  }

  if (state.monitoring.status === 'scheduled') {
    const scheduleIds = state.monitoring.schedules.map((s) => s.scheduleId);
    await deleteSchedules({ scheduleIds });
    state.monitoring.status = 'removed';
    rec.event('system', 'monitoring_unscheduled', { scheduleIds });
  }
  return kernel.finish();
}

function describe(s: AiSystemState): string {
  const open = s.links.filter((l) => l.status === 'open');
  const overdue = open.filter((l) => l.overdue).length;
  return `**${s.title}** — ${s.stage.replace(/_/g, ' ')}${s.riskTier ? `, ${s.riskTier.replace(/_/g, ' ')}` : ''}; owner ${s.owner}; ${open.length} open processes${overdue ? `, ${overdue} overdue` : ''}, ${s.risks.filter((r) => r.status === 'open').length} open risks`;
}
