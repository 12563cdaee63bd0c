import type { GovernanceCommitteePolicy } from '../policy/types.js';
import { nearestWorkingDay } from '../engines/business-time.js';
import { DAY_MS, civilFromDays, daysFromCivil } from '../engines/calendar.js';

/**
 * When the governance committee next meets, strictly after `nowMs` (UTC day starts, in ms since the epoch).
 * An item raised on a meeting day waits for the next meeting: the agenda closes when the day begins.
 * - monthly: `meetingDayOfMonth` of each month; quarterly: that day in January, April, July and October;
 * - weekly: every Monday; bi_weekly: Mondays of even ISO-style weeks counted from 1970-01-05 (a Monday).
 * With a calendar, a meeting day that is a holiday or not a working day moves to the next working day (or the
 * previous one, by `meetingOffWorkingDay`); a moved meeting still comes strictly after `nowMs`.
 * Pure and clock-free, so the workflow can compute its meeting timer deterministically.
 */
export function nextMeetingAt(policy: Pick<GovernanceCommitteePolicy, 'meetingCadence' | 'meetingDayOfMonth' | 'calendar' | 'meetingOffWorkingDay'>, nowMs: number): number {
  const today = Math.floor(nowMs / DAY_MS);
  const { calendar } = policy;
  const moved = (day: number) => (calendar ? nearestWorkingDay(calendar, day, policy.meetingOffWorkingDay === 'previous_working_day' ? -1 : 1) : day);
  const after = (day: number) => moved(day) * DAY_MS > nowMs;
  switch (policy.meetingCadence) {
    case 'weekly':
    case 'bi_weekly': {
      const step = policy.meetingCadence === 'weekly' ? 7 : 14;
      const firstMonday = 4; // 1970-01-05
      // The first cadence day after today (or after the one before it, which a move may put after today).
      const first = firstMonday + Math.ceil((today + 1 - firstMonday) / step) * step;
      const day = after(first - step) ? first - step : first;
      return moved(after(day) ? day : day + step) * DAY_MS;
    }
    case 'monthly':
    case 'quarterly': {
      const everyMonths = policy.meetingCadence === 'monthly' ? 1 : 3;
      const { year, month } = civilFromDays(today);
      // Month index counted from year 0, so stepping months needs no carry logic; from the period before this
      // one, whose meeting a move may have put after today.
      let m = year * 12 + (month - 1);
      if (everyMonths === 3) m -= m % 3;
      m -= everyMonths;
      for (;;) {
        const day = daysFromCivil(Math.floor(m / 12), (m % 12) + 1, policy.meetingDayOfMonth);
        if (after(day)) return moved(day) * DAY_MS;
        m += everyMonths;
      }
    }
  }
}
