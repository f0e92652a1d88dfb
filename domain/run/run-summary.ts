import { z } from 'zod';
import type {
  ConsentLoadOutput,
  ConsentTransformOutput,
  CustomerFactsOutput,
  DeliverExportsOutput,
  ExportListsOutput,
  FinalizeOutput,
  PrepareRunOutput,
} from './step-outputs.ts';

const count = z.number().int().nonnegative();
const counts = z.record(z.string(), count);

export const listSummarySchema = z.object({
  set_name: z.string(),
  list_name: z.string(),
  assigned: count,
  suppressed: count,
  /** Customer-level suppressions by reason (a customer counts once under each reason that applied). */
  suppressedByReason: counts,
  /** Contacts dropped by reason. */
  contactDrops: counts,
  contacts: count,
  /** Customers in the list's export file; null for lists without one. */
  exported: count.nullable(),
});

/** The run summary (§7): what each step did, written as JSON and printed by the CLI; Report's result. */
export const runSummarySchema = z.object({
  runId: z.string(),
  loadDate: z.string(),
  steps: z.string(),
  consent: z.object({
    /** Consent exports dated on or before the load date. */
    files: count,
    /** Of those, the ones this run read: the rest were in the state it carried from `carriedFromDate`. */
    filesRead: count,
    carriedFromDate: z.string().nullable(),
    /** Why a carried state was not used (every export read again). */
    rebuildReason: z.string().nullable(),
    /** The consent table's completed load the changes were computed against (null: none); for a backfill, the gold before it. */
    previousAsOfDate: z.string().nullable(),
    bronzeRows: count,
    goldRows: count,
    rejectedRows: count,
    rejectsByReason: counts,
    changes: z.object({ new: count, changed: count, gone: count }),
    fullLoad: z.boolean(),
    writtenToDynamoDb: count,
    deletedFromDynamoDb: count,
    /** Why the consent table was left as it was (a backfill of a date older than its load); null = loaded. */
    loadSkipped: z.string().nullable(),
  }),
  /** Absent for `--steps consent`. */
  lists: z
    .object({
      customers: count,
      shards: count,
      /**
       * Per §3.2 feed: the rows not used (quarantined), and what the customer-facts step counted by detail
       * (docs/customer-facts.md, "Counts").
       */
      feeds: z.record(z.string(), z.object({ setAside: count, counts })),
      /** One entry per list of the configuration snapshot, in the order Finalize reports them. */
      perList: z.array(listSummarySchema),
    })
    .optional(),
  /** The files delivered to partners over SFTP (DeliverExports; docs/exports.md "Partner delivery"); absent when the step did not run. */
  deliveries: z.array(z.object({ partner: z.string(), file: z.string(), bytes: count, via: z.enum(['sftp', 'connector']) })).optional(),
  durationsMs: z.record(z.string(), z.number().nonnegative()).optional(),
});

export type RunSummary = z.infer<typeof runSummarySchema>;
export type ListSummary = z.infer<typeof listSummarySchema>;

/** What the list steps report (domain/run/step-outputs.ts), as far as the summary reads it. */
export interface ListsResults {
  facts: Pick<CustomerFactsOutput, 'customers' | 'shards' | 'counts' | 'setAside'>;
  finalize: Pick<FinalizeOutput, 'lists'>;
  exports: { files: Pick<ExportListsOutput['files'][number], 'set_name' | 'list_name' | 'rows'>[] };
}

export function buildRunSummary(input: {
  run: Pick<PrepareRunOutput, 'runId' | 'loadDate' | 'steps' | 'fullLoad' | 'consentFiles'>;
  consentTransform: Omit<ConsentTransformOutput, 'changes'>;
  consentLoad: ConsentLoadOutput;
  lists?: ListsResults;
  deliveries?: Pick<DeliverExportsOutput, 'delivered'>;
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
      feeds: Object.fromEntries(Object.entries(facts.setAside).map(([feed, setAside]) => [feed, { setAside, counts: facts.counts[feed] ?? {} }])),
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
  if (input.deliveries) summary.deliveries = input.deliveries.delivered.map(({ partner, file, bytes, via }) => ({ partner, file, bytes, via }));
  return summary;
}
