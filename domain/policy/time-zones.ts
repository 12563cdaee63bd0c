/**
 * A time zone's UTC offsets over the years processes run in, from this machine's time-zone data (Intl), computed
 * when a policy is loaded. Processes pin the table with their policy, so their timers never depend on the
 * time-zone data of the worker that replays them.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The years covered; outside them the nearest offset applies. */
const FIRST_YEAR = 2020;
const LAST_YEAR = 2045;

const cache = new Map<string, [number, number][]>();

function offsetMinutes(format: Intl.DateTimeFormat, utcMs: number): number {
  const parts = Object.fromEntries(format.formatToParts(new Date(utcMs)).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second));
  return Math.round((local - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/** `[fromUtcMs, offsetMinutes]` from 1 January FIRST_YEAR (UTC), one entry per change, exact to the minute. */
export function utcOffsets(timeZone: string): [number, number][] {
  const known = cache.get(timeZone);
  if (known) return known;
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const [from, to] = [Date.UTC(FIRST_YEAR, 0, 1), Date.UTC(LAST_YEAR + 1, 0, 1)];
  const offsets: [number, number][] = [[from, offsetMinutes(format, from)]];
  for (let t = from + DAY_MS; t <= to; t += DAY_MS) {
    const offset = offsetMinutes(format, t);
    if (offset === offsets.at(-1)![1]) continue;
    // The change lies within the last day: find its minute.
    let [lo, hi] = [t - DAY_MS, t];
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offsetMinutes(format, mid) === offset) hi = mid;
      else lo = mid;
    }
    offsets.push([hi, offset]);
  }
  cache.set(timeZone, offsets);
  return offsets;
}
