/**
 * The lake tables more than one step reads (their names are contracts between the steps, the CDK grants and the
 * tests): the customer-facts shard tables BuildCustomerFacts writes and EvaluateShard reads, the permanent opt-out
 * register the facts step merges and LoadDialGate reads, and the published §7 tables Finalize writes and
 * ExportLists, LoadDialGate and the push read.
 */

/** The customer-facts tables, each under `runs/…/facts/<table>/shard=SSSS/`. */
export const factsTables = ['customers', 'contacts', 'suppressions'] as const;
export type FactsTable = (typeof factsTables)[number];

/** The permanent opt-out register (docs/optout-register.md), one partition per as-of date. */
export const optOutRegisterTable = 'optout_register';
export const optOutRegisterPartitionColumn = 'as_of_date';

/** The §7 tables: each a view over `<table>_attempts` (partitioned by load_date, attempt) that keeps the published attempt of every date. */
export const publishedTables = ['rpt_outbound_lists', 'rpt_outbound_list_contacts', 'rpt_outbound_lists_suppression'] as const;
export type PublishedTable = (typeof publishedTables)[number];

export function attemptsTable(table: PublishedTable): string {
  return `${table}_attempts`;
}
