import type { FinalizeOutput, ListCounts } from '../../domain/run/step-outputs.ts';
import type { QualityGate } from '../../adapters/quality-gates.ts';
import { attemptPartition, type RegisteredColumns, type SqlEngine } from '../../adapters/sql-engine.ts';
import type { DecisionContactRow, DecisionListRow, DecisionSuppressionRow, DecisionTable } from '../../domain/campaigns/decision-rows.ts';
import { decisionTablePrefix } from '../../domain/run/run-layout.ts';
import type { CampaignConfig } from '../../domain/campaigns/schema.ts';
import { addDays } from '../../domain/campaigns/dates.ts';
import { attemptsTable, publishedTables, type PublishedTable } from '../../domain/run/lake-tables.ts';
import { LIST_VOLUME_HISTORY_DAYS, type ListVolumeHistory } from '../../domain/run/list-volume.ts';
import { loadSql, readSqlFile, sqlDate, sqlInteger, sqlString, sqlText } from '../../sql/sql-files.ts';
import { isListActiveOn } from '../../domain/campaigns/list-activity.ts';

type ColumnsOf<Row> = Record<keyof Row, RegisteredColumns[string]>;

/** The shard decision objects as run-scoped tables, with the columns of the row types (domain/campaigns/decision-rows.ts). */
const decisionTables = {
  lists: {
    table: 'decision_lists',
    columns: {
      load_date: 'string',
      set_name: 'string',
      list_name: 'string',
      payoffuid: 'string',
      account_number: 'string',
      suppression_flag: 'boolean',
      loan_tape_asofdate: 'string',
      channel: 'string',
      purpose: 'string',
      ab_group: 'string',
      run_id: 'string',
      calls_allowed_today: 'bigint',
      state: 'string',
      shaping_order: 'bigint',
    } satisfies ColumnsOf<DecisionListRow>,
  },
  contacts: {
    table: 'decision_contacts',
    columns: {
      load_date: 'string',
      set_name: 'string',
      list_name: 'string',
      payoffuid: 'string',
      related_party_type: 'string',
      contact_type: 'string',
      contact_value: 'string',
      contact_rank: 'bigint',
      timezone: 'string',
      window_start_utc: 'string',
      window_end_utc: 'string',
    } satisfies ColumnsOf<DecisionContactRow>,
  },
  suppressions: {
    table: 'decision_suppressions',
    columns: {
      load_date: 'string',
      suppression_type: 'string',
      suppression_reason: 'string',
      payoffuid: 'string',
      set_name: 'string',
      list_name: 'string',
      contact_value: 'string',
    } satisfies ColumnsOf<DecisionSuppressionRow>,
  },
} as const satisfies Record<DecisionTable, { table: string; columns: RegisteredColumns }>;

/** What each shard reported writing (its EvaluateShard result); Finalize checks the decision tables hold exactly that. */
export interface ShardRowCounts {
  shard: number;
  rows: Record<DecisionTable, number>;
}

export interface FinalizeOptions {
  loadDate: string;
  attempt: string;
  runId: string;
  lakeBucket: string;
  /** The run's configuration snapshot: target sizes and distributions. */
  config: CampaignConfig;
  /** State → 2020 census population (config/reference/state_population.csv). */
  statePopulation: ReadonlyMap<string, { population: number }>;
  shards: readonly ShardRowCounts[];
  log?: (step: string, rows: number) => void;
  /** The `lists` gate runs before the publication; the published attempt's `facts` and `lists` figures are accepted after it. */
  qualityGate?: QualityGate;
  /** Marks what of the attempt becomes the date's history (its configuration snapshot) as kept; runs just before the publication. */
  keepHistory?: () => Promise<void>;
}

interface CheckRow {
  decision_lists: number;
  decision_contacts: number;
  decision_suppressions: number;
  rows_of_another_run: number;
  customers_on_several_lists_of_a_set: number;
  contacts_without_unsuppressed_customer: number;
  suppressions_without_reason: number;
  capacity_rows_without_shaping_order: number;
}

interface SummaryRow {
  set_name: string;
  list_name: string;
  measure: 'assigned' | 'suppressed' | 'contacts' | 'suppression' | 'contact_drop';
  detail: string | null;
  row_count: number;
}

export class FinalizeCheckError extends Error {
  override name = 'FinalizeCheckError';
}

/**
 * Finalize (docs/finalize.md): reads the shard decisions, checks them, applies list shaping, writes the
 * attempt's partitions of the three §7 tables, and publishes the day: until the single write of the
 * publication object, readers of the §7 views keep seeing the date's previous state (or nothing).
 */
export async function runFinalize(engine: SqlEngine, options: FinalizeOptions): Promise<FinalizeOutput> {
  const { loadDate, attempt, runId, lakeBucket, config } = options;
  const log = options.log ?? (() => {});
  const values = {
    load_date: sqlDate(loadDate),
    load_date_text: sqlString(loadDate),
    attempt: sqlString(attempt),
    run_id: sqlString(runId),
  };

  for (const [kind, { table, columns }] of Object.entries(decisionTables) as [DecisionTable, (typeof decisionTables)[DecisionTable]][]) {
    await engine.registerJsonLines(table, `s3://${lakeBucket}/${decisionTablePrefix(loadDate, attempt, kind)}`, columns);
  }
  const capacities = await registerShapingInputs(engine, config, options.statePopulation);

  const [checks] = await engine.query<CheckRow>(await loadSql('finalize/finalize_checks.sql', values));
  assertChecks(checks!, options.shards);
  log('decisions', checks!.decision_lists);

  const capacityCuts = await engine.createTransient('list_capacity_cuts', await loadSql('finalize/list_capacity_cuts.sql'));
  log('list_capacity_cuts', capacityCuts);
  const rows = {} as Record<PublishedTable, number>;
  for (const table of publishedTables) {
    rows[table] = await engine.writePartitionAt(attemptsTable(table), attemptPartition(loadDate, attempt), await loadSql(`finalize/${table}.sql`));
    log(table, rows[table]);
  }

  const lists = listCounts(await engine.query<SummaryRow>(await loadSql('finalize/finalize_summary.sql', values)));
  for (const { set, list, targetSize } of capacities) {
    const counts = lists.find((entry) => entry.set_name === set && entry.list_name === list);
    if (counts && counts.assigned - counts.suppressed > targetSize) {
      throw new FinalizeCheckError(`list ${set}/${list} keeps ${counts.assigned - counts.suppressed} customers, over its target_size ${targetSize}`);
    }
  }

  await options.qualityGate?.check('lists');
  // Before the publication: a published date never lacks its snapshot; an attempt failing between the two keeps a small file.
  await options.keepHistory?.();
  await engine.publish({ loadDate, attempt, runId }, publishedTables.map(attemptsTable));
  // The views' text never changes; defining them after the publication lets Athena check them against an existing `publications`.
  for (const table of publishedTables) await engine.defineView(table, await readSqlFile(`published/${table}.sql`));
  log('published', 1);
  await options.qualityGate?.acceptPublished(['facts', 'lists']);
  const listHistory = await readListHistory(engine, loadDate, config);
  return { loadDate, attempt, runId, rows, capacityCuts, lists, listHistory };
}

/** Over the published views, so it runs after the publication: before the first one, Athena has no views to read. */
async function readListHistory(engine: SqlEngine, loadDate: string, config: CampaignConfig): Promise<ListVolumeHistory[]> {
  const active = new Set(
    config.sets.flatMap((set) => set.lists.filter((list) => isListActiveOn(list, loadDate)).map((list) => `${set.name}\u0000${list.name}`)),
  );
  const rows = await engine.query<ListVolumeHistory>(
    await loadSql('finalize/list_volume_history.sql', { load_date: sqlDate(loadDate), history_start: sqlDate(addDays(loadDate, -LIST_VOLUME_HISTORY_DAYS)) }),
  );
  return rows
    .filter((row) => active.has(`${row.set_name}\u0000${row.list_name}`))
    .sort((a, b) => a.set_name.localeCompare(b.set_name) || a.list_name.localeCompare(b.list_name));
}

function assertChecks(checks: CheckRow, shards: readonly ShardRowCounts[]): void {
  const problems: string[] = [];
  const numbers = shards.map((shard) => shard.shard).sort((a, b) => a - b);
  if (numbers.some((shard, index) => shard !== index)) problems.push(`shard results are not shards 0..${shards.length - 1}: ${numbers.join(', ')}`);
  for (const kind of Object.keys(decisionTables) as DecisionTable[]) {
    const expected = shards.reduce((sum, shard) => sum + shard.rows[kind], 0);
    const found = checks[`decision_${kind}`];
    if (found !== expected) problems.push(`decision ${kind}: ${found} rows under the decisions prefix, the shards reported ${expected}`);
  }
  for (const gate of [
    'rows_of_another_run',
    'customers_on_several_lists_of_a_set',
    'contacts_without_unsuppressed_customer',
    'suppressions_without_reason',
    'capacity_rows_without_shaping_order',
  ] as const) {
    if (checks[gate] > 0) problems.push(`${gate}: ${checks[gate]}`);
  }
  if (problems.length > 0) throw new FinalizeCheckError(`finalize checks failed, nothing published: ${problems.join('; ')}`);
}

function listCounts(summary: readonly SummaryRow[]): ListCounts[] {
  const lists = new Map<string, ListCounts>();
  for (const row of summary) {
    const key = `${row.set_name}\u0000${row.list_name}`;
    let counts = lists.get(key);
    if (!counts) {
      counts = { set_name: row.set_name, list_name: row.list_name, assigned: 0, suppressed: 0, contacts: 0, suppressions: {}, contactDrops: {} };
      lists.set(key, counts);
    }
    if (row.measure === 'suppression') counts.suppressions[row.detail!] = row.row_count;
    else if (row.measure === 'contact_drop') counts.contactDrops[row.detail!] = row.row_count;
    else counts[row.measure] = row.row_count;
  }
  return [...lists.values()].sort((a, b) => a.set_name.localeCompare(b.set_name) || a.list_name.localeCompare(b.list_name));
}

export interface ListCapacity {
  set: string;
  list: string;
  targetSize: number;
  census: boolean;
}

/** The run-scoped tables list shaping reads besides `decision_lists`: `list_capacity` (lists with a target_size) and `state_population`. */
export async function registerShapingInputs(
  engine: SqlEngine,
  config: CampaignConfig,
  statePopulation: ReadonlyMap<string, { population: number }>,
): Promise<ListCapacity[]> {
  const capacities = config.sets.flatMap((set) =>
    set.lists
      .filter((list) => list.target_size !== undefined)
      .map((list) => ({ set: set.name, list: list.name, targetSize: list.target_size!, census: list.distribution === 'census_state' })),
  );
  await engine.createTransient('list_capacity', listCapacitySelect(capacities));
  await engine.createTransient('state_population', statePopulationSelect(statePopulation));
  return capacities;
}

function listCapacitySelect(capacities: readonly ListCapacity[]): string {
  if (capacities.length === 0) {
    return 'SELECT CAST(NULL AS VARCHAR) AS set_name, CAST(NULL AS VARCHAR) AS list_name, CAST(NULL AS BIGINT) AS target_size, CAST(NULL AS BOOLEAN) AS census WHERE false';
  }
  const rows = capacities.map(({ set, list, targetSize, census }) => `(${sqlText(set).sql}, ${sqlText(list).sql}, ${sqlInteger(targetSize).sql}, ${census})`);
  return (
    'SELECT CAST(set_name AS VARCHAR) AS set_name, CAST(list_name AS VARCHAR) AS list_name, CAST(target_size AS BIGINT) AS target_size, census ' +
    `FROM (VALUES ${rows.join(', ')}) AS t (set_name, list_name, target_size, census)`
  );
}

function statePopulationSelect(population: ReadonlyMap<string, { population: number }>): string {
  const rows = [...population].map(([state, { population: count }]) => `(${sqlString(state).sql}, ${sqlInteger(count).sql})`);
  if (rows.length === 0) throw new Error('no state population reference data: census_state quotas cannot be computed');
  return `SELECT CAST(state AS VARCHAR) AS state, CAST(population AS BIGINT) AS population FROM (VALUES ${rows.join(', ')}) AS t (state, population)`;
}
