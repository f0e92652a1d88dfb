/**
 * Wall-clock times in IANA time zones, DST-correct, from the runtime's time-zone database (ICU).
 * Minutes of the day count from local midnight; 24:00 is the next midnight.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const known = new Map<string, boolean>();

/** True when the runtime knows the IANA zone. */
export function isKnownTimeZone(zone: string): boolean {
  let result = known.get(zone);
  if (result === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      result = true;
    } catch {
      result = false;
    }
    known.set(zone, result);
  }
  return result;
}

/** Local wall clock minus UTC, in milliseconds, in `zone` at `instant`. */
function offsetAt(zone: string, instant: number): number {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  const part: Record<string, number> = {};
  for (const { type, value } of formatter.formatToParts(instant)) part[type] = Number(value);
  const wall = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The UTC instant (epoch milliseconds) at which the clocks of `zone` show `minuteOfDay` on the ISO
 * `date`. A time that occurs twice (clocks set back) is its first occurrence; a time skipped by
 * clocks set forward is read with the offset before the change, i.e. it lands just after the gap.
 */
export function localTimeToUtc(date: string, minuteOfDay: number, zone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minuteOfDay * 60_000;
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  const early = wall - before;
  const late = wall - after;
  const earlyValid = offsetAt(zone, early) === before;
  const lateValid = offsetAt(zone, late) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (lateValid) return late;
  return early;
}

/** `instant` as the clocks of `zone` show it, ISO-8601 to the second with its UTC offset: `2026-11-19T14:05:33-05:00`. */
export function localDateTime(instant: number, zone: string): string {
  const offset = offsetAt(zone, instant);
  const wall = new Date(Math.floor(instant / 1000) * 1000 + offset).toISOString().slice(0, 19);
  const minutes = Math.abs(offset) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  return `${wall}${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday: the weekday of a calendar date, the same in every zone. */
export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** `HH:MM` (00:00–24:00) as minutes of the day, or null when malformed. */
export function parseClockTime(text: string): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (match === null) return null;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minutes <= 24 * 60 ? minutes : null;
}
