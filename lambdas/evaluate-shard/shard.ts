import { readConfigSnapshot } from '../../adapters/config-snapshot.ts';
import { putGzipJsonLines, readJsonLinesObjects } from '../../adapters/json-lines-objects.ts';
import { readReferenceData, readRuleTable } from '../../config/compliance/data.ts';
import { DECISION_TABLES } from '../../domain/campaigns/decision-rows.ts';
import type { ContactFilter } from '../../domain/campaigns/decision.ts';
import {
  assembleCustomerFacts,
  type AssembledShard,
  type ContactRow,
  type CustomerRow,
  type ListHistoryRow,
  type SuppressionRow,
} from '../../domain/campaigns/facts-assembly.ts';
import { dailyContactFilters } from '../../domain/compliance/filters.ts';
import type { CustomerFacts } from '../../domain/campaigns/facts.ts';
import type { CampaignConfig } from '../../domain/campaigns/schema.ts';
import { decisionObjectKey, factsShardPrefix, runLayout } from '../../domain/run/run-layout.ts';
import type { EvaluateShardOutput } from '../../domain/run/step-outputs.ts';
import { factsTables, type FactsTable } from '../../domain/run/lake-tables.ts';
import { shardEvaluator, type ShardOutput } from './evaluate.ts';

export interface ShardTask {
  runId: string;
  attempt: string;
  loadDate: string;
  shard: number;
  /** The manifest's facts prefix, `runs/load_date=D/attempt=A/facts/`. */
  prefix: string;
  bucket: string;
}

interface CompiledRun {
  config: CampaignConfig;
  evaluate: (customers: readonly CustomerFacts[]) => ShardOutput;
}

/**
 * The run this container last served, compiled: one compilation per container and run. The promise is
 * cached, so invocations overlapping in one process (the local runtime's Map) share it; a failure is not kept.
 */
let compiled: { key: string; run: Promise<CompiledRun> } | undefined;
/** The rule table and reference data never change within a deployment: read once per container. */
let contactFilters: readonly ContactFilter[] | undefined;

/** The keys each facts table's first row must carry: a cheap check that the shard files have the expected layout. */
const expectedKeys: Record<FactsTable, readonly string[]> = {
  customers: Object.keys({
    payoffuid: 1,
    account_number: 1,
    loan_id: 1,
    portfolio: 1,
    loan_status: 1,
    days_past_due: 1,
    amount_due: 1,
    principal_balance: 1,
    origination_date: 1,
    next_payment_due_date: 1,
    charge_off_date: 1,
    recoveries_paid_to_date: 1,
    payment_mode: 1,
    placement_status: 1,
    next_workable_date: 1,
    last_collections_contact_date: 1,
    loan_tape_asofdate: 1,
    first_name: 1,
    last_name: 1,
    address_1: 1,
    address_2: 1,
    city: 1,
    state: 1,
    zip: 1,
    cease_and_desist: 1,
    bankruptcy: 1,
    suppress_phone: 1,
    suppress_text: 1,
    suppress_letter: 1,
    suppress_email: 1,
    pending_payment: 1,
    last_loan_modification_date: 1,
    zip_suppression_reason: 1,
    calls_last_7_days: 1,
    communications_last_7_days: 1,
    attempts_last_7_days: 1,
    communications_last_24h: 1,
    last_conversation_date: 1,
    last_attempt_date: 1,
    load_weekday: 1,
    days_until_next_payment: 1,
    days_since_charge_off: 1,
    custom_fields_json: 1,
    custom_fields_unreadable: 1,
  } satisfies Record<keyof CustomerRow, 1>),
  contacts: Object.keys({
    payoffuid: 1,
    related_party_type: 1,
    contact_type: 1,
    contact_value: 1,
    created_at: 1,
    suppression_reason: 1,
    wrong_number_count_90d: 1,
    disconnected_count_90d: 1,
    can_send_sms: 1,
    opted_out: 1,
    bounced: 1,
    phone_status: 1,
    phone_technology: 1,
    quality_score: 1,
  } satisfies Record<keyof ContactRow, 1>),
  suppressions: Object.keys({ payoffuid: 1, scope: 1, set_name: 1, list_name: 1, reason: 1 } satisfies Record<keyof SuppressionRow, 1>),
  list_history: Object.keys({ payoffuid: 1, name: 1, days: 1 } satisfies Record<keyof ListHistoryRow, 1>),
};

async function compileRun(loadDate: string, attempt: string, runId: string): Promise<CompiledRun> {
  const { config } = await readConfigSnapshot(loadDate, attempt);
  return { config, evaluate: shardEvaluator(config, { loadDate, runId, contactFilters: runContactFilters() }) };
}

/** The drop filters of every run: the facts-based ones, then the compliance filters of the shipped rule table. */
export function runContactFilters(): readonly ContactFilter[] {
  contactFilters ??= dailyContactFilters(readRuleTable(), readReferenceData());
  return contactFilters;
}

/** The shard's facts records; the flat rows they are assembled from are garbage once this returns. */
export async function readShardFacts(bucket: string, prefix: string, shard: number, config: CampaignConfig): Promise<AssembledShard> {
  const [customers, contacts, suppressions, listHistory] = await Promise.all(
    factsTables.map(async (table) => {
      const rows = await readJsonLinesObjects(bucket, factsShardPrefix(prefix, table, shard));
      checkLayout(table, rows[0]);
      return rows;
    }),
  );
  return assembleCustomerFacts(
    {
      customers: customers as CustomerRow[],
      contacts: contacts as ContactRow[],
      suppressions: suppressions as SuppressionRow[],
      list_history: listHistory as ListHistoryRow[],
    },
    config,
  );
}

function checkLayout(table: FactsTable, first: unknown): void {
  if (first === undefined) return;
  const missing = expectedKeys[table].filter((name) => typeof first !== 'object' || first === null || !(name in first));
  if (missing.length > 0) throw new Error(`facts table ${table}: rows lack ${missing.join(', ')} (the shard files do not have the expected layout)`);
}

/**
 * One Distributed Map item: the shard's customer facts → the campaign engine with the compliance filters → the
 * shard's three decision objects, at keys fixed by (attempt, shard), so a retry overwrites exactly its own output.
 * Returns counts only.
 */
export async function evaluateShardTask(task: ShardTask): Promise<EvaluateShardOutput> {
  const { runId, attempt, loadDate, shard, prefix, bucket } = task;
  const factsPrefix = runLayout.factsPrefix(loadDate, attempt);
  if (prefix !== factsPrefix) throw new Error(`shard ${shard}: prefix ${prefix} is not the facts prefix of this attempt, ${factsPrefix}`);
  const key = `${runLayout.configSnapshot(loadDate, attempt)}\u0000${runId}`;
  if (compiled?.key !== key) {
    const entry = { key, run: compileRun(loadDate, attempt, runId) };
    entry.run.catch(() => {
      if (compiled === entry) compiled = undefined;
    });
    compiled = entry;
  }
  const run = await compiled.run;

  const assembled = await readShardFacts(bucket, prefix, shard, run.config);
  const output = run.evaluate(assembled.facts);
  await Promise.all(DECISION_TABLES.map((table) => putGzipJsonLines(bucket, decisionObjectKey(loadDate, attempt, table, shard), output.text[table])));
  return { shard, ...output.counts, assembly: assembled.counts };
}
