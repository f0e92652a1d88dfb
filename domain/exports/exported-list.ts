import { isListActiveOn } from '../campaigns/list-activity.ts';
import type { CampaignConfig, Channel, ExportTemplate } from '../campaigns/schema.ts';
import { listTemplate } from './template.ts';

/**
 * A list of the run's configuration snapshot that gets a file (every list active on the load date; a held one is published but gets no file): the record
 * ExportLists writes a file for and the Genesys push uploads to its contact list.
 */
export interface ExportedList {
  set_name: string;
  list_name: string;
  channel: Channel;
  genesys_list_id: string | null;
  /** The columns of its file (the list's `export.template`, else its channel's built-in layout). */
  template: ExportTemplate;
  /** Published, never exported (`export.held`, e.g. §5.1's `Charge off`): no file, no push. */
  held: boolean;
  /** The partner the list's file is delivered to over SFTP; null: none. */
  delivery: string | null;
}

/** The lists of `config` active on `loadDate`, in configuration order, with their channel, Genesys contact list id and how they are exported. */
export function exportedLists(config: CampaignConfig, loadDate: string): ExportedList[] {
  return config.sets.flatMap((set) =>
    set.lists
      .filter((list) => isListActiveOn(list, loadDate))
      .map((list) => ({
        set_name: set.name,
        list_name: list.name,
        channel: list.channel ?? set.channel,
        genesys_list_id: list.genesys_list_id ?? null,
        template: listTemplate(config, list, list.channel ?? set.channel),
        held: list.export.held,
        delivery: list.export.delivery ?? null,
      })),
  );
}
