import { describe, expect, it } from 'vitest';
import { nextMeetingAt } from '../../../domain/review/committee-calendar.js';

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
});
