import { describe, expect, it } from 'vitest';
import { addDelay, isWorkingDate } from '../../../domain/engines/business-time.js';
import { addMonths } from '../../../domain/engines/calendar.js';
import { describeStep, escalationDeadlines } from '../../../domain/engines/escalation-deadlines.js';
import { describeDuration, parseIsoDuration } from '../../../domain/policy/duration.js';
import { utcOffsets } from '../../../domain/policy/time-zones.js';
import type { BusinessCalendar } from '../../../domain/policy/types.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

/** Brussels, Monday to Friday 09:00-17:00, with Whit Monday 2027 and Christmas 2026 off. */
const brussels: BusinessCalendar = {
  key: 'default',
  timeZone: 'Europe/Brussels',
  workingDays: [1, 2, 3, 4, 5],
  workingHours: { start: 9 * 60, end: 17 * 60 },
  holidays: [
    { date: '2026-12-25', name: 'Christmas Day' },
    { date: '2027-05-17', name: 'Whit Monday' },
  ],
  offsets: utcOffsets('Europe/Brussels'),
};

describe('ISO 8601 durations', () => {
  it('parses whole units and refuses what is not a duration', () => {
    expect(parseIsoDuration('PT10M')).toMatchObject({ minutes: 10, hours: 0, days: 0 });
    expect(parseIsoDuration('P2W')).toMatchObject({ weeks: 2 });
    expect(parseIsoDuration('P1Y2M3DT4H5M6S')).toEqual({ years: 1, months: 2, weeks: 0, days: 3, hours: 4, minutes: 5, seconds: 6 });
    for (const bad of ['P', 'PT', '3D', 'P3DT', 'P1.5D', 'pt10m', 'P3D4H']) expect(typeof parseIsoDuration(bad), bad).toBe('string');
    expect(describeDuration(parseIsoDuration('P1DT4H') as never)).toBe('1 day 4 hours');
  });
});

describe('calendar time', () => {
  it('adds whole days without a calendar exactly as the original day counts did (UTC, 24 h a day)', () => {
    const start = at('2026-03-27T10:15:00Z');
    expect(addDelay(start, { duration: 'P14D', time: 'calendar' })).toBe(start + 14 * 86_400_000);
  });

  it('keeps the wall-clock time across a clock change in the calendar’s zone, while hours are elapsed time', () => {
    // Brussels moves to summer time on 2027-03-28: 09:00 local is 08:00Z before and 07:00Z after.
    expect(iso(addDelay(at('2027-03-26T08:00:00Z'), { duration: 'P3D', time: 'calendar' }, brussels))).toBe('2027-03-29T07:00:00.000Z');
    expect(iso(addDelay(at('2027-03-27T23:00:00Z'), { duration: 'PT4H', time: 'calendar' }, brussels))).toBe('2027-03-28T03:00:00.000Z');
  });

  it('counts months as calendar months, a month end kept to the shorter month’s last day', () => {
    expect(addMonths('2026-12-01', 12)).toBe('2027-12-01');
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-08-31', 1)).toBe('2026-09-30');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2027-03-31', -1)).toBe('2027-02-28');
    expect(iso(addDelay(at('2027-01-31T12:00:00Z'), { duration: 'P1M', time: 'calendar' }))).toBe('2027-02-28T12:00:00.000Z');
    expect(iso(addDelay(at('2026-12-01T00:00:00Z'), { duration: 'P1Y', time: 'calendar' }))).toBe('2027-12-01T00:00:00.000Z');
  });
});

describe('working time', () => {
  it('knows weekends and holidays', () => {
    expect(isWorkingDate(brussels, '2027-05-14')).toBe(true); // Friday
    expect(isWorkingDate(brussels, '2027-05-15')).toBe(false); // Saturday
    expect(isWorkingDate(brussels, '2027-05-17')).toBe(false); // Whit Monday
  });

  it('counts working days past the weekend and a public holiday, ending at the same local time', () => {
    // Friday 14 May 2027, 10:00 in Brussels (08:00Z): Tue 18, Wed 19, Thu 20, Fri 21, Mon 24.
    expect(iso(addDelay(at('2027-05-14T08:00:00Z'), { duration: 'P5D', time: 'working' }, brussels))).toBe('2027-05-24T08:00:00.000Z');
    // The same in calendar time ends on the Wednesday.
    expect(iso(addDelay(at('2027-05-14T08:00:00Z'), { duration: 'P5D', time: 'calendar' }, brussels))).toBe('2027-05-19T08:00:00.000Z');
    // A working week is five working days.
    expect(iso(addDelay(at('2027-05-14T08:00:00Z'), { duration: 'P1W', time: 'working' }, brussels))).toBe('2027-05-24T08:00:00.000Z');
    // Started on a Saturday: the Monday is the first working day.
    expect(iso(addDelay(at('2026-12-19T10:00:00Z'), { duration: 'P1D', time: 'working' }, brussels))).toBe('2026-12-21T10:00:00.000Z');
    // Over Christmas (Friday 25 December 2026): Thu 24 → Mon 28.
    expect(iso(addDelay(at('2026-12-24T09:00:00Z'), { duration: 'P1D', time: 'working' }, brussels))).toBe('2026-12-28T09:00:00.000Z');
  });

  it('counts hours within working hours only', () => {
    // Friday 15:00 local + 4 working hours: 2 on Friday, 2 from Monday 09:00 (Whit Monday 2027 is off: Tuesday).
    expect(iso(addDelay(at('2027-05-14T13:00:00Z'), { duration: 'PT4H', time: 'working' }, brussels))).toBe('2027-05-18T09:00:00.000Z');
    // Before opening, the hours start at 09:00; after closing, the next working morning.
    expect(iso(addDelay(at('2027-05-12T05:00:00Z'), { duration: 'PT30M', time: 'working' }, brussels))).toBe('2027-05-12T07:30:00.000Z');
    expect(iso(addDelay(at('2027-05-12T18:00:00Z'), { duration: 'PT1H', time: 'working' }, brussels))).toBe('2027-05-13T08:00:00.000Z');
    // In winter time (UTC+1) 09:00 local is 08:00Z.
    expect(iso(addDelay(at('2026-12-01T15:30:00Z'), { duration: 'PT1H', time: 'working' }, brussels))).toBe('2026-12-02T08:30:00.000Z');
  });

  it('refuses months in working time and working time without a calendar', () => {
    expect(() => addDelay(0, { duration: 'P1M', time: 'working' }, brussels)).toThrow(/not months/);
    expect(() => addDelay(0, { duration: 'P1D', time: 'working' })).toThrow(/needs a calendar/);
  });
});

describe('escalation deadlines', () => {
  it('are the reminder, escalation and breach of the policy, each step in its own time, extensions in the same', () => {
    const policy = {
      reminderAfter: { duration: 'P2D', time: 'working' as const },
      escalateAfter: { duration: 'P3D', time: 'working' as const },
      slaBreachAfter: { duration: 'P5D', time: 'working' as const },
      escalateToRole: 'committee_chair',
      maxExtensionDays: 10,
      calendar: brussels,
    };
    expect(escalationDeadlines(policy, at('2027-05-14T08:00:00Z'), 0)).toEqual({ reminderAt: '2027-05-19T08:00:00.000Z', escalationAt: '2027-05-20T08:00:00.000Z', dueAt: '2027-05-24T08:00:00.000Z' });
    expect(escalationDeadlines(policy, at('2027-05-14T08:00:00Z'), 1).dueAt).toBe('2027-05-25T08:00:00.000Z');
    // The original notation: whole UTC days.
    const days = { reminderAfterDays: 3, escalateAfterDays: 7, slaBreachAfterDays: 14, escalateToRole: 'committee_chair', maxExtensionDays: 30 };
    expect(escalationDeadlines(days, at('2026-12-01T10:00:00Z'), 2)).toEqual({ reminderAt: '2026-12-06T10:00:00.000Z', escalationAt: '2026-12-10T10:00:00.000Z', dueAt: '2026-12-17T10:00:00.000Z' });
    // Messages say it as the policy does.
    expect([describeStep(days, 'sla_breach', 3), describeStep(policy, 'sla_breach', 1), describeStep({ ...days, reminderAfter: { duration: 'PT10M', time: 'calendar' } }, 'reminder')]).toEqual(['17 days', '5 days (working time) + 1 day', '10 minutes']);
  });
});
