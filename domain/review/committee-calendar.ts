import type { GovernanceCommitteePolicy } from '../policy/types.js';
import { DAY_MS, civilFromDays, daysFromCivil } from '../engines/calendar.js';


/**
 * When the governance committee next meets, strictly after `nowMs` (UTC day starts, in ms since the epoch).
 * An item raised on a meeting day waits for the next meeting: the agenda closes when the day begins.
 * - monthly: `meetingDayOfMonth` of each month; quarterly: that day in January, April, July and October;
 * - weekly: every Monday; bi_weekly: Mondays of even ISO-style weeks counted from 1970-01-05 (a Monday).
 * Pure and clock-free, so the workflow can compute its meeting timer deterministically.
 */
export function nextMeetingAt(policy: Pick<GovernanceCommitteePolicy, 'meetingCadence' | 'meetingDayOfMonth'>, nowMs: number): number {
  const today = Math.floor(nowMs / DAY_MS);
  const after = (day: number) => day * DAY_MS > nowMs;
  switch (policy.meetingCadence) {
    case 'weekly':
    case 'bi_weekly': {
      const step = policy.meetingCadence === 'weekly' ? 7 : 14;
      const firstMonday = 4; // 1970-01-05
      // The first cadence day after today.
      return (firstMonday + Math.ceil((today + 1 - firstMonday) / step) * step) * DAY_MS;
    }
    case 'monthly':
    case 'quarterly': {
      const everyMonths = policy.meetingCadence === 'monthly' ? 1 : 3;
      const { year, month } = civilFromDays(today);
      // Month index counted from year 0, so stepping months needs no carry logic.
      let m = year * 12 + (month - 1);
      if (everyMonths === 3) m -= m % 3;
      for (;;) {
        const day = daysFromCivil(Math.floor(m / 12), (m % 12) + 1, policy.meetingDayOfMonth);
        if (after(day)) return day * DAY_MS;
        m += everyMonths;
      }
    }
  }
}
