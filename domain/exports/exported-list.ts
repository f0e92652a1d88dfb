import { isListActiveOn } from '../campaigns/list-activity.ts';
import type { CampaignConfig, Channel } from '../campaigns/schema.ts';

/**
 * A list of the run's configuration snapshot that gets a file (every list active on the load date): the record
 * ExportLists writes a file for and the Genesys push uploads to its contact list.
 */
export interface ExportedList {
  set_name: string;
  list_name: string;
  channel: Channel;
  genesys_list_id: string | null;
}

/** The lists of `config` active on `loadDate`, in configuration order, with their channel and Genesys contact list id. */
export function exportedLists(config: CampaignConfig, loadDate: string): ExportedList[] {
  return config.sets.flatMap((set) =>
    set.lists
      .filter((list) => isListActiveOn(list, loadDate))
      .map((list) => ({
        set_name: set.name,
        list_name: list.name,
        channel: list.channel ?? set.channel,
        genesys_list_id: list.genesys_list_id ?? null,
      })),
  );
}
