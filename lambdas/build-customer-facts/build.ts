import type { QualityGate } from '../../adapters/quality-gates.ts';
import type { SqlEngine } from '../../adapters/sql-engine.ts';
import { addDays } from '../../domain/campaigns/dates.ts';
import { DAILY_FEEDS, type DailyFeed } from '../../domain/feeds/daily-feeds.ts';
import { DISPOSITION_HISTORY_DAYS } from '../../domain/feeds/daily-inputs.ts';
import { factsTablePrefix, runLayout } from '../../domain/run/run-layout.ts';
import type { CustomerFactsOutput } from '../../domain/run/step-outputs.ts';
import { loadSql, sqlDate, sqlInteger, sqlString, sqlText, type SqlLiteral } from '../../sql/sql-files.ts';
import { attemptsTable, consentPartitionColumn, consentTables, factsTables, optOutRegisterTable } from '../../domain/run/lake-tables.ts';
import { mergeOptOutRegister } from './optout-register.ts';

/** Customers per shard: the shard count is ceil(customers / this), at least 1. */
export const CUSTOMERS_PER_SHARD = 50_000;

/** The three flat tables of the shard files, each under `<facts prefix><table>/shard=SSSS/`. */
/** The partition column of the shard files: the shard number, 4 digits. */
export const shardColumn = 'shard';

/** Run-scoped tables, in the order they are built (each reads the ones before it). */
const transientSteps = [
  'facts_loan_tape',
  'facts_loans',
  'facts_dispositions',
  'facts_repeated_attempts',
  'facts_disposition_outcomes',
  'facts_outcomes',
  'facts_suppressions',
  'facts_custom_fields',
  'facts_contacts',
  'facts_contact_rules',
  'facts_payment_requests',
  'facts_zip_suppressions',
] as const;

/**
 * A list-history fact of the configuration (schema.ts `list_history`) with its list references resolved to
 * (set, list) names: the facts step computes it from the published history (facts_list_history.sql).
 */
export interface ListHistoryDeclaration {
  name: string;
  lookbackDays: number;
  lists: readonly { set: string; list: string }[];
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** `Monday` … `Sunday` of an ISO date. */
export function weekdayOfDate(isoDate: string): string {
  return WEEKDAYS[new Date(`${isoDate}T00:00:00Z`).getUTCDay()]!;
}

/** Rows named in an error, at most; the count is always given. */
const NAMED_ERRORS = 20;

/**
 * Rows a facts table holds that can be neither used nor set aside without weakening a control (fail closed),
 * by the check that finds them (`sql/facts/<check>.sql`: source_file, source_line, reject_reason) and what the
 * message says of them.
 */
const refusals = {
  facts_suppressions: {
    check: 'facts_suppression_errors',
    what: (n: number) =>
      `${n} suppression entr${n === 1 ? 'y' : 'ies'} cannot be applied (a row whose fields are not where the columns say, or a scope, key type, set or list that cannot be read; ` +
      'the run stops rather than contact a suppressed customer)',
  },
  facts_contact_rules: {
    check: 'facts_contact_rule_errors',
    what: (n: number) =>
      `${n} contact rule${n === 1 ? '' : 's'} cannot be applied (a row whose fields are not where the columns say, or a payoffuid that cannot be read; ` +
      'the run stops rather than contact a customer whose rule it cannot read)',
  },
  facts_zip_suppressions: {
    check: 'facts_zip_suppression_errors',
    what: (n: number) =>
      `${n} ZIP suppression entr${n === 1 ? 'y' : 'ies'} cannot be applied (a row whose fields are not where the columns say, or a ZIP that is not NNNNN[-NNNN]; ` +
      'the run stops rather than contact a customer in a disaster area)',
  },
  facts_custom_fields: {
    check: 'facts_custom_field_errors',
    what: (n: number) =>
      `${n} custom-field line${n === 1 ? '' : 's'} name${n === 1 ? 's' : ''} no account (its values belong to a customer no one can tell; ` +
      'the run stops rather than read them as null)',
  },
} as const satisfies Partial<Record<(typeof transientSteps)[number], { check: string; what: (rows: number) => string }>>;

async function refuseUnusableRows(engine: SqlEngine, loadDate: string, step: (typeof transientSteps)[number]): Promise<void> {
  const refusal = step in refusals ? refusals[step as keyof typeof refusals] : undefined;
  if (refusal === undefined) return;
  const rows = await engine.query<{ source_file: string; source_line: number | null; reject_reason: string }>(await loadSql(`facts/${refusal.check}.sql`));
  if (rows.length === 0) return;
  const named = rows
    .slice(0, NAMED_ERRORS)
    .map(({ source_file: file, source_line: line, reject_reason: reason }) => `${file} ${line === null ? '(line unknown)' : `line ${line}`}: ${reason}`);
  const more = rows.length > NAMED_ERRORS ? `; and ${rows.length - NAMED_ERRORS} more` : '';
  throw new Error(`customer facts for ${loadDate}: ${refusal.what(rows.length)}: ${named.join('; ')}${more}`);
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
  options: {
    loadDate: string;
    attempt: string;
    lakeBucket: string;
    log?: FactsStepLog;
    qualityGate?: QualityGate;
    /** The configuration's list-history facts (none: no list_history rows). */
    listHistory?: readonly ListHistoryDeclaration[];
  },
): Promise<CustomerFactsOutput> {
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
    throw new Error(
      `customer facts for ${loadDate}: no ${consentTables.gold} partition ${consentPartitionColumn}=${loadDate}; the consent transform of the run writes it`,
    );
  }
  const files = await timed('register_feeds', () => engine.registerFeeds(loadDate));
  if (files.loan_tape.length === 0) throw new Error(`customer facts for ${loadDate}: no loan tape file under loan_tape/asof=${loadDate}/`);
  if (files.suppressions.length === 0) {
    throw new Error(`customer facts for ${loadDate}: no suppressions snapshot suppressions/suppressions_YYYYMMDD.csv.gz dated on or before ${loadDate}`);
  }
  // Without them a bankruptcy, a pending payment or a disaster ZIP would go unseen (fail closed; a day without any is a header-only file).
  if (files.contact_rules.length === 0) throw new Error(`customer facts for ${loadDate}: no contact rules file under contact_rules/asof=${loadDate}/`);
  if (!files.payment_requests.some((key) => key.startsWith(`payment_requests/date=${loadDate}/`))) {
    throw new Error(`customer facts for ${loadDate}: no payment requests file under payment_requests/date=${loadDate}/`);
  }
  if (files.zip_suppressions.length === 0) throw new Error(`customer facts for ${loadDate}: no ZIP suppression register reference/zip_suppressions.csv.gz`);

  const values: Record<string, SqlLiteral> = {
    load_date: sqlDate(loadDate),
    history_start: sqlDate(addDays(loadDate, -(DISPOSITION_HISTORY_DAYS - 1))),
    week_start: sqlDate(addDays(loadDate, -6)),
    previous_date: sqlDate(addDays(loadDate, -1)),
    load_weekday: sqlString(weekdayOfDate(loadDate)),
  };
  const rowsOf: Partial<Record<(typeof transientSteps)[number], number>> = {};
  for (const step of transientSteps) {
    // The outcomes read the register of D, which merges the day's opt-outs and bounces first.
    if (step === 'facts_outcomes')
      await timed(
        optOutRegisterTable,
        () => mergeOptOutRegister(engine, { asOfDate: loadDate, lakeBucket }),
        (rows) => rows,
      );
    rowsOf[step] = await timed(
      step,
      async () => engine.createTransient(step, await loadSql(`facts/${step}.sql`, values)),
      (rows) => rows,
    );
    await refuseUnusableRows(engine, loadDate, step);
  }
  const customers = rowsOf.facts_loans!;
  if (customers === 0) throw new Error(`customer facts for ${loadDate}: the loan tape has no row with a payoffuid`);
  await timed(
    'facts_list_history',
    () => buildListHistory(engine, loadDate, options.listHistory ?? []),
    (rows) => rows,
  );
  await options.qualityGate?.check('facts');

  const shards = shardCount(customers);
  const prefix = runLayout.factsPrefix(loadDate, attempt);
  for (const table of factsTables) {
    const select = await loadSql(`facts/facts_${table}_shards.sql`, { ...values, shard_count: sqlInteger(shards) });
    await timed(`unload_${table}`, () => engine.unloadJsonLinesPartitioned(select, `s3://${lakeBucket}/${factsTablePrefix(prefix, table)}`, shardColumn));
  }

  const summary = await timed('summary', async () =>
    engine.query<{ measure: DailyFeed; detail: string; row_count: number; set_aside: boolean }>(await loadSql('facts/facts_summary.sql', values)),
  );
  const counts: Record<string, Record<string, number>> = {};
  const setAside = Object.fromEntries(DAILY_FEEDS.map((feed) => [feed, 0])) as Record<DailyFeed, number>;
  for (const { measure, detail, row_count: rows, set_aside: aside } of summary) {
    counts[measure] ??= {};
    counts[measure][detail] = rows;
    if (aside) setAside[measure] += rows;
  }

  return {
    loadDate,
    customers,
    shards,
    manifest: Array.from({ length: shards }, (_, shard) => ({ shard, prefix })),
    inputs: Object.fromEntries(Object.entries(files).map(([feed, keys]) => [feed, keys.length])) as Record<DailyFeed, number>,
    counts,
    setAside,
  };
}

/** Columns of the run-scoped list-history tables when there is nothing to read. */
const EMPTY_LIST_HISTORY =
  'SELECT CAST(NULL AS VARCHAR) AS payoffuid, CAST(NULL AS BIGINT) AS shard_hash, CAST(NULL AS VARCHAR) AS name, CAST(NULL AS BIGINT) AS days WHERE false';

/**
 * The run-scoped `facts_list_history` (facts_list_history.sql): the configuration's declarations go in as data
 * (`facts_list_history_lists`, every name an escaped literal), the values come from the published history of the
 * dates before D. Nothing declared, or no published attempt partition in the lookback: an empty table (every fact
 * null) without reading the published view, which does not exist before the first publication.
 */
async function buildListHistory(engine: SqlEngine, loadDate: string, declarations: readonly ListHistoryDeclaration[]): Promise<number> {
  const rows = declarations.flatMap((fact) => fact.lists.map((list) => ({ ...list, name: fact.name, lookback: fact.lookbackDays })));
  const lookback = Math.max(0, ...declarations.map((fact) => fact.lookbackDays));
  const historyStart = addDays(loadDate, -lookback);
  const published = rows.length === 0 ? [] : await engine.partitionValues(attemptsTable('rpt_outbound_lists'), 'load_date');
  if (!published.some((date) => date >= historyStart && date < loadDate)) return engine.createTransient('facts_list_history', EMPTY_LIST_HISTORY);
  const values = rows.map((row) => `(${sqlText(row.name).sql}, ${sqlText(row.set).sql}, ${sqlText(row.list).sql}, ${sqlInteger(row.lookback).sql})`);
  await engine.createTransient(
    'facts_list_history_lists',
    `SELECT fact_name, set_name, list_name, lookback_days FROM (VALUES ${values.join(', ')}) AS declared (fact_name, set_name, list_name, lookback_days)`,
  );
  return engine.createTransient(
    'facts_list_history',
    await loadSql('facts/facts_list_history.sql', { load_date: sqlDate(loadDate), history_start: sqlDate(historyStart) }),
  );
}
