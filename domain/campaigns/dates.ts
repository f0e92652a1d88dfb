const DAY_MS = 86_400_000;

/** The ISO date `days` calendar days after `isoDate` (negative: before). Pure calendar arithmetic, no time zone. */
export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
