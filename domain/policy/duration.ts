import type { DurationRange } from './types.js';

const UNIT_DAYS: Record<string, number> = { day: 1, days: 1, week: 7, weeks: 7, month: 30, months: 30 };

/**
 * Parses the framework's duration notation into days: `4-6_weeks` → {28, 42}, `2_weeks` → {14, 14},
 * `ongoing` → {0, null}. Months count as 30 days. Returns an error message instead of throwing.
 */
export function parseDurationRange(text: string): DurationRange | string {
  const value = text.trim().toLowerCase();
  if (value === 'ongoing') return { minDays: 0, maxDays: null };
  const m = /^(\d+)(?:-(\d+))?_(days?|weeks?|months?)$/.exec(value);
  if (!m) return `"${text}" is not a duration; write e.g. 4-6_weeks, 2_weeks, 3-12_months or ongoing`;
  const unit = UNIT_DAYS[m[3]!]!;
  const min = Number(m[1]) * unit;
  const max = (m[2] === undefined ? Number(m[1]) : Number(m[2])) * unit;
  if (min > max) return `"${text}": the minimum (${m[1]}) is greater than the maximum (${m[2]})`;
  if (max === 0) return `"${text}": a duration must be longer than zero`;
  return { minDays: min, maxDays: max };
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
