import { decisionRowWriter, DECISION_TABLES, type DecisionRowSink, type DecisionTable } from '../../domain/campaigns/decision-rows.ts';
import type { ContactFilter } from '../../domain/campaigns/decision.ts';
import { compileCampaigns } from '../../domain/campaigns/engine.ts';
import type { CustomerFacts } from '../../domain/campaigns/facts.ts';
import type { CampaignConfig } from '../../domain/campaigns/schema.ts';

/** Counts a shard returns to the state machine: no row contents, so no PII. */
export interface ShardCounts {
  customers: number;
  rows: Record<DecisionTable, number>;
  /** Per list, keyed `SET/LIST`. */
  lists: Record<string, { assigned: number; suppressed: number; contacts: number }>;
  /** Customer-level suppressions and dropped contacts, by reason, over all lists. */
  reasons: Record<string, number>;
}

export interface ShardOutput {
  /** JSON Lines text of each decision table (one object per line, each line ending with `\n`). */
  text: Record<DecisionTable, string>;
  counts: ShardCounts;
}

export interface ShardRun {
  loadDate: string;
  runId: string;
  /** The whole drop pipeline: FACT_CONTACT_FILTERS followed by the compliance filters. */
  contactFilters: readonly ContactFilter[];
}

/**
 * The configuration compiled once (engine and row writer); `evaluate` turns one shard's customers into
 * its decision rows. Deterministic: the same facts give the same text, whatever the order of calls.
 */
export function shardEvaluator(config: CampaignConfig, run: ShardRun): (customers: readonly CustomerFacts[]) => ShardOutput {
  const engine = compileCampaigns(config, { loadDate: run.loadDate, contactFilters: run.contactFilters });
  const writeRows = decisionRowWriter(config, run);

  return (customers) => {
    const lines: Record<DecisionTable, string[]> = { lists: [], contacts: [], suppressions: [] };
    const lists: ShardCounts['lists'] = {};
    const reasons: ShardCounts['reasons'] = {};
    const listCounts = (set: string, list: string) => (lists[`${set}/${list}`] ??= { assigned: 0, suppressed: 0, contacts: 0 });
    const sink: DecisionRowSink = {
      list(row) {
        lines.lists.push(JSON.stringify(row));
        const counts = listCounts(row.set_name, row.list_name);
        counts.assigned += 1;
        if (row.suppression_flag) counts.suppressed += 1;
      },
      contact(row) {
        lines.contacts.push(JSON.stringify(row));
        listCounts(row.set_name, row.list_name).contacts += 1;
      },
      suppression(row) {
        lines.suppressions.push(JSON.stringify(row));
        reasons[row.suppression_reason] = (reasons[row.suppression_reason] ?? 0) + 1;
      },
    };
    for (const customer of customers) writeRows(engine.evaluate(customer), customer, sink);

    const text = {} as Record<DecisionTable, string>;
    const rows = {} as Record<DecisionTable, number>;
    for (const table of DECISION_TABLES) {
      text[table] = lines[table].length === 0 ? '' : `${lines[table].join('\n')}\n`;
      rows[table] = lines[table].length;
    }
    return { text, counts: { customers: customers.length, rows, lists, reasons } };
  };
}
