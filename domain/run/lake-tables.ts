/**
 * The lake tables more than one step reads (their names are contracts between the steps, the CDK grants and the
 * tests): the consent tables the consent transform writes (BuildCustomerFacts reads gold), the customer-facts shard tables BuildCustomerFacts writes and EvaluateShard reads, the permanent opt-out
 * register the facts step merges and LoadDialGate reads, and the published §7 tables Finalize writes and
 * ExportLists, LoadDialGate and the push read.
 */

/** The customer-facts tables, each under `runs/…/facts/<table>/shard=SSSS/`. */
export const factsTables = ['customers', 'contacts', 'suppressions', 'list_history'] as const;
export type FactsTable = (typeof factsTables)[number];

/** Lake tables written by the consent transform, each partitioned by `as_of_date` (consentPartitionColumn). */
export const consentTables = {
  gold: 'phone_consent',
  rejects: 'phone_consent_rejects',
  changes: 'phone_consent_changes',
} as const;

/** Lake tables that carry the consent state from one run to the next (docs/consent-sql.md "Carried state"). */
export const consentStateTables = {
  state: 'consent_state',
  files: 'consent_files',
} as const;

export const consentPartitionColumn = 'as_of_date';

/** The permanent opt-out register (docs/optout-register.md), one partition per as-of date. */
export const optOutRegisterTable = 'optout_register';
export const optOutRegisterPartitionColumn = 'as_of_date';

/** The §7 tables: each a view over `<table>_attempts` (partitioned by load_date, attempt) that keeps the published attempt of every date. */
export const publishedTables = ['rpt_outbound_lists', 'rpt_outbound_list_contacts', 'rpt_outbound_lists_suppression'] as const;
export type PublishedTable = (typeof publishedTables)[number];

export function attemptsTable(table: PublishedTable): string {
  return `${table}_attempts`;
}
