import { condition, setHandler } from '@temporalio/workflow';
import { parseIsoDate } from '../../domain/engines/calendar.js';
import type { ErrorField } from '../../domain/errors.js';
import type { Actor } from '../contracts/common.js';
import {
  addInsightUpdate,
  closeCaptureUpdate,
  completeActionUpdate,
  DEFAULT_CAPTURE_DAYS,
  DEFAULT_REMINDER_EVERY_DAYS,
  INSIGHT_CATEGORIES,
  MAX_CAPTURE_EXTENSION_DAYS,
  MAX_REMINDERS,
  planDisseminationUpdate,
  synthesiseUpdate,
  type AddInsightRequest,
  type CompleteActionRequest,
  type FollowUpAction,
  type PlanDisseminationRequest,
  type RetrospectiveInput,
  type RetrospectiveState,
  type SynthesiseRequest,
} from './contract.js';
import { DAY_MS } from '../../domain/engines/calendar.js';
import { actsAs } from '../kernel/duties.js';
import { checkExtension } from '../kernel/deadline-rules.js';
import { refuse } from '../kernel/failures.js';
import { Deadline } from '../kernel/deadline.js';
import { baseState, ProcessKernel } from '../kernel/process.js';

/**
 * Retrospective: participants capture insights until the facilitator closes capture (or the deadline passes);
 * the facilitator synthesises themes and follow-up actions (each with an owner and a due date) and plans their
 * dissemination; the process then tracks every action to completion, reminding owners of overdue ones.
 */
export async function retrospective(input: RetrospectiveInput): Promise<RetrospectiveState> {
  const captureDays = input.captureDays ?? DEFAULT_CAPTURE_DAYS;
  const reminderEveryDays = input.reminderEveryDays ?? DEFAULT_REMINDER_EVERY_DAYS;
  if (!input.facilitator?.trim()) refuse('ValidationError', 'a retrospective needs a facilitator', [{ path: 'facilitator', message: 'required' }]);
  if (!Number.isInteger(captureDays) || captureDays < 1) refuse('ValidationError', 'captureDays must be a whole number ≥ 1', [{ path: 'captureDays', message: 'expected an integer ≥ 1' }]);
  if (!Number.isInteger(reminderEveryDays) || reminderEveryDays < 1) {
    refuse('ValidationError', 'reminderEveryDays must be a whole number ≥ 1', [{ path: 'reminderEveryDays', message: 'expected an integer ≥ 1' }]);
  }
  const captureClosesAt = new Date(Date.now() + captureDays * DAY_MS).toISOString();
  const state: RetrospectiveState = {
    ...baseState('retrospective', input, 'capturing', ['participant']),
    slaDueAt: captureClosesAt,
    subjectWorkflowId: input.subjectWorkflowId,
    participants: [...new Set(input.participants.filter((p) => p.trim()))],
    facilitator: input.facilitator,
    captureClosesAt,
    extensionDays: 0,
    reminderEveryDays,
    insights: [],
    themes: [],
    actions: [],
    dissemination: null,
  };
  const kernel = new ProcessKernel(state, {
    noun: 'retrospective',
    describe,
    recorder: {
      pendingActors: (s) =>
        s.stage === 'capturing' ? s.participants : s.stage === 'tracking_actions' ? s.actions.filter((a) => a.status === 'open').map((a) => a.owner) : [s.facilitator],
    },
  });
  const { rec } = kernel;
  const isOpen = () => kernel.isOpen();
  /** Bumped when an action is completed, so the reminder timer is recomputed at once. */
  let changes = 0;
  const capture = new Deadline(Date.parse(captureClosesAt));
  const isFacilitator = (a: Actor) => actsAs(a, state.facilitator) || a.roles.includes('admin');
  const requireStage = (stage: string, what: string) => {
    if (state.stage !== stage) refuse('Conflict', `${what} is not possible while the retrospective is ${state.stage.replace(/_/g, ' ')}`);
  };

  kernel.start({ by: input.requester, details: { subjectWorkflowId: state.subjectWorkflowId, participants: state.participants, facilitator: state.facilitator, captureClosesAt } });

  setHandler(
    addInsightUpdate,
    (req) => {
      const insight = { id: `I${state.insights.length + 1}`, author: req.actor.id, category: req.category ?? 'lesson', text: req.text.trim(), at: new Date().toISOString() };
      state.insights.push(insight);
      rec.event(req.actor, 'insight_added', { insightId: insight.id, category: insight.category, text: insight.text }, 'participant');
      return kernel.receipt();
    },
    {
      validator: (req: AddInsightRequest) => {
        kernel.requireOpen();
        requireStage('capturing', 'adding an insight');
        if (!state.participants.includes(req.actor.id) && req.actor.id !== state.facilitator) refuse('Forbidden', `${req.actor.id} is not a participant of this retrospective`);
        if (!req.text?.trim()) refuse('RuleViolation', 'an insight needs text', [{ path: 'text', message: 'required' }]);
        if (req.category !== undefined && !INSIGHT_CATEGORIES.includes(req.category)) {
          refuse('ValidationError', `category must be one of ${INSIGHT_CATEGORIES.join(', ')}`, [{ path: 'category', message: `expected one of ${INSIGHT_CATEGORIES.join(', ')}` }]);
        }
      },
    },
  );

  setHandler(
    closeCaptureUpdate,
    (req) => {
      closeCapture(req.actor, 'closed by the facilitator');
      return kernel.receipt();
    },
    {
      validator: (req) => {
        kernel.requireOpen();
        requireStage('capturing', 'closing capture');
        if (!isFacilitator(req.actor)) refuse('Forbidden', 'only the facilitator can close capture');
      },
    },
  );

  setHandler(
    synthesiseUpdate,
    (req) => {
      state.themes = req.themes.map((t) => ({ title: t.title.trim(), summary: t.summary.trim(), insightIds: t.insightIds ?? [] }));
      state.actions = req.actions.map((a, i): FollowUpAction => ({
        id: `A${i + 1}`,
        title: a.title.trim(),
        owner: a.owner,
        dueDate: a.dueDate,
        status: 'open',
        remindersSent: 0,
        completedAt: null,
        note: null,
      }));
      state.stage = 'planning_dissemination';
      rec.event(req.actor, 'synthesised', { themes: state.themes, actions: state.actions.map(({ id, title, owner, dueDate }) => ({ id, title, owner, dueDate })) }, 'facilitator');
      for (const a of state.actions) rec.notify('info', [a.owner], `Retrospective "${state.title}": you own follow-up action ${a.id} "${a.title}", due ${a.dueDate}`);
      return kernel.receipt();
    },
    { validator: validateSynthesis },
  );

  setHandler(
    planDisseminationUpdate,
    (req) => {
      state.dissemination = { audiences: req.audiences, channels: req.channels, notes: req.notes, plannedAt: new Date().toISOString() };
      state.stage = 'tracking_actions';
      state.pendingRoles = ['action_owner'];
      state.slaDueAt = earliestOpenDue();
      rec.event(req.actor, 'dissemination_planned', { audiences: req.audiences, channels: req.channels, notes: req.notes }, 'facilitator');
      return kernel.receipt();
    },
    {
      validator: (req: PlanDisseminationRequest) => {
        kernel.requireOpen();
        requireStage('planning_dissemination', 'planning dissemination');
        if (!isFacilitator(req.actor)) refuse('Forbidden', 'only the facilitator can plan dissemination');
        const fields: ErrorField[] = [];
        if (!req.audiences?.some((a) => a.trim())) fields.push({ path: 'audiences', message: 'at least one audience' });
        if (!req.channels?.some((c) => c.trim())) fields.push({ path: 'channels', message: 'at least one channel' });
        if (fields.length) refuse('RuleViolation', 'a dissemination plan names its audiences and channels', fields);
      },
    },
  );

  setHandler(
    completeActionUpdate,
    (req) => {
      const action = state.actions.find((a) => a.id === req.actionId)!;
      action.status = 'done';
      action.completedAt = new Date().toISOString();
      action.note = req.note ?? null;
      state.slaDueAt = earliestOpenDue();
      changes++;
      rec.event(req.actor, 'action_completed', { actionId: action.id, title: action.title, note: req.note }, 'action_owner');
      return kernel.receipt();
    },
    {
      validator: (req: CompleteActionRequest) => {
        kernel.requireOpen();
        requireStage('tracking_actions', 'completing an action');
        const action = state.actions.find((a) => a.id === req.actionId);
        if (!action) refuse('ValidationError', `there is no action ${req.actionId}`, [{ path: 'actionId', message: `expected one of ${state.actions.map((a) => a.id).join(', ')}` }]);
        if (action.status === 'done') refuse('Conflict', `action ${action.id} is already done`);
        if (!actsAs(req.actor, action.owner) && !req.actor.roles.includes('admin')) refuse('Forbidden', `action ${action.id} is owned by ${action.owner}`);
      },
    },
  );

  const requesterOrFacilitator = (a: Actor) => a.id === state.requester || isFacilitator(a);
  kernel.handleWithdraw({
    may: (actor) => (requesterOrFacilitator(actor) ? undefined : 'only the requester or the facilitator can withdraw the retrospective'),
    role: null,
    decide: false,
  });

  kernel.handleExtensions({
    may: (actor) => (requesterOrFacilitator(actor) ? undefined : 'only the requester or the facilitator can extend capture'),
    check: (req) => {
      requireStage('capturing', 'extending the capture deadline');
      checkExtension(req, state.extensionDays, MAX_CAPTURE_EXTENSION_DAYS, 'for insight capture');
    },
    apply: (req) => {
      state.extensionDays += req.days;
      state.captureClosesAt = new Date(Date.parse(state.captureClosesAt) + req.days * DAY_MS).toISOString();
      state.slaDueAt = state.captureClosesAt;
      capture.moveTo(Date.parse(state.captureClosesAt));
      return { captureClosesAt: state.captureClosesAt };
    },
  });

  function validateSynthesis(req: SynthesiseRequest): void {
    kernel.requireOpen();
    requireStage('synthesising', 'synthesis');
    if (!isFacilitator(req.actor)) refuse('Forbidden', 'only the facilitator can synthesise the retrospective');
    const today = new Date().toISOString().slice(0, 10);
    const known = new Set(state.insights.map((i) => i.id));
    const fields: ErrorField[] = [];
    if (!req.themes?.length) fields.push({ path: 'themes', message: 'at least one theme' });
    (req.themes ?? []).forEach((t, i) => {
      if (!t.title?.trim()) fields.push({ path: `themes.${i}.title`, message: 'required' });
      if (!t.summary?.trim()) fields.push({ path: `themes.${i}.summary`, message: 'required' });
      for (const id of t.insightIds ?? []) if (!known.has(id)) fields.push({ path: `themes.${i}.insightIds`, message: `no insight ${id}` });
    });
    (req.actions ?? []).forEach((a, i) => {
      if (!a.title?.trim()) fields.push({ path: `actions.${i}.title`, message: 'required' });
      if (!a.owner?.trim()) fields.push({ path: `actions.${i}.owner`, message: 'every action needs an owner' });
      if (!isIsoDate(a.dueDate)) fields.push({ path: `actions.${i}.dueDate`, message: 'expected a date YYYY-MM-DD' });
      else if (a.dueDate < today) fields.push({ path: `actions.${i}.dueDate`, message: `must not be before ${today}` });
    });
    if (!Array.isArray(req.actions)) fields.push({ path: 'actions', message: 'required (may be empty)' });
    if (fields.length) refuse('RuleViolation', 'the synthesis needs themes and actions with owners and due dates', fields);
  }

  function closeCapture(actor: Actor | 'system', reason: string): void {
    state.stage = 'synthesising';
    state.pendingRoles = ['facilitator'];
    state.slaDueAt = null;
    rec.event(actor, 'capture_closed', { reason, insights: state.insights.length }, actor === 'system' ? undefined : 'facilitator');
    rec.notify('info', [state.facilitator], `Retrospective "${state.title}": capture closed with ${state.insights.length} insights; please synthesise`);
  }

  function earliestOpenDue(): string | null {
    const due = state.actions.filter((a) => a.status === 'open').map((a) => overdueAt(a));
    return due.length ? new Date(Math.min(...due)).toISOString() : null;
  }

  /** Reminds the facilitator while a stage waits on them, a bounded number of times (the last one escalates). */
  async function waitOnFacilitator(stage: string, what: string): Promise<void> {
    let sent = 0;
    while (isOpen() && state.stage === stage && sent < MAX_REMINDERS) {
      if (await condition(() => !isOpen() || state.stage !== stage, reminderEveryDays * DAY_MS)) return;
      sent++;
      const escalate = sent === MAX_REMINDERS;
      rec.notify(escalate ? 'escalation' : 'reminder', escalate ? [state.facilitator, state.requester] : [state.facilitator], `Retrospective "${state.title}" is waiting for the facilitator to ${what}`);
      rec.event('system', escalate ? 'escalated' : 'reminder_sent', { stage, waitingOn: [state.facilitator], count: sent });
    }
    await condition(() => !isOpen() || state.stage !== stage);
  }

  rec.notify('info', [...new Set([...state.participants, state.facilitator])], `Retrospective "${state.title}": please add your insights by ${captureClosesAt.slice(0, 10)}`);

  // Capture, until the facilitator closes it or its (extensible) deadline passes.
  if ((await capture.wait(() => !isOpen() || state.stage !== 'capturing')) === 'due') closeCapture('system', 'the capture deadline passed');

  await waitOnFacilitator('synthesising', 'synthesise the insights');
  await waitOnFacilitator('planning_dissemination', 'plan the dissemination');

  // Follow-up actions, to completion; owners of overdue actions are reminded every `reminderEveryDays`.
  const every = reminderEveryDays * DAY_MS;
  const nextReminderAt = (a: FollowUpAction) => overdueAt(a) + a.remindersSent * every;
  while (isOpen() && state.stage === 'tracking_actions') {
    const open = state.actions.filter((a) => a.status === 'open');
    if (open.length === 0) {
      kernel.close('completed', 'every follow-up action is done', {
        action: 'completed',
        details: { actions: state.actions.length, themes: state.themes.length },
        recipients: [...new Set([...state.participants, state.facilitator, state.requester])],
        message: `Retrospective "${state.title}": every follow-up action is done`,
      });
      break;
    }
    const now = Date.now();
    for (const a of open.filter((x) => x.remindersSent < MAX_REMINDERS && nextReminderAt(x) <= now)) {
      a.remindersSent++;
      const escalate = a.remindersSent === MAX_REMINDERS;
      rec.notify(escalate ? 'escalation' : 'reminder', escalate ? [a.owner, state.facilitator] : [a.owner], `Overdue: follow-up action ${a.id} "${a.title}" of retrospective "${state.title}" was due ${a.dueDate}`);
      rec.event('system', 'action_overdue_reminder', { actionId: a.id, owner: a.owner, dueDate: a.dueDate, reminder: a.remindersSent, escalated: escalate });
    }
    const pending = open.filter((x) => x.remindersSent < MAX_REMINDERS).map(nextReminderAt);
    const seen = changes;
    const wake = () => !isOpen() || changes !== seen;
    if (pending.length) await condition(wake, Math.max(Math.min(...pending) - Date.now(), 1));
    else await condition(wake);
  }

  return kernel.finish();
}

/** An action is overdue once its due day (UTC) has passed. */
function overdueAt(a: FollowUpAction): number {
  return Date.parse(`${a.dueDate}T00:00:00.000Z`) + DAY_MS;
}

function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parseIsoDate(value);
    return true;
  } catch {
    return false;
  }
}

function describe(s: RetrospectiveState): string {
  if (s.outcome) return `**${s.title}** — ${s.outcome}`;
  if (s.stage === 'capturing') return `**${s.title}** — capturing insights (${s.insights.length} so far) until ${s.captureClosesAt.slice(0, 10)}`;
  if (s.stage === 'tracking_actions') {
    const open = s.actions.filter((a) => a.status === 'open').length;
    return `**${s.title}** — ${open} of ${s.actions.length} follow-up actions open`;
  }
  return `**${s.title}** — waiting for ${s.facilitator} to ${s.stage === 'synthesising' ? 'synthesise' : 'plan dissemination'}`;
}
