import { weekdayName } from './dates.ts';
import type { CampaignList } from './schema.ts';

/** A list is tried on a load date when it is `active` and, if it names `active_weekdays`, the date falls on one of them. */
export function isListActiveOn(list: Pick<CampaignList, 'active' | 'active_weekdays'>, loadDate: string): boolean {
  return list.active && (list.active_weekdays === undefined || list.active_weekdays.includes(weekdayName(loadDate)));
}
