import { easternDate, isIsoDate } from '../values/load-date.ts';

/**
 * The run deadline (SPEC §8): the day's lists must be published by 08:00 America/New_York. A schedule
 * runs the check at the deadline; the check only looks at the publication object, so a day counts as
 * on time exactly when readers can see it.
 */
export interface RunDeadlineCheck {
  loadDate: string;
  published: boolean;
  /** Value of the RunLate metric: 1 late, 0 on time. */
  runLate: 0 | 1;
}

/** The date checked: the one requested (a manual check of another day), or today's Eastern date at `now`. */
export function deadlineLoadDate(now: Date, requested?: string): string {
  if (requested === undefined) return easternDate(now);
  if (!isIsoDate(requested)) throw new Error(`run deadline check: date ${JSON.stringify(requested)} is not a calendar date YYYY-MM-DD`);
  return requested;
}

export function assessRunDeadline(loadDate: string, published: boolean): RunDeadlineCheck {
  return { loadDate, published, runLate: published ? 0 : 1 };
}
