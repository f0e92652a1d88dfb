import { dailyInputKeys } from './daily-inputs.ts';
import { LOAN_TAPE_COLUMNS } from './loan-tape.ts';

/**
 * The §3.2 feeds (docs/feeds.md) as both SQL engines expose them for one load date: the view name and
 * the view's text columns. CSV feeds are read by position, so `columns` is also their header row, in
 * order; the dispositions view adds `attempt_date` (the `date=` folder), the custom-fields view holds the
 * record's `account_number` and its `fields` object as JSON text.
 */
export const dailyFeeds = {
  loan_tape: { view: 'loan_tape_raw', columns: LOAN_TAPE_COLUMNS },
  contacts: { view: 'contacts_raw', columns: ['payoffuid', 'related_party_type', 'contact_type', 'contact_value', 'created_at'] },
  dispositions: {
    view: 'dispositions_raw',
    columns: ['payoffuid', 'account_number', 'channel', 'contact_value', 'attempted_at', 'disposition', 'is_conversation', 'purpose'],
  },
  suppressions: { view: 'suppressions_raw', columns: ['scope', 'set_name', 'list_name', 'key_type', 'key', 'reason', 'start_date', 'end_date'] },
  custom_fields: { view: 'custom_fields_raw', columns: ['account_number', 'fields_json'] },
  contact_rules: {
    view: 'contact_rules_raw',
    columns: [
      'payoffuid',
      'cease_and_desist',
      'bankruptcy',
      'suppress_phone',
      'suppress_text',
      'suppress_letter',
      'suppress_email',
      'rule_start_date',
      'rule_end_date',
    ],
  },
  /** The view adds `request_date` (the `date=` folder). */
  payment_requests: { view: 'payment_requests_raw', columns: ['payoffuid', 'request_type', 'effective_date', 'status', 'submitted_at'] },
  /** One reference file, `reference/zip_suppressions.csv.gz` (not dated: the newest delivery is the register). */
  zip_suppressions: { view: 'zip_suppressions_raw', columns: ['zip', 'reason', 'start_date', 'end_date'] },
} as const satisfies Record<string, { view: string; columns: readonly string[] }>;

export type DailyFeed = keyof typeof dailyFeeds;

export const DAILY_FEEDS = Object.keys(dailyFeeds) as DailyFeed[];

/** The ZIP suppression register: one file of the reference folder (docs/feeds.md). */
export const ZIP_SUPPRESSIONS_KEY = 'reference/zip_suppressions.csv.gz';

/** The landing-zone folder of a feed (`<folder>/…`): its name, but `reference` for the ZIP register. */
export function feedFolder(feed: DailyFeed): string {
  return feed === 'zip_suppressions' ? 'reference' : feed;
}

/**
 * The landing-zone keys a run on `loadDate` reads (daily-inputs.ts), by feed, ascending. Other files are
 * ignored: another extension, or a name starting with `.` (a file being written, docs/feeds.md).
 */
export function dailyFeedFiles(keys: readonly string[], loadDate: string): Record<DailyFeed, string[]> {
  const files = Object.fromEntries(DAILY_FEEDS.map((feed) => [feed, [] as string[]])) as Record<DailyFeed, string[]>;
  for (const key of [...dailyInputKeys(keys, loadDate)].sort()) {
    const folder = key.slice(0, key.indexOf('/'));
    const feed = (folder === 'reference' ? (key === ZIP_SUPPRESSIONS_KEY ? 'zip_suppressions' : 'none') : folder) as DailyFeed;
    const name = key.slice(key.lastIndexOf('/') + 1);
    if (feed in files && !name.startsWith('.') && name.endsWith(feed === 'custom_fields' ? '.jsonl.gz' : '.csv.gz')) files[feed].push(key);
  }
  return files;
}
