import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import { parseIsoDate } from '../../domain/engines/calendar.js';
import type { Actor, EventAction } from '../contracts/common.js';
import {
  DAYS_PER_MONTH,
  DEFAULT_CONTINUE_AS_NEW_AFTER_DAYS,
  deliverUpdate,
  END_REMINDER_DAYS,
  renewUpdate,
  termEndOf,
  termProblem,
  terminateUpdate,
  type CtoEngagementInput,
  type CtoEngagementOutcome,
  type CtoEngagementState,
  type DeliverRequest,
  type RenewRequest,
  type TerminateRequest,
} from './contract.js';
import { reportScheduleId } from '../report/contract.js';
import { DAY_MS } from '../../domain/engines/calendar.js';
import { withArticle } from '../../domain/wording.js';
import { actsAs } from '../kernel/duties.js';
import { requireReason } from '../kernel/deadline-rules.js';
import { refuse } from '../kernel/failures.js';
import { baseState, ProcessKernel } from '../kernel/process.js';
import { storeClosingReport } from '../support/closing-report.js';
import { startRetrospective } from '../support/retrospective.js';

// Schedules are created on the Temporal server: retried until it answers, since reporting must not silently lapse.
const { createReportingSchedules, deleteReportingSchedules } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** History length at which a run continues as new even before Temporal suggests it. */
const MAX_HISTORY_EVENTS = 10_000;
/** A report on a day of the month runs at 09:00 local time unless the policy says `at`. */
const DEFAULT_REPORT_TIME = 9 * 60;
/** Marks runs whose term counts calendar months (earlier runs counted 30-day months). */
const TERM_IN_CALENDAR_MONTHS = 'term-in-calendar-months';

/**
 * CTO engagement (interim, advisory or project, from the policy): tracks the type's deliverables, runs the
 * policy's reporting cadences as Temporal Schedules, reminds before the term ends, and ends at term end
 * (completed), by early termination, or by withdrawal before any work was delivered. Renewals and extensions
 * move the term within the type's maximum. Long engagements continue as new, carrying their whole state and
 * the recorder's numbering. When it ends, a retrospective is started as an abandoned child.
 */
export async function ctoEngagement(input: CtoEngagementInput): Promise<CtoEngagementState> {
  const state = input.resume ? input.resume.state : initialState(input);
  const kernel = new ProcessKernel(state, {
    noun: 'engagement',
    closedAs: 'has ended',
    describe,
    recorder: {
      resume: input.resume?.checkpoint,
      pendingActors: (s) => (s.pendingRoles.includes('engagement_lead') ? [s.engagementLead] : []),
    },
  });
  const { rec } = kernel;
  const isOpen = () => kernel.isOpen();
  const isRequesterOrAdmin = (a: Actor) => a.id === state.requester || a.roles.includes('admin');
  /** Bumped by every accepted update, so the main loop re-reads deadlines and the continue-as-new hint. */
  let changes = 0;

  kernel.start(
    input.resume
      ? undefined
      : {
          by: input.requester,
          details: {
            clientOrg: state.clientOrg,
            engagementType: state.engagementType,
            startDate: state.startDate,
            termDays: state.termDays,
            termEndsAt: state.termEndsAt,
            engagementLead: state.engagementLead,
            deliverables: state.deliverables.map((d) => d.key),
          },
        },
  );
  if (!input.resume) rec.notify('info', [state.engagementLead], `You lead the ${state.engagementType.replace(/_/g, ' ')} engagement "${state.title}" for ${state.clientOrg}`);

  setHandler(
    deliverUpdate,
    (req) => {
      const deliverable = state.deliverables.find((d) => d.key === req.deliverable)!;
      const revision = deliverable.deliveries.length + 1;
      deliverable.deliveries.push({ documentRef: req.documentRef, summary: req.summary, contentHash: req.contentHash, by: req.actor.id, at: new Date().toISOString() });
      deliverable.status = 'delivered';
      refreshPending();
      changes++;
      rec.event(req.actor, 'deliverable_delivered', { deliverable: req.deliverable, revision, documentRef: req.documentRef, contentHash: req.contentHash, summary: req.summary }, 'engagement_lead');
      rec.notify('info', [state.requester], `"${state.title}": ${req.deliverable.replace(/_/g, ' ')} delivered (${req.documentRef})`);
      return kernel.receipt();
    },
    {
      validator: (req: DeliverRequest) => {
        kernel.requireOpen();
        if (!actsAs(req.actor, state.engagementLead)) refuse('Forbidden', `only the engagement lead (${state.engagementLead}) delivers deliverables`);
        if (!state.deliverables.some((d) => d.key === req.deliverable)) {
          const keys = state.deliverables.map((d) => d.key).join(', ');
          refuse('ValidationError', `${req.deliverable} is not a deliverable of ${withArticle(state.engagementType)} engagement`, [{ path: 'deliverable', message: `expected one of ${keys}` }]);
        }
        if (!req.documentRef?.trim()) refuse('RuleViolation', 'a delivery must reference its document', [{ path: 'documentRef', message: 'required' }]);
      },
    },
  );

  setHandler(
    renewUpdate,
    (req) => {
      moveTermEnd({ months: req.months });
      state.termChanges.push({ kind: 'renewal', by: req.actor.id, at: new Date().toISOString(), months: req.months, reason: req.reason, termEndsAt: state.termEndsAt! });
      rec.event(req.actor, 'renewed', { months: req.months, reason: req.reason, termEndsAt: state.termEndsAt });
      rec.notify('info', [state.engagementLead, state.requester], `"${state.title}" renewed by ${req.months} months, now ending ${state.termEndsAt!.slice(0, 10)}`);
      return kernel.receipt();
    },
    {
      validator: (req: RenewRequest) => {
        kernel.requireOpen();
        if (!isRequesterOrAdmin(req.actor)) refuse('Forbidden', 'only the requester or an admin can change the term');
        checkTermChange(req.months, req.months * DAYS_PER_MONTH, req.reason, 'months');
      },
    },
  );

  kernel.handleExtensions({
    may: (actor) => (isRequesterOrAdmin(actor) ? undefined : 'only the requester or an admin can change the term'),
    check: (req) => checkTermChange(req.days, req.days, req.reason, 'days'),
    apply: (req) => {
      moveTermEnd({ days: req.days });
      state.termChanges.push({ kind: 'extension', by: req.actor.id, at: new Date().toISOString(), days: req.days, reason: req.reason, termEndsAt: state.termEndsAt! });
      return { termEndsAt: state.termEndsAt };
    },
  });

  setHandler(
    terminateUpdate,
    (req) => {
      state.termination = { by: req.actor.id, reason: req.reason, at: new Date().toISOString() };
      end('terminated', req.reason, req.actor, 'terminated', {});
      return kernel.receipt();
    },
    {
      validator: (req: TerminateRequest) => {
        kernel.requireOpen();
        if (!isRequesterOrAdmin(req.actor)) refuse('Forbidden', 'only the requester or an admin can terminate the engagement');
        requireReason(req.reason, 'a termination');
      },
    },
  );

  kernel.handleWithdraw({
    may: (actor) => (actor.id === state.requester ? undefined : 'only the requester can withdraw the engagement'),
    check: () => {
      if (state.deliverables.some((d) => d.status === 'delivered')) refuse('Conflict', 'work has been delivered: terminate the engagement instead of withdrawing it');
    },
    role: null,
    // The withdrawn event is the engagement's end: nothing was delivered.
    decide: false,
    details: () => ({ outcome: 'withdrawn', outstandingDeliverables: outstanding() }),
    then: () => ended(),
  });

  /** The rules of a renewal or an extension (by `days`) of an open engagement: a term to change, a reason, within the type's maximum. */
  function checkTermChange(amount: number, days: number, reason: string, unit: 'months' | 'days'): void {
    if (state.termDays === null) refuse('Conflict', 'this ongoing engagement has no term to change');
    if (!Number.isInteger(amount) || amount < 1) refuse('ValidationError', `${unit} must be a positive whole number`, [{ path: unit, message: 'expected an integer ≥ 1' }]);
    requireReason(reason, 'a term change');
    if (state.maxTermDays !== null && state.termDays + days > state.maxTermDays) {
      refuse('RuleViolation', `${withArticle(state.engagementType)} engagement runs at most ${state.maxTermDays / DAYS_PER_MONTH} months (${state.maxTermDays} days; already ${state.termDays})`, [
        { path: unit, message: `at most ${unit === 'months' ? Math.floor((state.maxTermDays - state.termDays) / DAYS_PER_MONTH) : state.maxTermDays - state.termDays}` },
      ]);
    }
  }

  function moveTermEnd(change: { months?: number; days?: number }): void {
    const [months, days] = [change.months ?? 0, change.days ?? 0];
    state.termDays = state.termDays! + months * DAYS_PER_MONTH + days;
    if (state.term) state.term = { months: state.term.months + months, days: state.term.days + days };
    state.termEndsAt = state.term ? termEndOf(state.startDate, state.term) : termEnd(state.startDate, state.termDays);
    state.slaDueAt = state.termEndsAt;
    changes++;
  }

  function refreshPending(): void {
    state.pendingRoles = isOpen() && state.deliverables.some((d) => d.status === 'pending') ? ['engagement_lead'] : [];
  }

  const outstanding = () => state.deliverables.filter((d) => d.status === 'pending').map((d) => d.key);

  /** Ends the engagement with `action` as its record (term ended, terminated). */
  function end(outcome: CtoEngagementOutcome, reason: string, by: Actor | 'system', action: EventAction, details: Record<string, unknown>): void {
    kernel.close(outcome, reason, { by, action, details: { ...details, outstandingDeliverables: outstanding() }, recipients: [state.requester, state.engagementLead], message: endedMessage() });
    changes++;
  }

  function ended(): void {
    changes++;
    rec.notify('outcome', [state.requester, state.engagementLead], endedMessage());
  }

  function endedMessage(): string {
    const left = outstanding();
    return `"${state.title}" has ended: ${state.outcome}${left.length ? ` (outstanding: ${left.join(', ')})` : ''}`;
  }

  if (isOpen() && state.reportingStatus === 'pending') {
    const result = await createReportingSchedules({
      scope: state.workflowId,
      title: state.title,
      taskQueue: workflowInfo().taskQueue,
      startAt: `${state.startDate}T00:00:00.000Z`,
      cadences: state.reporting.map(({ key, intervalDays, scheduleId, calendar }) => ({ key, intervalDays, scheduleId, ...(calendar ? { calendar } : {}) })),
    });
    // Ended while the schedules were being created: the clean-up below removes them again.
    state.reportingStatus = result.status === 'created' ? 'scheduled' : 'not_configured';
    if (result.status === 'created') rec.event('system', 'reporting_scheduled', { schedules: state.reporting.map((r) => ({ key: r.key, cadence: r.cadence, scheduleId: r.scheduleId })) });
    else rec.event('system', 'reporting_not_scheduled', { reason: result.reason });
  }

  const continueAsNewAfter = (input.continueAsNewAfterDays ?? DEFAULT_CONTINUE_AS_NEW_AFTER_DAYS) * DAY_MS;
  const runStartedAt = workflowInfo().runStartTime.getTime();
  const historyTooLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > MAX_HISTORY_EVENTS;

  while (isOpen()) {
    const now = Date.now();
    const ends = state.termEndsAt === null ? null : Date.parse(state.termEndsAt);
    if (ends !== null && now >= ends) {
      end('completed', `the term ended on ${state.termEndsAt!.slice(0, 10)}`, 'system', 'term_ended', { termEndsAt: state.termEndsAt });
      break;
    }
    const remindAt = ends === null || state.endReminderSentFor === state.termEndsAt ? null : ends - END_REMINDER_DAYS * DAY_MS;
    if (remindAt !== null && now >= remindAt) {
      state.endReminderSentFor = state.termEndsAt;
      rec.notify('reminder', [state.requester, state.engagementLead], `"${state.title}" ends on ${state.termEndsAt!.slice(0, 10)}: renew it or prepare the hand-over`);
      rec.event('system', 'term_end_reminder', { termEndsAt: state.termEndsAt });
      continue;
    }
    const continueAt = runStartedAt + continueAsNewAfter;
    if (now >= continueAt || historyTooLong()) {
      // Every update has finished and every change is in the database: the next run starts from exactly here.
      await condition(allHandlersFinished);
      await rec.flushed();
      if (isOpen()) await continueAsNew<typeof ctoEngagement>({ ...input, resume: { state, checkpoint: rec.checkpoint() } });
      break;
    }
    const wakeAt = Math.min(...[ends, remindAt, continueAt].filter((t): t is number => t !== null));
    const seen = changes;
    await condition(() => !isOpen() || changes !== seen || historyTooLong(), Math.max(wakeAt - now, 1));
  }

  if (state.reportingStatus === 'scheduled') {
    await deleteReportingSchedules({ scheduleIds: state.reporting.map((r) => r.scheduleId) });
    state.reportingStatus = 'removed';
    rec.event('system', 'reporting_unscheduled', { scheduleIds: state.reporting.map((r) => r.scheduleId) });
  }

  // Engagements recorded before closing reports took no such step, hence the patch.
  if (patched('closing-report')) state.closingReportId = await storeClosingReport(state, rec, `${state.startDate}T00:00:00.000Z`);

  if (state.outcome !== 'withdrawn') {
    const retro = await startRetrospective({
      businessKey: `cto-${state.businessKey}`,
      title: `Retrospective: ${state.title}`,
      subjectWorkflowId: state.workflowId,
      participants: [...new Set([state.requester, state.engagementLead, ...state.retrospectiveParticipants])],
      facilitator: state.engagementLead,
      requester: input.requester,
      policyVersion: state.policyVersion,
    });
    state.retrospectiveWorkflowId = retro.workflowId;
    rec.event('system', retro.linked ? 'retrospective_linked' : 'retrospective_started', { workflowId: retro.workflowId });
  }

  return kernel.finish();
}

function initialState(input: CtoEngagementInput): CtoEngagementState {
  const type = input.policy.engagementTypes.find((t) => t.key === input.engagementType);
  if (!type) {
    const keys = input.policy.engagementTypes.map((t) => t.key).join(', ');
    refuse('ValidationError', `engagement type "${input.engagementType}" is not in the policy`, [{ path: 'engagementType', message: `expected one of ${keys}` }]);
  }
  const problem = termProblem(type, input.termMonths);
  if (problem) refuse('ValidationError', problem, [{ path: 'termMonths', message: problem }]);
  const startDate = input.startDate ?? new Date().toISOString().slice(0, 10);
  try {
    parseIsoDate(startDate);
  } catch {
    refuse('ValidationError', 'startDate must be a date YYYY-MM-DD', [{ path: 'startDate', message: 'expected YYYY-MM-DD' }]);
  }
  const termDays = input.termMonths === undefined ? null : input.termMonths * DAYS_PER_MONTH;
  // A term runs calendar months (a 12-month term from 2026-12-01 ends on 2027-12-01); earlier runs counted 30 days.
  const term = termDays !== null && patched(TERM_IN_CALENDAR_MONTHS) ? { months: input.termMonths!, days: 0 } : undefined;
  const termEndsAt = termDays === null ? null : term ? termEndOf(startDate, term) : termEnd(startDate, termDays);
  if (termEndsAt !== null && Date.parse(termEndsAt) <= Date.now()) {
    refuse('ValidationError', `the term would already have ended (${termEndsAt.slice(0, 10)})`, [{ path: 'startDate', message: 'the term must end in the future' }]);
  }
  const base = baseState('cto_engagement', input, 'active', type.deliverables.length ? ['engagement_lead'] : []);
  const { workflowId } = base;
  return {
    ...base,
    slaDueAt: termEndsAt,
    clientOrg: input.clientOrg,
    engagementType: type.key,
    commitment: type.commitment,
    focus: type.focus,
    engagementLead: input.engagementLead,
    sponsor: input.sponsor ?? null,
    startDate,
    termDays,
    ...(term ? { term } : {}),
    termEndsAt,
    maxTermDays: type.duration.maxDays,
    termChanges: [],
    deliverables: type.deliverables.map((key) => ({ key, status: 'pending', deliveries: [] })),
    // "as_needed" reporting has no cadence to schedule.
    reporting: input.policy.reporting
      .filter((r): r is typeof r & { intervalDays: number } => r.intervalDays !== null)
      .map((r) => ({
        key: r.key,
        cadence: r.cadence,
        intervalDays: r.intervalDays,
        scheduleId: reportScheduleId(workflowId, r.key),
        ...(r.dayOfMonth !== undefined ? { calendar: { dayOfMonth: r.dayOfMonth, everyMonths: r.cadence === 'quarterly' ? 3 : 1, at: r.at ?? DEFAULT_REPORT_TIME, timeZone: r.timeZone ?? 'UTC' } } : {}),
      })),
    reportingStatus: 'pending',
    endReminderSentFor: null,
    termination: null,
    retrospectiveWorkflowId: null,
    retrospectiveParticipants: input.retrospectiveParticipants ?? [],
  };
}

/** The end of a term of 30-day months, as runs started before calendar months count it. */
function termEnd(startDate: string, days: number): string {
  return new Date(Date.parse(`${startDate}T00:00:00.000Z`) + days * DAY_MS).toISOString();
}

function describe(s: CtoEngagementState): string {
  const delivered = s.deliverables.filter((d) => d.status === 'delivered').length;
  const progress = `${delivered}/${s.deliverables.length} deliverables`;
  if (s.outcome) return `**${s.title}** — ${s.outcome} (${progress})`;
  return `**${s.title}** — ${s.engagementType.replace(/_/g, ' ')} for ${s.clientOrg}, ${progress}${s.termEndsAt ? `, term ends ${s.termEndsAt.slice(0, 10)}` : ', ongoing'}`;
}
