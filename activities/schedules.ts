import type { Client } from '@temporalio/client';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleSpec } from '@temporalio/client';
import { DAY_MS } from '../domain/engines/calendar.js';
import { REPORT_WORKFLOW_TYPE, type CalendarCadence, type ReportRunInput } from '../workflows/report/contract.js';


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
function specOf(cadence: ReportingSchedulesRequest['cadences'][number], startAt: Date): ScheduleSpec {
  const c = cadence.calendar;
  if (c) {
    const month = c.everyMonths === 1 ? '*' : MONTHS.filter((_, i) => i % c.everyMonths === 0);
    return { calendars: [{ dayOfMonth: c.dayOfMonth, hour: Math.floor(c.at / 60), minute: c.at % 60, month, comment: `day ${c.dayOfMonth} of every ${c.everyMonths === 1 ? 'month' : `${c.everyMonths} months`}` }], timezone: c.timeZone, startAt };
  }
  const every = cadence.intervalDays * DAY_MS;
  return { intervals: [{ every, offset: ((startAt.getTime() % every) + every) % every }], startAt };
}

export type ReportingSchedulesResult = { status: 'created'; scheduleIds: string[] } | { status: 'not_configured'; reason: string };

/**
 * Creates one Temporal Schedule per reporting cadence, each starting the `buildReport` workflow. Idempotent: a
 * schedule that already exists (a retried activity, a replayed start) is left as it is.
 */
export async function createReportingSchedules(client: Client | undefined, req: ReportingSchedulesRequest): Promise<ReportingSchedulesResult> {
  if (!client) return { status: 'not_configured', reason: 'this worker has no Temporal client for schedules' };
  const startAt = new Date(req.startAt);
  for (const cadence of req.cadences) {
    const args: [ReportRunInput] = [{ scheduleId: cadence.scheduleId, kind: cadence.key, scope: req.scope, intervalDays: cadence.intervalDays, ...(cadence.calendar ? { everyMonths: cadence.calendar.everyMonths } : {}) }];
    try {
      await client.schedule.create({
        scheduleId: cadence.scheduleId,
        spec: specOf(cadence, startAt),
        action: { type: 'startWorkflow', workflowType: REPORT_WORKFLOW_TYPE, workflowId: cadence.scheduleId, taskQueue: req.taskQueue, args },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
        memo: { scope: req.scope, kind: cadence.key },
        state: { note: `${cadence.key.replace(/_/g, ' ')} of "${req.title}"` },
      });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
  }
  return { status: 'created', scheduleIds: req.cadences.map((c) => c.scheduleId) };
}

/** Deletes the engagement's schedules; one already gone counts as deleted. */
export async function deleteReportingSchedules(client: Client | undefined, req: { scheduleIds: string[] }): Promise<{ deleted: string[] }> {
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
