import type { Client } from '@temporalio/client';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import { DAY_MS } from '../domain/engines/calendar.js';
import { REPORT_WORKFLOW_TYPE, type ReportRunInput } from '../workflows/report/contract.js';


export interface ReportingSchedulesRequest {
  /** The engagement's workflow ID: the reports' scope. */
  scope: string;
  title: string;
  /** Task queue the report workflows run on (the engagement's own). */
  taskQueue: string;
  /** ISO timestamp the cadences start from; runs fall on whole intervals after it. */
  startAt: string;
  cadences: { key: string; intervalDays: number; scheduleId: string }[];
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
    const every = cadence.intervalDays * DAY_MS;
    const args: [ReportRunInput] = [{ scheduleId: cadence.scheduleId, kind: cadence.key, scope: req.scope, intervalDays: cadence.intervalDays }];
    try {
      await client.schedule.create({
        scheduleId: cadence.scheduleId,
        // The offset anchors the runs on the engagement's start date rather than on the Unix epoch.
        spec: { intervals: [{ every, offset: ((startAt.getTime() % every) + every) % every }], startAt },
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
