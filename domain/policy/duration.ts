import type { DurationRange } from './types.js';

const UNIT_DAYS: Record<string, number> = { day: 1, days: 1, week: 7, weeks: 7, month: 30, months: 30 };

/**
 * Parses the framework's duration notation into days: `4-6_weeks` → {28, 42}, `2_weeks` → {14, 14},
 * `ongoing` → {0, null}, or ISO 8601 durations, one or a range: `P2W`, `P4W-P6W`, `PT30M-PT1H` (hours and minutes
 * as fractions of a day). Months count as 30 days. Returns an error message instead of throwing.
 */
export function parseDurationRange(text: string): DurationRange | string {
  const value = text.trim().toLowerCase();
  if (value === 'ongoing') return { minDays: 0, maxDays: null };
  if (text.trim().startsWith('P')) return isoRange(text.trim());
  const m = /^(\d+)(?:-(\d+))?_(days?|weeks?|months?)$/.exec(value);
  if (!m) return `"${text}" is not a duration; write e.g. 4-6_weeks, 2_weeks, 3-12_months, P4W-P6W or ongoing`;
  const unit = UNIT_DAYS[m[3]!]!;
  const min = Number(m[1]) * unit;
  const max = (m[2] === undefined ? Number(m[1]) : Number(m[2])) * unit;
  if (min > max) return `"${text}": the minimum (${m[1]}) is greater than the maximum (${m[2]})`;
  if (max === 0) return `"${text}": a duration must be longer than zero`;
  return { minDays: min, maxDays: max };
}

function isoRange(text: string): DurationRange | string {
  const parts = text.split('-').map(parseIsoDuration);
  const bad = parts.find((p): p is string => typeof p === 'string');
  if (bad || parts.length > 2) return bad ?? `"${text}" is not a duration range; write e.g. P4W-P6W`;
  const [min, max] = (parts as IsoDuration[]).map(nominalDays) as [number, number?];
  if (max !== undefined && min > max) return `"${text}": the minimum is greater than the maximum`;
  if ((max ?? min) === 0) return `"${text}": a duration must be longer than zero`;
  return { minDays: min, maxDays: max ?? min };
}

/** Days of a duration, months as 30 days and years as 365 (the ranges' own measure), hours as fractions of a day. */
function nominalDays(d: IsoDuration): number {
  return d.years * 365 + d.months * 30 + d.weeks * 7 + d.days + ((d.hours * 60 + d.minutes) * 60 + d.seconds) / 86_400;
}

const CADENCE_DAYS: Record<string, number | null> = {
  daily: 1,
  weekly: 7,
  bi_weekly: 14,
  monthly: 30,
  quarterly: 91,
  annual: 365,
  as_needed: null,
};

/** Parses a reporting or review cadence (`weekly`, `bi_weekly`, `monthly`, `as_needed`...) into days. */
export function parseCadence(text: string): { intervalDays: number | null } | string {
  if (!(text in CADENCE_DAYS)) return `"${text}" is not a cadence; expected one of ${Object.keys(CADENCE_DAYS).join(', ')}`;
  return { intervalDays: CADENCE_DAYS[text]! };
}

/** The fields of an ISO 8601 duration (`P1Y2M3W4DT5H6M7S`), each a whole number. */
export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const ISO_DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Parses an ISO 8601 duration of whole units (`PT10M`, `PT4H`, `P3D`, `P2W`, `P1M`); an error message if it is not one. */
export function parseIsoDuration(text: string): IsoDuration | string {
  const m = ISO_DURATION.exec(text);
  // "P" alone and a "T" with nothing after it match the pattern but are not durations.
  if (!m || text === 'P' || text.endsWith('T')) return `"${text}" is not an ISO 8601 duration; write e.g. PT10M, PT4H, P3D, P2W or P1M`;
  const [years, months, weeks, days, hours, minutes, seconds] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number, number];
  return { years, months, weeks, days, hours, minutes, seconds };
}

const UNIT_NAMES: [keyof IsoDuration, string][] = [
  ['years', 'year'],
  ['months', 'month'],
  ['weeks', 'week'],
  ['days', 'day'],
  ['hours', 'hour'],
  ['minutes', 'minute'],
  ['seconds', 'second'],
];

/** `P1DT4H` → "1 day 4 hours"; for messages. */
export function describeDuration(d: IsoDuration): string {
  const parts = UNIT_NAMES.filter(([k]) => d[k] > 0).map(([k, name]) => `${d[k]} ${name}${d[k] === 1 ? '' : 's'}`);
  return parts.length ? parts.join(' ') : '0 days';
}
