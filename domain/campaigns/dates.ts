import { weekdayOf } from '../compliance/local-time.ts';
import { WEEKDAYS, type Weekday } from './schema.ts';

const DAY_MS = 86_400_000;

/** The ISO date `days` calendar days after `isoDate` (negative: before). Pure calendar arithmetic, no time zone. */
export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The English name of the weekday of an ISO date (`derived.load_weekday`, a list's `active_weekdays`). */
export function weekdayName(isoDate: string): Weekday {
  // getUTCDay: 0 = Sunday; WEEKDAYS starts on Monday.
  return WEEKDAYS[(weekdayOf(isoDate) + 6) % 7]!;
}
