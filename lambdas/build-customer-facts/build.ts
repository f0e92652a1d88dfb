import type { QualityGate } from '../../adapters/quality-gates.ts';
import type { SqlEngine } from '../../adapters/sql-engine.ts';
import { addDays } from '../../domain/campaigns/dates.ts';
import type { DailyFeed } from '../../domain/daily-feeds.ts';
import { DISPOSITION_HISTORY_DAYS } from '../../domain/daily-inputs.ts';
import { runLayout } from '../../domain/run-layout.ts';
import { loadSql, sqlDate, sqlInteger, type SqlLiteral } from '../../sql/sql-files.ts';
import { consentTables, partitionColumn as consentPartitionColumn } from '../consent-transform/transform.ts';

/** Customers per shard: the shard count is ceil(customers / this), at least 1. */
export const CUSTOMERS_PER_SHARD = 50_000;

/** The three flat tables of the shard files, each under `<facts prefix><table>/shard=SSSS/`. */
export const factsTables = ['customers', 'contacts', 'suppressions'] as const;
export type FactsTable = (typeof factsTables)[number];

/** The partition column of the shard files: the shard number, 4 digits. */
export const shardColumn = 'shard';

/** Run-scoped tables, in the order they are built (each reads the ones before it). */
const transientSteps = ['facts_loans', 'facts_dispositions', 'facts_outcomes', 'facts_suppressions', 'facts_custom_fields', 'facts_contacts'] as const;

export interface FactsManifestItem {
  shard: number;
  /** `runs/load_date=D/attempt=A/facts/`; the shard's files are under `<prefix><table>/shard=SSSS/`. */
  prefix: string;
}

export interface BuildCustomerFactsResult {
  loadDate: string;
  customers: number;
  shards: number;
  manifest: FactsManifestItem[];
  /** Files read per feed. */
  inputs: Record<DailyFeed, number>;
  /** What was read, kept and left out, by feed and detail (facts_summary.sql; docs/customer-facts.md). */
  counts: Record<string, Record<string, number>>;
}

/** Entries named in the error, at most; the count is always given. */
const NAMED_ERRORS = 20;

async function refuseUnusableSuppressions(engine: SqlEngine, loadDate: string): Promise<void> {
  const errors = await engine.query<{ source_file: string; source_line: number | null; reject_reason: string }>(
    await loadSql('facts/facts_suppression_errors.sql'),
  );
  if (errors.length === 0) return;
  const named = errors.slice(0, NAMED_ERRORS).map(({ source_file: file, source_line: line, reject_reason: reason }) =>
    `${file} ${line === null ? '(line unknown)' : `line ${line}`}: ${reason}`);
  throw new Error(
    `customer facts for ${loadDate}: ${errors.length} suppression entr${errors.length === 1 ? 'y' : 'ies'} cannot be applied ` +
      `(a scope, key type, set or list that cannot be read; the run stops rather than contact a suppressed customer): ` +
      `${named.join('; ')}${errors.length > NAMED_ERRORS ? `; and ${errors.length - NAMED_ERRORS} more` : ''}`,
  );
}

export function shardCount(customers: number): number {
  return Math.max(1, Math.ceil(customers / CUSTOMERS_PER_SHARD));
}

/** Step log: name, rows (or -1 when not counted) and duration; no row contents. */
export type FactsStepLog = (step: string, rows: number, milliseconds: number) => void;

/**
 * Builds the customer facts of `loadDate` (docs/customer-facts.md): registers the day's feeds, runs the
 * facts SQL as run-scoped tables, and unloads the three shard tables as gzip JSON Lines under
 * `runs/load_date=D/attempt=A/facts/` of the lake, replacing whatever an earlier try of this attempt left.
 * Needs the gold phone_consent partition of D (the run's consent transform writes it).
 */
export async function buildCustomerFacts(
  engine: SqlEngine,
  options: { loadDate: string; attempt: string; lakeBucket: string; log?: FactsStepLog; qualityGate?: QualityGate },
): Promise<BuildCustomerFactsResult> {
  const { loadDate, attempt, lakeBucket } = options;
  const log = options.log ?? (() => {});
  const timed = async <T>(step: string, work: () => Promise<T>, rows: (result: T) => number = () => -1): Promise<T> => {
    const started = performance.now();
    const result = await work();
    log(step, rows(result), Math.round(performance.now() - started));
    return result;
  };

  const goldDates = await engine.partitionValues(consentTables.gold, consentPartitionColumn);
  if (!goldDates.includes(loadDate)) {
    throw new Error(`customer facts for ${loadDate}: no ${consentTables.gold} partition ${consentPartitionColumn}=${loadDate}; the consent transform of the run writes it`);
  }
  const files = await timed('register_feeds', () => engine.registerFeeds(loadDate));
  if (files.loan_tape.length === 0) throw new Error(`customer facts for ${loadDate}: no loan tape file under loan_tape/asof=${loadDate}/`);
  if (files.suppressions.length === 0) {
    throw new Error(`customer facts for ${loadDate}: no suppressions snapshot suppressions/suppressions_YYYYMMDD.csv.gz dated on or before ${loadDate}`);
  }

  const values: Record<string, SqlLiteral> = {
    load_date: sqlDate(loadDate),
    history_start: sqlDate(addDays(loadDate, -(DISPOSITION_HISTORY_DAYS - 1))),
    week_start: sqlDate(addDays(loadDate, -6)),
    previous_date: sqlDate(addDays(loadDate, -1)),
  };
  const rowsOf: Partial<Record<(typeof transientSteps)[number], number>> = {};
  for (const step of transientSteps) {
    rowsOf[step] = await timed(step, async () => engine.createTransient(step, await loadSql(`facts/${step}.sql`, values)), (rows) => rows);
    if (step === 'facts_suppressions') await refuseUnusableSuppressions(engine, loadDate);
  }
  const customers = rowsOf.facts_loans!;
  if (customers === 0) throw new Error(`customer facts for ${loadDate}: the loan tape has no row with a payoffuid`);
  await options.qualityGate?.check('facts');

  const shards = shardCount(customers);
  const prefix = runLayout.factsPrefix(loadDate, attempt);
  for (const table of factsTables) {
    const select = await loadSql(`facts/facts_${table}_shards.sql`, { ...values, shard_count: sqlInteger(shards) });
    await timed(`unload_${table}`, () => engine.unloadJsonLinesPartitioned(select, `s3://${lakeBucket}/${prefix}${table}/`, shardColumn));
  }

  const summary = await timed('summary', async () =>
    engine.query<{ measure: string; detail: string; row_count: number }>(await loadSql('facts/facts_summary.sql', values)),
  );
  const counts: Record<string, Record<string, number>> = {};
  for (const { measure, detail, row_count: rows } of summary) (counts[measure] ??= {})[detail] = rows;

  return {
    loadDate,
    customers,
    shards,
    manifest: Array.from({ length: shards }, (_, shard) => ({ shard, prefix })),
    inputs: Object.fromEntries(Object.entries(files).map(([feed, keys]) => [feed, keys.length])) as Record<DailyFeed, number>,
    counts,
  };
}
