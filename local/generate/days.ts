/** Business dates as whole days since 1970-01-01 (UTC), the generator's time axis. */
const MS_PER_DAY = 86_400_000;

/** Parses `YYYY-MM-DD` (a real calendar date) into a day number. */
export function parseIsoDate(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || new Date(ms).toISOString().slice(0, 10) !== text) {
    throw new Error(`invalid date "${text}": expected a calendar date YYYY-MM-DD`);
  }
  return ms / MS_PER_DAY;
}

export function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `YYYYMMDD`, the form of dates in feed file names and export timestamps. */
export function compactDate(day: number): string {
  return isoDate(day).replaceAll('-', '');
}
