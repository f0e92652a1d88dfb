/** The run summary (§7): what each step did, written as JSON and printed by the CLI. */
export interface ConsentTransformResult {
  asOfDate: string;
  carriedFromDate: string | null;
  rebuildReason: string | null;
  filesRead: number;
  previousAsOfDate: string | null;
  /** Why the consent load leaves the table as it is (a backfill); null/absent = the changes are loaded. */
  loadSkipped?: string | null;
  rows: { bronze: number; gold: number; rejects: number; changes: { new: number; changed: number; gone: number } };
  rejectsByReason: Record<string, number>;
}

export interface ConsentLoadResult {
  written: number;
  deleted: number;
  files: number;
  skipped?: string | null;
}

export interface RunSummary {
  runId: string;
  loadDate: string;
  steps: string;
  consent: {
    /** Consent exports dated on or before the load date. */
    files: number;
    /** Of those, the ones this run read: the rest were in the state it carried from `carriedFromDate`. */
    filesRead: number;
    carriedFromDate: string | null;
    /** Why a carried state was not used (every export read again). */
    rebuildReason: string | null;
    /** The consent table's completed load the changes were computed against (null: none); for a backfill, the gold before it. */
    previousAsOfDate: string | null;
    bronzeRows: number;
    goldRows: number;
    rejectedRows: number;
    rejectsByReason: Record<string, number>;
    changes: { new: number; changed: number; gone: number };
    fullLoad: boolean;
    writtenToDynamoDb: number;
    deletedFromDynamoDb: number;
    /** Why the consent table was left as it was (a backfill of a date older than its load); null = loaded. */
    loadSkipped: string | null;
  };
  /** Absent for `--steps consent`. */
  lists?: {
    customers: number;
    shards: number;
    /**
     * Per §3.2 feed: the rows not used (quarantined), and what the customer-facts step counted by detail
     * (docs/customer-facts.md, "Counts").
     */
    feeds: Record<string, { setAside: number; counts: Record<string, number> }>;
    /** One entry per list of the configuration snapshot, in the order Finalize reports them. */
    perList: ListSummary[];
  };
  durationsMs?: Record<string, number>;
}

export interface ListSummary {
  set_name: string;
  list_name: string;
  assigned: number;
  suppressed: number;
  /** Customer-level suppressions by reason (a customer counts once under each reason that applied). */
  suppressedByReason: Record<string, number>;
  /** Contacts dropped by reason. */
  contactDrops: Record<string, number>;
  contacts: number;
  /** Customers in the list's export file; null for lists without one. */
  exported: number | null;
}

/** Finalize's counts of one list, after list shaping. */
export interface ListCounts {
  set_name: string;
  list_name: string;
  assigned: number;
  suppressed: number;
  contacts: number;
  /** Customer-level suppressions by reason, LIST_CAPACITY included. */
  suppressions: Record<string, number>;
  /** Dropped contacts by reason. */
  contactDrops: Record<string, number>;
}

export interface ListsResults {
  facts: { customers: number; shards: number; counts: Record<string, Record<string, number>>; setAside: Record<string, number> };
  finalize: { lists: ListCounts[] };
  exports: { files: { set_name: string; list_name: string; rows: number }[] };
}

export function buildRunSummary(input: {
  run: { runId: string; loadDate: string; steps: string; fullLoad: boolean; consentFiles: number };
  consentTransform: ConsentTransformResult;
  consentLoad: ConsentLoadResult;
  lists?: ListsResults;
}): RunSummary {
  const { run, consentTransform: transform, consentLoad: load } = input;
  const summary: RunSummary = {
    runId: run.runId,
    loadDate: run.loadDate,
    steps: run.steps,
    consent: {
      files: run.consentFiles,
      filesRead: transform.filesRead,
      carriedFromDate: transform.carriedFromDate,
      rebuildReason: transform.rebuildReason,
      previousAsOfDate: transform.previousAsOfDate,
      bronzeRows: transform.rows.bronze,
      goldRows: transform.rows.gold,
      rejectedRows: transform.rows.rejects,
      rejectsByReason: transform.rejectsByReason,
      changes: transform.rows.changes,
      fullLoad: (load.skipped ?? null) === null && (run.fullLoad || transform.previousAsOfDate === null),
      writtenToDynamoDb: load.written,
      deletedFromDynamoDb: load.deleted,
      loadSkipped: load.skipped ?? null,
    },
  };
  if (input.lists) {
    const { facts, finalize, exports } = input.lists;
    const exported = new Map(exports.files.map((file) => [`${file.set_name}/${file.list_name}`, file.rows]));
    summary.lists = {
      customers: facts.customers,
      shards: facts.shards,
      feeds: Object.fromEntries(
        Object.entries(facts.setAside).map(([feed, setAside]) => [feed, { setAside, counts: facts.counts[feed] ?? {} }]),
      ),
      perList: finalize.lists.map((list) => ({
        set_name: list.set_name,
        list_name: list.list_name,
        assigned: list.assigned,
        suppressed: list.suppressed,
        suppressedByReason: list.suppressions,
        contactDrops: list.contactDrops,
        contacts: list.contacts,
        exported: exported.get(`${list.set_name}/${list.list_name}`) ?? null,
      })),
    };
  }
  return summary;
}

/** Key of a run's summary in the lake bucket. */
export function runSummaryKey(runsPrefix: string, loadDate: string, runId: string): string {
  return `${runsPrefix}load_date=${loadDate}/run_id=${runId}/summary.json`;
}
