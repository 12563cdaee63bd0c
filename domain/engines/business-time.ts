/**
 * Time as organisations count it: ISO 8601 delays in calendar time (in a calendar's time zone) or in working
 * time (its working days and hours, without its public holidays). Pure and clock-free, without Date or Intl:
 * workflows compute their timers with it, the API shows the same deadlines with it.
 */
import { describeDuration, parseIsoDuration, type IsoDuration } from '../policy/duration.js';
import type { BusinessCalendar, Delay } from '../policy/types.js';
import { DAY_MS, addMonths, daysFromCivil, isoDateOfDay, parseIsoDate } from './calendar.js';

const MINUTE_MS = 60_000;
/** Longest run of non-working days a calendar may have (a guard against a calendar that never works). */
const MAX_DAYS_OFF = 366;

/** A delay of whole days in calendar time: what the original `…AfterDays` settings mean. */
export function daysDelay(days: number): Delay {
  return { duration: `P${days}D`, time: 'calendar' };
}

function parsedDuration(text: string): IsoDuration {
  const d = parseIsoDuration(text);
  if (typeof d === 'string') throw new RangeError(d);
  return d;
}

/** The zone's offset from UTC at an instant, in minutes (UTC without a calendar). */
function offsetMinutesAt(calendar: BusinessCalendar | undefined, utcMs: number): number {
  const offsets = calendar?.offsets;
  if (!offsets?.length) return 0;
  let [lo, hi] = [0, offsets.length - 1];
  if (utcMs < offsets[0]![0]) return offsets[0]![1];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (offsets[mid]![0] <= utcMs) lo = mid;
    else hi = mid - 1;
  }
  return offsets[lo]![1];
}

/** Local wall-clock time as milliseconds counted as if the zone were UTC. */
function toLocal(calendar: BusinessCalendar | undefined, utcMs: number): number {
  return utcMs + offsetMinutesAt(calendar, utcMs) * MINUTE_MS;
}

/** The instant of a local wall-clock time; a time skipped by a clock change counts as the hour after it. */
function fromLocal(calendar: BusinessCalendar | undefined, localMs: number): number {
  const guess = localMs - offsetMinutesAt(calendar, localMs) * MINUTE_MS;
  return localMs - offsetMinutesAt(calendar, guess) * MINUTE_MS;
}

/** ISO weekday (1 = Monday) of a day count since 1970-01-01 (a Thursday). */
function weekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Whether a date (ISO `YYYY-MM-DD`) is a working day of the calendar: a working weekday and not a holiday. */
export function isWorkingDate(calendar: BusinessCalendar, iso: string): boolean {
  const { year, month, day } = parseIsoDate(iso);
  return isWorkingDay(calendar, daysFromCivil(year, month, day));
}

function isWorkingDay(calendar: BusinessCalendar, day: number): boolean {
  if (!calendar.workingDays.includes(weekday(day))) return false;
  const iso = isoDateOfDay(day);
  return !calendar.holidays.some((h) => h.date === iso);
}

/** The first working day at or after (`step` 1) or at or before (`step` -1) a day count. */
export function nearestWorkingDay(calendar: BusinessCalendar, day: number, step: 1 | -1): number {
  for (let d = day, n = 0; n <= MAX_DAYS_OFF; d += step, n++) if (isWorkingDay(calendar, d)) return d;
  throw new RangeError(`calendar ${calendar.key} has no working day within ${MAX_DAYS_OFF} days of ${isoDateOfDay(day)}`);
}

/**
 * The instant a delay after `startMs` ends.
 * - calendar time: years and months as calendar months (the day of the month kept, or the month's last day), weeks
 *   and days as local days (the same wall-clock time across a clock change), hours, minutes and seconds as elapsed time;
 * - working time: days (a week is as many days as the calendar works in one) as working days, ending at the same
 *   wall-clock time on the last of them; then hours, minutes and seconds within working hours only.
 */
export function addDelay(startMs: number, delay: Delay, calendar?: BusinessCalendar): number {
  const d = parsedDuration(delay.duration);
  const elapsed = ((d.hours * 60 + d.minutes) * 60 + d.seconds) * 1000;
  let local = toLocal(calendar, startMs);
  if (delay.time === 'calendar') {
    if (d.years || d.months) local = monthsLater(local, d.years * 12 + d.months);
    local += (d.weeks * 7 + d.days) * DAY_MS;
    return fromLocal(calendar, local) + elapsed;
  }
  if (!calendar) throw new RangeError(`a delay in working time (${delay.duration}) needs a calendar`);
  if (d.years || d.months) throw new RangeError(`working time counts days, weeks, hours and minutes, not months (${delay.duration})`);
  const timeOfDay = local - Math.floor(local / DAY_MS) * DAY_MS;
  let day = Math.floor(local / DAY_MS);
  for (let n = d.weeks * calendar.workingDays.length + d.days; n > 0; n--) day = nearestWorkingDay(calendar, day + 1, 1);
  local = day * DAY_MS + timeOfDay;
  return fromLocal(calendar, workingTimeLater(calendar, local, elapsed));
}

function monthsLater(localMs: number, months: number): number {
  const day = Math.floor(localMs / DAY_MS);
  const date = addMonths(isoDateOfDay(day), months);
  const { year, month, day: dom } = parseIsoDate(date);
  return daysFromCivil(year, month, dom) * DAY_MS + (localMs - day * DAY_MS);
}

/** Local time `ms` of working time after `localMs`, counting only working hours of working days. */
function workingTimeLater(calendar: BusinessCalendar, localMs: number, ms: number): number {
  const { start, end } = calendar.workingHours;
  let [t, remaining] = [localMs, ms];
  const opening = (day: number) => nearestWorkingDay(calendar, day, 1) * DAY_MS + start * MINUTE_MS;
  while (remaining > 0) {
    const day = Math.floor(t / DAY_MS);
    if (!isWorkingDay(calendar, day)) {
      t = opening(day);
      continue;
    }
    const [open, close] = [day * DAY_MS + start * MINUTE_MS, day * DAY_MS + end * MINUTE_MS];
    if (t < open) t = open;
    if (t >= close) {
      t = opening(day + 1);
      continue;
    }
    const taken = Math.min(remaining, close - t);
    t += taken;
    remaining -= taken;
  }
  return t;
}

/** A delay for messages: "3 days", "10 minutes", "5 days (working time)". */
export function describeDelay(delay: Delay): string {
  const text = describeDuration(parsedDuration(delay.duration));
  return delay.time === 'working' ? `${text} (working time)` : text;
}
