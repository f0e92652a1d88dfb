import type { QualityGate } from '../../adapters/quality-gates.ts';
import type { SqlEngine } from '../../adapters/sql-engine.ts';
import { consentExportsUpTo, type ConsentFeedFile } from '../../domain/consent/consent-feeds.ts';
import { loadSql, sqlDate, sqlInteger } from '../../sql/sql-files.ts';
import { putGzipJsonLines } from '../../adapters/json-lines-objects.ts';
import type { ConsentTableState, PendingConsentLoad } from '../../adapters/consent-store.ts';
import { consentPartitionColumn as partitionColumn, consentStateTables, consentTables } from '../../domain/run/lake-tables.ts';
import type { ConsentTransformOutput } from '../../domain/run/step-outputs.ts';
import { consentChangesDatePrefix, consentFilesReadPrefix } from '../../domain/run/run-layout.ts';

/** What the consent transform needs of the consent table and gives back to it (the handler binds the adapter). */
export interface ConsentTableAccess {
  /** What the table holds now. */
  state: ConsentTableState;
  /** Records this run's changes as the load not completed yet, before today's gold partition replaces anything. */
  recordPending(pending: PendingConsentLoad, loadedAsOf: string | null): Promise<void>;
}

interface SummaryRow {
  measure: 'gold' | 'rejects' | 'changes';
  detail: string | null;
  row_count: number;
}

/** Log of the step row counts (no row contents, hence no PII). */
export type StepLog = (step: string, rows: number) => void;

/**
 * Runs the consent transform for one load date (SPEC §4). The state left by the newest earlier run is
 * carried: only the exports delivered since are read (bronze), merged into it (the state partition of
 * `asOfDate`), then silver, and the gold, rejects and changes partitions of `asOfDate` (replaced if they
 * exist), and the changes file for the consent load. A run whose state cannot be carried (first run, a
 * late export dated on or before it) reads every export dated ≤ D: both ways give the same gold.
 *
 * The changes are what the consent table needs to hold today's gold (docs/consent-sql.md "What the table
 * holds"): against the gold partition of its last completed load, plus every row of a load left unfinished
 * since, plus every row on `fullLoad`. They are computed and recorded as pending before today's gold
 * partition is written, so a failure at any point leaves the next run knowing what the table may hold. A date
 * older than the last completed load is a backfill: its lake partitions are rebuilt, the load is skipped
 * (`loadSkipped`), and the table is left alone. Without `consentTable` (SQL tests, benchmarks) the changes
 * are against the newest earlier gold partition. Re-running a date gives identical partitions.
 */
export async function runConsentTransform(
  engine: SqlEngine,
  options: {
    asOfDate: string;
    lakeBucket: string;
    consentKeys: readonly string[];
    log?: StepLog;
    qualityGate?: QualityGate;
    consentTable?: ConsentTableAccess;
    fullLoad?: boolean;
    runId?: string;
    /** Where this run's changes objects go: a prefix no other run writes (default: the date's prefix). */
    changesPrefix?: string;
  },
): Promise<ConsentTransformOutput> {
  const { asOfDate, lakeBucket } = options;
  const log = options.log ?? (() => {});
  const { files, problems } = consentExportsUpTo(options.consentKeys, asOfDate);
  if (problems.length > 0) throw new Error(`consent transform: ${problems.join('; ')}`);
  const before = async (table: string) => (await engine.partitionValues(table, partitionColumn)).filter((date) => date < asOfDate).at(-1) ?? null;
  const target = await loadTarget(engine, asOfDate, options.consentTable?.state, options.fullLoad ?? false, await before(consentTables.gold));
  const carried = await carriedState(engine, await before(consentStateTables.state), files);
  const values = {
    as_of_date: sqlDate(asOfDate),
    base_as_of_date: sqlDate(target.base),
    full_load: sqlInteger(options.fullLoad && target.skipped === null ? 1 : 0),
    carried_from_date: sqlDate(carried.fromDate),
  };
  const sql = (name: string) => loadSql(`consent/${name}.sql`, values);

  await registerConsentExports(engine, carried.toRead, { lakeBucket, asOfDate });
  const bronze = await engine.createTransient('consent_bronze', await sql('consent_bronze'), { large: readsHistory(carried.toRead) });
  log('bronze', bronze);
  if (bronze === 0 && carried.fromDate === null) {
    throw new Error(`no consent data: no ENRLMT, NON-FIN-BDL or SUPPLFWD export dated on or before ${asOfDate} holds a data row`);
  }
  await options.qualityGate?.check('consent_bronze');
  const carriedOrInitial = (table: string) => sql(carried.fromDate === null ? `${table}_initial` : `${table}_carried`);
  await engine.createTransient('consent_state_carried', await carriedOrInitial(consentStateTables.state));
  await engine.createTransient('consent_files_carried', await carriedOrInitial(consentStateTables.files));
  const write = async (table: string) => {
    const rows = await engine.writePartition(table, partitionColumn, asOfDate, await sql(table));
    log(table, rows);
    return rows;
  };
  await write(consentStateTables.state);
  await write(consentStateTables.files);
  log('silver', await engine.createTransient('consent_silver', await sql('consent_silver')));
  await options.qualityGate?.check('consent_silver');

  // The changes first, against the gold the table holds (today's partition may be that one: a re-run).
  await readPending(engine, target.pending, lakeBucket, await sql('consent_pending_read'), await sql('consent_pending_initial'));
  const changeRows = await engine.writePartition(
    consentTables.changes,
    partitionColumn,
    asOfDate,
    await sql(target.base === null ? 'phone_consent_changes_initial' : 'phone_consent_changes'),
  );
  log(consentTables.changes, changeRows);
  const prefix = options.changesPrefix ?? consentChangesDatePrefix(asOfDate);
  let keys: string[] = [];
  if (target.skipped === null) {
    keys = await engine.unloadParquet(await sql('phone_consent_changes_export'), `s3://${lakeBucket}/${prefix}`);
    await options.consentTable?.recordPending(
      { as_of_date: asOfDate, run_id: options.runId ?? asOfDate, prefix, rows: changeRows },
      options.consentTable.state.loaded?.as_of_date ?? null,
    );
  }

  const gold = await write(consentTables.gold);
  await options.qualityGate?.check('phone_consent');
  const rejects = await write(consentTables.rejects);

  const summary = await engine.query<SummaryRow>(await sql('phone_consent_summary'));
  const count = (measure: SummaryRow['measure'], detail: string) => summary.find((row) => row.measure === measure && row.detail === detail)?.row_count ?? 0;
  const rejectsByReason = Object.fromEntries(summary.filter((row) => row.measure === 'rejects').map((row) => [row.detail!, row.row_count]));

  return {
    asOfDate,
    carriedFromDate: carried.fromDate,
    rebuildReason: carried.rebuildReason,
    filesRead: carried.toRead.length,
    previousAsOfDate: target.base,
    loadSkipped: target.skipped,
    rows: {
      bronze,
      gold,
      rejects,
      changes: { new: count('changes', 'new'), changed: count('changes', 'changed'), gone: count('changes', 'gone') },
    },
    rejectsByReason,
    changes: { bucket: lakeBucket, prefix, keys },
  };
}

interface LoadTarget {
  /** The gold partition the changes are against. */
  base: string | null;
  /** The unfinished load whose rows the table may hold instead of the base's. */
  pending: PendingConsentLoad | null;
  /** Why the load is skipped (a backfill). */
  skipped: string | null;
}

/**
 * What this run's changes must bring the consent table from (docs/consent-sql.md "What the table holds").
 * Fails closed when the table holds a load whose gold partition the lake no longer has: only a full load
 * (every row written) can then be trusted.
 */
async function loadTarget(
  engine: SqlEngine,
  asOfDate: string,
  table: ConsentTableState | undefined,
  fullLoad: boolean,
  previousGold: string | null,
): Promise<LoadTarget> {
  if (table === undefined) return { base: previousGold, pending: null, skipped: null };
  const loaded = table.loaded?.as_of_date ?? null;
  if (loaded !== null && asOfDate < loaded) {
    return {
      base: previousGold,
      pending: null,
      skipped: `backfill: the consent table holds ${loaded}, newer than ${asOfDate}; it is left as it is (the API keeps answering from ${loaded})`,
    };
  }
  if (loaded !== null && !(await engine.partitionValues(consentTables.gold, partitionColumn)).includes(loaded)) {
    if (!fullLoad) {
      throw new Error(
        `consent transform: the consent table holds the load of ${loaded}, but the lake has no phone_consent partition for ${loaded} to compare with; run ${asOfDate} with fullLoad (--full-load) to write every row`,
      );
    }
    return { base: null, pending: null, skipped: null };
  }
  // On a full load every row of today is written anyway; a pending load's rows only add the deletes of rows
  // today no longer has, and a pending object that cannot be read must not stop the recovery.
  return { base: loaded, pending: fullLoad ? null : table.pending, skipped: null };
}

/**
 * Makes `consent_pending` the rows of the unfinished load (none: an empty table). Every line recorded must
 * still be there: a changes object that lost lines (retention, a hand deletion) fails the run, as the table
 * may hold rows nobody knows of.
 */
async function readPending(engine: SqlEngine, pending: PendingConsentLoad | null, lakeBucket: string, read: string, none: string): Promise<void> {
  if (pending === null) {
    await engine.createTransient('consent_pending', none);
    return;
  }
  await engine.registerParquet('consent_pending_changes', `s3://${lakeBucket}/${pending.prefix}`, consentChangeColumns);
  const found = await engine.createTransient('consent_pending', read);
  if (found !== pending.rows) {
    throw new Error(
      `consent transform: the unfinished consent load of ${pending.as_of_date} (lake ${pending.prefix}) should hold ${pending.rows} changes, found ${found}; run with fullLoad (--full-load) to write every row`,
    );
  }
}

/** The ConsentChange columns of a changes object (Parquet: dates as text). */
export const consentChangeColumns = {
  change_type: 'string',
  account_number: 'string',
  phone_number: 'string',
  phone_type: 'string',
  phone_status: 'string',
  phone_technology: 'string',
  quality_score: 'integer',
  phone_source: 'string',
  has_sms_consent: 'boolean',
  sms_consent_updated_at: 'string',
  is_deleted: 'boolean',
  delete_type: 'string',
  deleted_at: 'string',
} as const;

interface CarriedState {
  fromDate: string | null;
  rebuildReason: string | null;
  toRead: ConsentFeedFile[];
}

/**
 * Whether the state of `stateDate` can be carried: every export it does not include must be dated after it.
 * A late export for an earlier date changes that date's snapshot or its events, which only a rebuild from
 * every export gets right. An included export that has since left the landing zone (retention) changes
 * nothing: its records are in the state, and a rebuild without it would lose them.
 */
async function carriedState(engine: SqlEngine, stateDate: string | null, files: ConsentFeedFile[]): Promise<CarriedState> {
  if (stateDate === null) return { fromDate: null, rebuildReason: null, toRead: files };
  const included = new Set(
    (await engine.query<{ source_file: string }>(await loadSql('consent/consent_files_carried.sql', { carried_from_date: sqlDate(stateDate) }))).map(
      (row) => row.source_file,
    ),
  );
  const late = files.filter((file) => !included.has(file.key) && file.fileDate <= stateDate).length;
  if (late > 0) {
    return { fromDate: null, rebuildReason: `${late} export(s) dated on or before ${stateDate} arrived after its run`, toRead: files };
  }
  return { fromDate: stateDate, rebuildReason: null, toRead: files.filter((file) => !included.has(file.key)) };
}

/**
 * Whether bronze reads more than one day's snapshot (a full load of a history, a rebuild, a catch-up after missed
 * days): tens of millions of rows, kept compressed. One day's delivery fits in memory, where compressing it would
 * only cost time (docs/consent-sql.md "Performance").
 */
function readsHistory(files: readonly ConsentFeedFile[]): boolean {
  return new Set(files.filter((file) => file.feed === 'NON-FIN-BDL').map((file) => file.fileDate)).size > 1;
}

/**
 * Makes `files` what bronze reads: the engine's raw views over exactly those exports, and the run-scoped
 * list `consent_files_read` (source_file, feed, file_date as text) that gives each row its file date. The
 * list travels as a lake object, not as SQL text: a rebuild over years of daily exports lists thousands of
 * files, more than an Athena query may hold.
 */
export async function registerConsentExports(
  engine: SqlEngine,
  files: readonly ConsentFeedFile[],
  options: { lakeBucket: string; asOfDate: string },
): Promise<void> {
  await engine.registerRawSources(files);
  const prefix = consentFilesReadPrefix(options.asOfDate);
  const lines = files.map((file) => JSON.stringify({ source_file: file.key, feed: file.feed, file_date: file.fileDate }));
  await putGzipJsonLines(options.lakeBucket, `${prefix}part-00000.jsonl.gz`, lines.map((line) => `${line}\n`).join(''));
  await engine.registerJsonLines('consent_files_read', `s3://${options.lakeBucket}/${prefix}`, { source_file: 'string', feed: 'string', file_date: 'string' });
}
