import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities/index.js';
import type { ReportRunInput } from './contract.js';
import { DAY_MS, addMonths } from '../../domain/engines/calendar.js';

const { compileReport } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 20 },
});

/** Set by the Temporal server on every workflow a schedule starts: the action's nominal time. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/**
 * One run of a reporting cadence (started by its Temporal Schedule): the report covers the cadence's interval up
 * to the scheduled time, is built from the database and stored under an ID derived from schedule and period.
 */
export async function buildReport(input: ReportRunInput): Promise<{ reportId: string; periodStart: string; periodEnd: string }> {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(SCHEDULED_START);
  // The nominal time (without the schedule's jitter); a manually triggered run has the trigger's time.
  const endMs = (scheduled ?? info.startTime).getTime();
  const periodEnd = new Date(endMs).toISOString();
  // A calendar cadence covers the calendar months since its previous run (the same day of the month).
  const periodStart = input.everyMonths ? `${addMonths(periodEnd.slice(0, 10), -input.everyMonths)}${periodEnd.slice(10)}` : new Date(endMs - input.intervalDays * DAY_MS).toISOString();
  const { id } = await compileReport({ scheduleId: input.scheduleId, kind: input.kind, scope: input.scope, periodStart, periodEnd });
  return { reportId: id, periodStart, periodEnd };
}
