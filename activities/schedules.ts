import type { Client } from '@temporalio/client';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleOptions, type ScheduleSpec } from '@temporalio/client';
import { DAY_MS } from '../domain/engines/calendar.js';
import { MONITORING_REVIEW_WORKFLOW, type MonitoringReviewInput } from '../workflows/monitoring-review/contract.js';
import { REPORT_WORKFLOW_TYPE, type CalendarCadence, type ReportRunInput } from '../workflows/report/contract.js';
import { SA } from '../workflows/contracts/search-attributes.js';


export interface ReportingSchedulesRequest {
  /** The engagement's workflow ID: the reports' scope. */
  scope: string;
  title: string;
  /** Task queue the report workflows run on (the engagement's own). */
  taskQueue: string;
  /** ISO timestamp the cadences start from; runs fall on whole intervals after it. */
  startAt: string;
  cadences: { key: string; intervalDays: number; scheduleId: string; calendar?: CalendarCadence }[];
}

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;

/**
 * When a cadence's schedule runs: a calendar cadence on its day of the month at its local time, in its time zone (so
 * "monthly on day 1 at 09:00" stays 09:00 across clock changes); else every interval, anchored on the start date
 * rather than on the Unix epoch.
 */
function specOf(cadence: { intervalDays: number; calendar?: CalendarCadence | undefined }, startAt: Date): ScheduleSpec {
  const c = cadence.calendar;
  if (c) {
    const month = c.everyMonths === 1 ? '*' : MONTHS.filter((_, i) => i % c.everyMonths === 0);
    return { calendars: [{ dayOfMonth: c.dayOfMonth, hour: Math.floor(c.at / 60), minute: c.at % 60, month, comment: `day ${c.dayOfMonth} of every ${c.everyMonths === 1 ? 'month' : `${c.everyMonths} months`}` }], timezone: c.timeZone, startAt };
  }
  const every = cadence.intervalDays * DAY_MS;
  return { intervals: [{ every, offset: ((startAt.getTime() % every) + every) % every }], startAt };
}

export type SchedulesResult = { status: 'created'; scheduleIds: string[] } | { status: 'not_configured'; reason: string };

/** Creates a schedule; one that already exists (a retried activity, a replayed start) is left as it is. */
async function ensureSchedule(client: Client, options: ScheduleOptions): Promise<void> {
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}

/** Creates one Temporal Schedule per reporting cadence, each starting the `buildReport` workflow. Idempotent. */
export async function createReportingSchedules(client: Client | undefined, req: ReportingSchedulesRequest): Promise<SchedulesResult> {
  if (!client) return { status: 'not_configured', reason: 'this worker has no Temporal client for schedules' };
  const startAt = new Date(req.startAt);
  for (const cadence of req.cadences) {
    const args: [ReportRunInput] = [{ scheduleId: cadence.scheduleId, kind: cadence.key, scope: req.scope, intervalDays: cadence.intervalDays, ...(cadence.calendar ? { everyMonths: cadence.calendar.everyMonths } : {}) }];
    await ensureSchedule(client, {
      scheduleId: cadence.scheduleId,
      spec: specOf(cadence, startAt),
      action: { type: 'startWorkflow', workflowType: REPORT_WORKFLOW_TYPE, workflowId: cadence.scheduleId, taskQueue: req.taskQueue, args },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { scope: req.scope, kind: cadence.key },
      state: { note: `${cadence.key.replace(/_/g, ' ')} of "${req.title}"` },
    });
  }
  return { status: 'created', scheduleIds: req.cadences.map((c) => c.scheduleId) };
}

export interface MonitoringSchedulesRequest {
  taskQueue: string;
  /** ISO timestamp the cadences count from (the approval): a quarterly review falls every 91 days after it. */
  startAt: string;
  schedules: { scheduleId: string; intervalDays: number; input: MonitoringReviewInput }[];
}

/**
 * Creates an AI system's monitoring review schedules, each run starting a monitoring review for the system's owner.
 * Overlapping runs are allowed: a review that is not done when the next falls due stays open (and overdue) beside it.
 */
export async function createMonitoringSchedules(client: Client | undefined, req: MonitoringSchedulesRequest): Promise<SchedulesResult> {
  if (!client) return { status: 'not_configured', reason: 'this worker has no Temporal client for schedules' };
  const startAt = new Date(req.startAt);
  for (const s of req.schedules) {
    await ensureSchedule(client, {
      scheduleId: s.scheduleId,
      spec: specOf(s, startAt),
      action: {
        type: 'startWorkflow',
        workflowType: MONITORING_REVIEW_WORKFLOW,
        workflowId: `monitoring-review/${s.input.businessKey}`,
        taskQueue: req.taskQueue,
        args: [s.input],
        staticSummary: `monitoring review: ${s.input.title}`,
        typedSearchAttributes: [
          { key: SA.kind, value: 'monitoring_review' },
          { key: SA.requester, value: s.input.requester.id },
        ],
      },
      policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL, catchupWindow: '1 day' },
      memo: { aiSystem: s.input.aiSystem, review: s.input.review },
      state: { note: s.input.title },
    });
  }
  return { status: 'created', scheduleIds: req.schedules.map((s) => s.scheduleId) };
}

/** Deletes schedules; one already gone counts as deleted. */
export async function deleteSchedules(client: Client | undefined, req: { scheduleIds: string[] }): Promise<{ deleted: string[] }> {
  if (!client) return { deleted: [] };
  const deleted: string[] = [];
  for (const id of req.scheduleIds) {
    try {
      await client.schedule.getHandle(id).delete();
      deleted.push(id);
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
    }
  }
  return { deleted };
}
