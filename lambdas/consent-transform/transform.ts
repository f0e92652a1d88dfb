import type { QualityGate } from '../../adapters/quality-gates.ts';
import type { SqlEngine } from '../../adapters/sql-engine.ts';
import { resources } from '../../config/resources.ts';
import { consentExportsUpTo, type ConsentFeedFile } from '../../domain/consent-feeds.ts';
import { loadSql, sqlDate } from '../../sql/sql-files.ts';
import { putGzipJsonLines } from '../../adapters/json-lines-objects.ts';

/** Lake tables written by the consent transform, each partitioned by `as_of_date`. */
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

export const partitionColumn = 'as_of_date';

export interface ConsentTransformResult {
  asOfDate: string;
  /** The state partition this run started from (only the exports delivered since were read); null = every export read. */
  carriedFromDate: string | null;
  /** Why the carried state could not be used, when there was one. */
  rebuildReason: string | null;
  /** Exports read by this run. */
  filesRead: number;
  /** Newest gold partition strictly before `asOfDate`; null on the first run (every row is `new`). */
  previousAsOfDate: string | null;
  rows: {
    bronze: number;
    gold: number;
    rejects: number;
    changes: { new: number; changed: number; gone: number };
  };
  rejectsByReason: Record<string, number>;
  /** The ConsentChange JSON Lines (gzip) objects for the consent load. */
  changes: { bucket: string; keys: string[] };
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
 * Re-running a date gives identical partitions and changes.
 */
export async function runConsentTransform(
  engine: SqlEngine,
  options: { asOfDate: string; lakeBucket: string; consentKeys: readonly string[]; log?: StepLog; qualityGate?: QualityGate },
): Promise<ConsentTransformResult> {
  const { asOfDate, lakeBucket } = options;
  const log = options.log ?? (() => {});
  const { files, problems } = consentExportsUpTo(options.consentKeys, asOfDate);
  if (problems.length > 0) throw new Error(`consent transform: ${problems.join('; ')}`);
  const before = async (table: string) =>
    (await engine.partitionValues(table, partitionColumn)).filter((date) => date < asOfDate).at(-1) ?? null;
  const previousAsOfDate = await before(consentTables.gold);
  const carried = await carriedState(engine, await before(consentStateTables.state), files);
  const values = {
    as_of_date: sqlDate(asOfDate),
    previous_as_of_date: sqlDate(previousAsOfDate),
    carried_from_date: sqlDate(carried.fromDate),
  };
  const sql = (name: string) => loadSql(`consent/${name}.sql`, values);

  await registerConsentExports(engine, carried.toRead, { lakeBucket, asOfDate });
  const bronze = await engine.createTransient('consent_bronze', await sql('consent_bronze'));
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
  const gold = await write(consentTables.gold);
  await options.qualityGate?.check('phone_consent');
  const rejects = await write(consentTables.rejects);
  await write(consentTables.changes);

  const summary = await engine.query<SummaryRow>(await sql('phone_consent_summary'));
  const count = (measure: SummaryRow['measure'], detail: string) =>
    summary.find((row) => row.measure === measure && row.detail === detail)?.row_count ?? 0;
  const rejectsByReason = Object.fromEntries(
    summary.filter((row) => row.measure === 'rejects').map((row) => [row.detail!, row.row_count]),
  );

  const prefix = `${resources.prefixes.consentChanges}${partitionColumn}=${asOfDate}/`;
  const keys = await engine.unloadJsonLines(await sql('phone_consent_changes_export'), `s3://${lakeBucket}/${prefix}`);

  return {
    asOfDate,
    carriedFromDate: carried.fromDate,
    rebuildReason: carried.rebuildReason,
    filesRead: carried.toRead.length,
    previousAsOfDate,
    rows: {
      bronze,
      gold,
      rejects,
      changes: { new: count('changes', 'new'), changed: count('changes', 'changed'), gone: count('changes', 'gone') },
    },
    rejectsByReason,
    changes: { bucket: lakeBucket, keys },
  };
}

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
    (
      await engine.query<{ source_file: string }>(
        await loadSql('consent/consent_files_carried.sql', { carried_from_date: sqlDate(stateDate) }),
      )
    ).map((row) => row.source_file),
  );
  const late = files.filter((file) => !included.has(file.key) && file.fileDate <= stateDate).length;
  if (late > 0) {
    return { fromDate: null, rebuildReason: `${late} export(s) dated on or before ${stateDate} arrived after its run`, toRead: files };
  }
  return { fromDate: stateDate, rebuildReason: null, toRead: files.filter((file) => !included.has(file.key)) };
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
  const prefix = `${resources.prefixes.transient}consent_files_read/${partitionColumn}=${options.asOfDate}/`;
  const lines = files.map((file) => JSON.stringify({ source_file: file.key, feed: file.feed, file_date: file.fileDate }));
  await putGzipJsonLines(options.lakeBucket, `${prefix}part-00000.jsonl.gz`, lines.map((line) => `${line}\n`).join(''));
  await engine.registerJsonLines('consent_files_read', `s3://${options.lakeBucket}/${prefix}`, { source_file: 'string', feed: 'string', file_date: 'string' });
}
