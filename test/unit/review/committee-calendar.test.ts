import { describe, expect, it } from 'vitest';
import { nextMeetingAt } from '../../../domain/review/committee-calendar.js';
import type { BusinessCalendar } from '../../../domain/policy/types.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('nextMeetingAt', () => {
  const monthly = { meetingCadence: 'monthly' as const, meetingDayOfMonth: 15 };

  it('monthly: the meeting day later this month, or next month once the day has begun', () => {
    expect(iso(nextMeetingAt(monthly, at('2026-11-03T10:00:00Z')))).toBe('2026-11-15T00:00:00.000Z');
    expect(iso(nextMeetingAt(monthly, at('2026-11-14T23:59:59Z')))).toBe('2026-11-15T00:00:00.000Z');
    expect(iso(nextMeetingAt(monthly, at('2026-11-15T00:00:00Z')))).toBe('2026-12-15T00:00:00.000Z');
    expect(iso(nextMeetingAt(monthly, at('2026-12-20T08:00:00Z')))).toBe('2027-01-15T00:00:00.000Z');
  });

  it('follows the policy: another day of the month moves the meeting', () => {
    expect(iso(nextMeetingAt({ meetingCadence: 'monthly', meetingDayOfMonth: 1 }, at('2026-02-10T00:00:00Z')))).toBe('2026-03-01T00:00:00.000Z');
  });

  it('quarterly: the meeting day in January, April, July or October', () => {
    const quarterly = { meetingCadence: 'quarterly' as const, meetingDayOfMonth: 15 };
    expect(iso(nextMeetingAt(quarterly, at('2026-11-24T00:00:00Z')))).toBe('2027-01-15T00:00:00.000Z');
    expect(iso(nextMeetingAt(quarterly, at('2026-04-14T00:00:00Z')))).toBe('2026-04-15T00:00:00.000Z');
    expect(iso(nextMeetingAt(quarterly, at('2026-04-15T09:00:00Z')))).toBe('2026-07-15T00:00:00.000Z');
  });

  it('weekly and bi-weekly: Mondays', () => {
    // 2026-11-24 is a Tuesday; the next Monday is 2026-11-30.
    const weekly = nextMeetingAt({ meetingCadence: 'weekly', meetingDayOfMonth: 1 }, at('2026-11-24T12:00:00Z'));
    expect(iso(weekly)).toBe('2026-11-30T00:00:00.000Z');
    expect(new Date(weekly).getUTCDay()).toBe(1);
    expect(iso(nextMeetingAt({ meetingCadence: 'weekly', meetingDayOfMonth: 1 }, at('2026-11-30T00:00:00Z')))).toBe('2026-12-07T00:00:00.000Z');
    const biWeekly = nextMeetingAt({ meetingCadence: 'bi_weekly', meetingDayOfMonth: 1 }, at('2026-11-24T12:00:00Z'));
    expect(new Date(biWeekly).getUTCDay()).toBe(1);
    expect(biWeekly - at('2026-11-24T12:00:00Z')).toBeLessThanOrEqual(14 * 86_400_000);
    expect(nextMeetingAt({ meetingCadence: 'bi_weekly', meetingDayOfMonth: 1 }, biWeekly)).toBe(biWeekly + 14 * 86_400_000);
  });

  it('with a calendar, a meeting on a holiday or a weekend moves to the next working day (or the previous, by rule)', () => {
    const calendar: BusinessCalendar = {
      key: 'default',
      timeZone: 'UTC',
      workingDays: [1, 2, 3, 4, 5],
      workingHours: { start: 540, end: 1020 },
      holidays: [{ date: '2027-08-16', name: 'a bridge day' }, { date: '2027-06-15', name: 'founders day' }],
      offsets: [],
    };
    const monthly = { meetingCadence: 'monthly' as const, meetingDayOfMonth: 15, calendar };
    // 2027-06-15 is a holiday (a Tuesday): Wednesday the 16th.
    expect(iso(nextMeetingAt(monthly, at('2027-06-01T00:00:00Z')))).toBe('2027-06-16T00:00:00.000Z');
    // 2027-08-15 is a Sunday and the Monday a holiday: Tuesday the 17th; by the other rule Friday the 13th.
    expect(iso(nextMeetingAt(monthly, at('2027-08-01T00:00:00Z')))).toBe('2027-08-17T00:00:00.000Z');
    expect(iso(nextMeetingAt({ ...monthly, meetingOffWorkingDay: 'previous_working_day' }, at('2027-08-01T00:00:00Z')))).toBe('2027-08-13T00:00:00.000Z');
    // On the 16th of June the moved June meeting is still to come; after it, July's.
    expect(iso(nextMeetingAt(monthly, at('2027-06-15T12:00:00Z')))).toBe('2027-06-16T00:00:00.000Z');
    expect(iso(nextMeetingAt(monthly, at('2027-06-16T00:00:00Z')))).toBe('2027-07-15T00:00:00.000Z');
    // A working day stays as it is.
    expect(iso(nextMeetingAt(monthly, at('2027-09-01T00:00:00Z')))).toBe('2027-09-15T00:00:00.000Z');
  });
});
