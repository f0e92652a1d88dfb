import { seededHash } from './ab-test.ts';
import type { CustomerDecision, SelectedContact, SuppressionType } from './decision.ts';
import type { CustomerFacts } from './facts.ts';
import type { CampaignConfig, Channel, Purpose } from './schema.ts';

/**
 * The engine's decisions as the three flat row kinds the shard Lambda writes and Finalize reads
 * (docs/finalize.md): one `lists` row per assignment, one `contacts` row per selected contact, one
 * `suppressions` row per customer-level suppression and per dropped contact (type `CONTACT`).
 */

export interface DecisionListRow {
  load_date: string;
  set_name: string;
  list_name: string;
  payoffuid: string;
  account_number: string;
  suppression_flag: boolean;
  loan_tape_asofdate: string | null;
  channel: Channel;
  purpose: Purpose;
  ab_group: 'A' | 'B' | null;
  run_id: string;
  /** SPEC §7 `calls_allowed_today`: what the frequency caps leave the account today (ListAssignment). */
  calls_allowed_today: number | null;
  /** The address's state: list shaping's census quotas count by it. */
  state: string | null;
  /** Lists with a `target_size` only: the seeded tie order of list shaping, in [0, 2^32); else null. */
  shaping_order: number | null;
}

export type DecisionContactRow = { load_date: string; set_name: string; list_name: string; payoffuid: string } & SelectedContact;

export interface DecisionSuppressionRow {
  load_date: string;
  suppression_type: SuppressionType | 'CONTACT';
  suppression_reason: string;
  payoffuid: string;
  set_name: string;
  list_name: string;
  /** The dropped contact's value; null for customer-level suppressions. */
  contact_value: string | null;
}

/** Receives the rows of one customer, in decision order. */
export interface DecisionRowSink {
  list(row: DecisionListRow): void;
  contact(row: DecisionContactRow): void;
  suppression(row: DecisionSuppressionRow): void;
}

export interface DecisionRunContext {
  loadDate: string;
  runId: string;
}

export type DecisionRowWriter = (decision: CustomerDecision, facts: CustomerFacts, sink: DecisionRowSink) => void;

/**
 * Builds the row writer of a run. The shaping order of a list with a `target_size` is seeded by
 * (load date, set, list), so a re-run of a date orders its customers identically and another day
 * draws afresh.
 */
export function decisionRowWriter(config: CampaignConfig, run: DecisionRunContext): DecisionRowWriter {
  const shapingOrders = new Map<string, Map<string, (payoffuid: string) => number>>();
  for (const set of config.sets) {
    const lists = new Map<string, (payoffuid: string) => number>();
    for (const list of set.lists) {
      if (list.target_size !== undefined) lists.set(list.name, seededHash(shapingSeed(run.loadDate, set.name, list.name)));
    }
    shapingOrders.set(set.name, lists);
  }
  const { loadDate, runId } = run;

  return (decision, facts, sink) => {
    const { payoffuid } = decision;
    for (const assignment of decision.assignments) {
      const { set_name, list_name } = assignment;
      const shapingOrder = shapingOrders.get(set_name)?.get(list_name);
      sink.list({
        load_date: loadDate,
        set_name,
        list_name,
        payoffuid,
        account_number: decision.account_number,
        suppression_flag: assignment.suppressed,
        loan_tape_asofdate: facts.loan.loan_tape_asofdate,
        channel: assignment.channel,
        purpose: assignment.purpose,
        ab_group: assignment.ab_group,
        run_id: runId,
        calls_allowed_today: assignment.calls_allowed_today,
        state: facts.customer.state,
        shaping_order: shapingOrder ? shapingOrder(payoffuid) : null,
      });
      for (const contact of assignment.contacts) {
        sink.contact({
          load_date: loadDate,
          set_name,
          list_name,
          payoffuid,
          related_party_type: contact.related_party_type,
          contact_type: contact.contact_type,
          contact_value: contact.contact_value,
          contact_rank: contact.contact_rank,
          timezone: contact.timezone,
          window_start_utc: contact.window_start_utc,
          window_end_utc: contact.window_end_utc,
        });
      }
      for (const suppression of assignment.suppressions) {
        sink.suppression({
          load_date: loadDate,
          suppression_type: suppression.type,
          suppression_reason: suppression.reason,
          payoffuid,
          set_name,
          list_name,
          contact_value: null,
        });
      }
      for (const dropped of assignment.dropped) {
        sink.suppression({
          load_date: loadDate,
          suppression_type: 'CONTACT',
          suppression_reason: dropped.reason,
          payoffuid,
          set_name,
          list_name,
          contact_value: dropped.contact_value,
        });
      }
    }
  };
}

/** The seed of a list's shaping order; the NUL separators keep (set, list) pairs apart whatever their names. */
export function shapingSeed(loadDate: string, setName: string, listName: string): string {
  return `list_shaping\u0000${loadDate}\u0000${setName}\u0000${listName}`;
}

/** The three decision tables, each `<decisions prefix><table>/shard=SSSS/part-00000.jsonl.gz` (decisionObjectKey of domain/run/run-layout.ts). */
export const DECISION_TABLES = ['lists', 'contacts', 'suppressions'] as const;
export type DecisionTable = (typeof DECISION_TABLES)[number];
