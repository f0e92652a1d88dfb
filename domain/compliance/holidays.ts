import Holidays from 'date-holidays';

/**
 * Public holidays of a jurisdiction (`US`, or `US-XX` for a state), from the `date-holidays`
 * package: the days it types `public`, observed substitutes included (e.g. Independence Day
 * observed on Friday 2026-07-03). Dates are calendar dates in the jurisdiction.
 */

const byYear = new Map<string, ReadonlySet<string>>();

/** True when `date-holidays` has a calendar for the jurisdiction (it silently falls back to the country's otherwise). */
export function hasHolidayCalendar(jurisdiction: string): boolean {
  const [country, state] = jurisdiction.split('-') as [string, string | undefined];
  if (country !== 'US') return false;
  return state === undefined || Object.hasOwn(new Holidays().getStates('US') ?? {}, state);
}

export function isPublicHoliday(jurisdiction: string, date: string): boolean {
  const year = Number(date.slice(0, 4));
  const key = `${jurisdiction}:${year}`;
  let dates = byYear.get(key);
  if (dates === undefined) {
    if (!hasHolidayCalendar(jurisdiction)) throw new Error(`no holiday calendar for jurisdiction ${jurisdiction}`);
    const [country, state] = jurisdiction.split('-') as [string, string | undefined];
    const calendar = state === undefined ? new Holidays(country) : new Holidays(country, state);
    dates = new Set(
      calendar
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    byYear.set(key, dates);
  }
  return dates.has(date);
}
