/**
 * Periodic reports of a CTO engagement's reporting cadences. Each cadence is a Temporal Schedule whose action
 * starts the short `buildReport` workflow; the ids are pure functions of the engagement, so re-creating a
 * schedule or re-running a report never makes a second one.
 */

/** The workflow type a reporting schedule starts. */
export const REPORT_WORKFLOW_TYPE = 'buildReport';

export interface ReportRunInput {
  scheduleId: string;
  /** The reporting key of the policy, e.g. executive_updates; stored as the report's kind. */
  kind: string;
  /** The workflow ID of the engagement the report is for. */
  scope: string;
  /** The cadence: the report covers this many days up to its scheduled time. */
  intervalDays: number;
  /** A calendar cadence covers this many calendar months instead. */
  everyMonths?: number;
}

/** "Monthly (or quarterly) on day N": runs on that day at a local time of a time zone. */
export interface CalendarCadence {
  dayOfMonth: number;
  /** 1 for monthly, 3 for quarterly (January, April, July, October). */
  everyMonths: number;
  /** Minutes after local midnight. */
  at: number;
  timeZone: string;
}

export interface ReportingCadence {
  key: string;
  cadence: string;
  intervalDays: number;
  scheduleId: string;
  /** Set when the policy names a day of the month (absent in engagements started before). */
  calendar?: CalendarCadence;
}

/** One schedule per engagement and reporting key. */
export function reportScheduleId(scope: string, kind: string): string {
  return `reports:${kind}:${scope}`;
}
