import { z } from 'zod';
import { CHANNELS } from '../campaigns/schema.ts';
import { DAILY_FEEDS } from '../feeds/daily-feeds.ts';
import { isIsoDate } from '../values/load-date.ts';

/**
 * What each step of the daily run returns (its Step Functions result, statemachines/daily-run.asl.json), declared
 * once: the step's code returns `z.input` of its schema, its handler checks the result against it (defineStep), and
 * a later step's input is built from it (Finalize from EvaluateShard's, Report from all of them).
 */
const count = z.number().int().nonnegative();
const counts = z.record(z.string(), count);
const isoDate = z.string().refine(isIsoDate, 'expected a calendar date YYYY-MM-DD');

export const prepareRunOutput = z.object({
  /** `${loadDate}-${hash of the configuration snapshot and the input file names}`: equal inputs, equal id, identical rows. */
  runId: z.string().min(1),
  /** The execution name: unique per execution, it keeps a re-run's files apart until the day is published. */
  attempt: z.string().min(1),
  loadDate: isoDate,
  steps: z.enum(['consent', 'all']),
  fullLoad: z.boolean(),
  consentFiles: count,
  /** Lake key of the configuration snapshot (steps `all` only). */
  configSnapshot: z.string().nullable(),
  /** When the execution started (null when invoked without it, outside the state machine). */
  executionStartTime: z.iso.datetime({ offset: true }).nullable(),
});

export const consentTransformOutput = z.object({
  asOfDate: isoDate,
  /** The state partition this run started from (only the exports delivered since were read); null = every export read. */
  carriedFromDate: isoDate.nullable(),
  /** Why the carried state could not be used, when there was one. */
  rebuildReason: z.string().nullable(),
  /** Exports read by this run. */
  filesRead: count,
  /**
   * The gold partition the changes are against: the consent table's last completed load (null: none, every row
   * is `new`); for a backfill, the newest gold partition before `asOfDate`.
   */
  previousAsOfDate: isoDate.nullable(),
  /** Why the consent load must not apply this run's changes (a backfill); null = load them. */
  loadSkipped: z.string().min(1).nullable(),
  rows: z.object({ bronze: count, gold: count, rejects: count, changes: z.object({ new: count, changed: count, gone: count }) }),
  rejectsByReason: counts,
  /** The ConsentChange JSON Lines (gzip) objects for the consent load, under `prefix`; none for a backfill. */
  changes: z.object({ bucket: z.string().min(1), prefix: z.string().min(1), keys: z.array(z.string().min(1)) }),
});

export const consentLoadOutput = z.object({
  /** Items put (new and changed rows). */
  written: count,
  /** Items deleted (gone rows). */
  deleted: count,
  /** Changes files read. */
  files: count,
  /** Why the table was left as it was (a backfill); null when the changes were loaded. */
  skipped: z.string().nullable(),
});

const feedCounts = z.object(Object.fromEntries(DAILY_FEEDS.map((feed) => [feed, count])) as Record<(typeof DAILY_FEEDS)[number], typeof count>);

export const factsManifestItem = z.object({
  shard: count,
  /** `runs/load_date=D/attempt=A/facts/`; the shard's files are under `<prefix><table>/shard=SSSS/`. */
  prefix: z.string().min(1),
});

export const customerFactsOutput = z.object({
  loadDate: isoDate,
  customers: count,
  shards: count,
  manifest: z.array(factsManifestItem),
  /** Files read per feed. */
  inputs: feedCounts,
  /** What was read, kept and left out, by feed and detail (facts_summary.sql; docs/customer-facts.md). */
  counts: z.record(z.string(), counts),
  /** Rows of each feed not used (quarantined), the sum of its set-aside details; every feed is listed. */
  setAside: feedCounts,
});

export const evaluateShardOutput = z.object({
  shard: count,
  customers: count,
  rows: z.object({ lists: count, contacts: count, suppressions: count }),
  /** Per list, keyed `SET/LIST`. */
  lists: z.record(z.string(), z.object({ assigned: count, suppressed: count, contacts: count })),
  /** Customer-level suppressions and dropped contacts, by reason, over all lists. */
  reasons: counts,
  assembly: z.object({
    /** Values of declared custom fields whose JSON type does not fit the declared data type: unreadable. */
    illTypedCustomFieldValues: count,
    /** Customers with an unreadable custom field (ill-typed, or a record that could not be read): kept off the sets that read it. */
    customersWithUnreadableFields: count,
    /** Keys of the `fields` objects that no custom field of the configuration declares: ignored. */
    undeclaredCustomFieldValues: count,
    /** Records that could not be read (a broken line of the account, or `fields` not a JSON object): every declared field unreadable. */
    invalidCustomFieldRecords: count,
    /** Contact and suppression rows naming a payoffuid that is not a customer of the shard: ignored. */
    orphanContacts: count,
    orphanSuppressions: count,
    /** List-history rows of a customer not in the shard or of an undeclared fact: ignored. */
    orphanListHistory: count,
  }),
});

export const listCounts = z.object({
  set_name: z.string(),
  list_name: z.string(),
  assigned: count,
  suppressed: count,
  contacts: count,
  /** Customer-level suppressions by reason, LIST_CAPACITY included. */
  suppressions: counts,
  /** Dropped contacts by reason. */
  contactDrops: counts,
});

export const finalizeOutput = z.object({
  loadDate: isoDate,
  attempt: z.string().min(1),
  runId: z.string().min(1),
  rows: z.object({ rpt_outbound_lists: count, rpt_outbound_list_contacts: count, rpt_outbound_lists_suppression: count }),
  /** Customers cut by list shaping (LIST_CAPACITY). */
  capacityCuts: count,
  lists: z.array(listCounts),
  /** The trailing volume of the configuration's active lists, for Report's list volume check (domain/run/list-volume.ts). */
  listHistory: z.array(z.object({ set_name: z.string(), list_name: z.string(), days: count, assigned: count })),
});

export const exportListsOutput = z.object({
  bucket: z.string().min(1),
  manifestKey: z.string().min(1),
  files: z.array(
    z.object({
      file: z.string().min(1),
      set_name: z.string(),
      list_name: z.string(),
      channel: z.enum(CHANNELS),
      rows: count,
      contacts_not_exported: count,
      part: z.number().int().positive().nullable(),
    }),
  ),
});

export const deliverExportsOutput = z.object({
  /** Each file delivered to its partner and reconciled there, in manifest order per partner. */
  delivered: z.array(
    z.object({
      partner: z.string().min(1),
      /** The manifest's file, relative to the day's prefix. */
      file: z.string().min(1),
      remotePath: z.string().min(1),
      bytes: count,
      /** The sha256 of the file read back from the partner's server (directly, or retrieved back through the connector). */
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      via: z.enum(['sftp', 'connector']),
    }),
  ),
  /** Why nothing was delivered (no file of the manifest has a delivery); null when something was. */
  nothingToDeliver: z.string().nullable(),
});

export const loadDialGateOutput = z.object({
  loadDate: isoDate,
  windows: count,
  budgets: count,
  /** Numbers newly marked opted out for can_send_sms. */
  optOuts: count,
  /** False for a date older than the day loaded last (a backfill): its items are written, can-call keeps answering for the newer day. */
  markerMoved: z.boolean(),
});

const pushedList = z.object({
  file: z.string(),
  contactListId: z.string(),
  rows: count,
  /** Contacts of yesterday no longer on the list, removed (their callbacks with them). */
  removed: count,
  importedRecords: count,
  /** Uploads posted: 2 when the first one's answer was lost and reconciliation found it had not landed. */
  uploads: count,
});

export const genesysPushResult = z.object({
  pushed: z.array(pushedList),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  dnc: z.object({ dncListId: z.string(), added: count, removed: count }),
});

/** Off (the default) it answers `{ enabled: false }`. */
export const genesysPushOutput = z.union([z.object({ enabled: z.literal(false) }), genesysPushResult.extend({ enabled: z.literal(true) })]);

export const listMismatch = z.object({
  setName: z.string(),
  listName: z.string(),
  contactListId: z.string(),
  exported: count,
  imported: count,
  /** Exported today, not in the contact list. */
  missing: count,
  /** In the contact list, not exported today. */
  extra: count,
});

export const genesysResultsReport = z.object({
  loadDate: isoDate,
  /** The conversations read: their start in this ISO-8601 interval. */
  interval: z.string(),
  /** The landing-zone key written (replaced whole on every pull of the day). */
  dispositionsKey: z.string(),
  conversations: count,
  attempts: count,
  notDialed: count,
  /** Wrap-up code → attempts written as UNMAPPED (add the code to config/genesys-wrap-up-codes.yaml). */
  unmapped: counts,
  notExported: count,
  /** (number, account) opt-outs recorded for numbers put on the DNC list during the day. */
  dncOptOuts: count,
  lists: z.array(z.object({ setName: z.string(), listName: z.string(), contactListId: z.string(), exported: count })),
  mismatches: z.array(listMismatch),
});

export const genesysResultsOutput = z.union([z.object({ enabled: z.literal(false) }), genesysResultsReport.extend({ enabled: z.literal(true) })]);

export type PrepareRunOutput = z.infer<typeof prepareRunOutput>;
export type ConsentTransformOutput = z.infer<typeof consentTransformOutput>;
export type ConsentLoadOutput = z.infer<typeof consentLoadOutput>;
export type FactsManifestItem = z.infer<typeof factsManifestItem>;
export type CustomerFactsOutput = z.infer<typeof customerFactsOutput>;
export type EvaluateShardOutput = z.infer<typeof evaluateShardOutput>;
export type ListCounts = z.infer<typeof listCounts>;
export type FinalizeOutput = z.infer<typeof finalizeOutput>;
export type ExportListsOutput = z.infer<typeof exportListsOutput>;
export type DeliverExportsOutput = z.infer<typeof deliverExportsOutput>;
export type LoadDialGateOutput = z.infer<typeof loadDialGateOutput>;
export type GenesysPushResult = z.infer<typeof genesysPushResult>;
export type ListMismatch = z.infer<typeof listMismatch>;
export type GenesysResultsReport = z.infer<typeof genesysResultsReport>;
