import { identifier } from '../sql/sql-files.ts';
import type { DailyFeed } from '../domain/feeds/daily-feeds.ts';
import type { ConsentFeedFile } from '../domain/consent/consent-feeds.ts';

/**
 * The one small interface behind which Athena (cloud) and DuckDB (local) execute the shared SQL.
 * SQL files hold a single SELECT in the dialect common to Trino (Athena engine v3) and DuckDB;
 * how a result is stored (CTAS, COPY to Parquet, UNLOAD) is the engine's business.
 */
export interface SqlEngine {
  /**
   * Makes exactly the consent exports `files` queryable as the views named in `consentFeeds`
   * (domain/consent/consent-feeds.ts): the feed's §3.1 columns as text, by position after the header row (missing
   * trailing fields NULL, extra fields ignored, `"`-quoted fields read), without the PII columns, plus
   * `source_file` (the file's key relative to the landing zone). No file of a feed: an empty view.
   */
  registerRawSources(files: readonly ConsentFeedFile[]): Promise<void>;
  /**
   * Stores the result of `select` as partition `partitionValue` of lake table `table`
   * (partition column `partitionColumn`, a DATE), replacing that partition atomically if it exists,
   * and registers the table so later statements can read it. Returns the number of rows written.
   */
  writePartition(table: string, partitionColumn: string, partitionValue: string, select: string): Promise<number>;
  /** The partition values present in lake table `table`, ascending; empty if the table has none. */
  partitionValues(table: string, partitionColumn: string): Promise<string[]>;
  /**
   * Keeps the result of `select` as a table visible to later statements of this run only. Returns its row count.
   * `large`: a table far larger than the engine's memory that later statements read several times (consent
   * bronze on a full load); an engine may then store it compressed rather than fast to write.
   */
  createTransient(table: string, select: string, options?: { large?: boolean }): Promise<number>;
  /**
   * Runs a query and returns its rows as plain objects: numbers for integer and floating types,
   * booleans, strings (dates as `YYYY-MM-DD`) and null.
   */
  query<T = Record<string, unknown>>(select: string): Promise<T[]>;
  /**
   * Writes the result of `select` as gzip-compressed JSON Lines objects under `s3Prefix`
   * (an `s3://bucket/prefix/` URI), removes any other object under that prefix, and returns the
   * object keys written.
   */
  unloadJsonLines(select: string, s3Prefix: string): Promise<string[]>;
  /**
   * Like `unloadJsonLines`, as Parquet objects (Snappy) in the order of `select`: for a large unload read by a
   * Lambda row group by row group (the consent changes: 5 M rows on a first load).
   */
  unloadParquet(select: string, s3Prefix: string): Promise<string[]>;
  /**
   * Makes every gzip JSON Lines object under `s3Prefix` (an `s3://bucket/prefix/` URI, read
   * recursively) queryable as table `table` for the rest of this run, with exactly `columns`
   * (missing fields NULL, other fields ignored). No object: an empty table.
   */
  registerJsonLines(table: string, s3Prefix: string, columns: RegisteredColumns): Promise<void>;
  /** Like `registerJsonLines`, for the Parquet objects `unloadParquet` writes: each of `columns` read and cast to its type. */
  registerParquet(table: string, s3Prefix: string, columns: RegisteredColumns): Promise<void>;
  /**
   * Like `writePartition`, for a lake table partitioned by several columns, outermost first, e.g.
   * `[{ column: 'load_date', value: D }, { column: 'attempt', value: A }]`. A partition column whose
   * name ends in `_date` is a DATE, any other a string.
   */
  writePartitionAt(table: string, partition: readonly PartitionKey[], select: string): Promise<number>;
  /** Defines (or replaces) a view that persists like the lake tables: visible to every later engine on the same lake. */
  defineView(view: string, select: string): Promise<void>;
  /**
   * Publishes attempt `attempt` of `loadDate` with one atomic write of the publication object
   * `published/load_date=D.json` (`{load_date, attempt, run_id, published_at}`), replacing the date's
   * previous publication; table `publications` (load_date, attempt, run_id, published_at, all
   * strings) lists the published attempt of every date. Then removes the date's other attempts from
   * `tables` (lake tables partitioned by (load_date, attempt)).
   */
  publish(publication: Publication, tables: readonly string[]): Promise<void>;
  /**
   * Makes the §3.2 feeds a run on `loadDate` reads (domain/feeds/daily-feeds.ts) queryable as the views of
   * `dailyFeeds`, every column text, CSV fields by position after the header row like the consent views:
   * loan tape, contacts and custom fields of `asof=D`, dispositions of the 90 days ending on D (with
   * `attempt_date` from the `date=` folder), the newest suppressions snapshot dated on or before D.
   * Returns the landing-zone keys behind each view.
   */
  registerFeeds(loadDate: string): Promise<Record<DailyFeed, string[]>>;
  /**
   * Like `unloadJsonLines`, split by `partitionColumn`, a text column that must be the LAST column of
   * `select` and is not written into the objects: the rows whose value is v go under
   * `<s3Prefix><partitionColumn>=<v>/`. Removes every other object under `s3Prefix`. Returns partition
   * value → object keys; a value without rows has no objects and no entry.
   */
  unloadJsonLinesPartitioned(select: string, s3Prefix: string, partitionColumn: string): Promise<Map<string, string[]>>;
  close(): Promise<void>;
}

/** Column types of a JSON Lines or Parquet registration (registerJsonLines, registerParquet): strings, integers, booleans. */
export type RegisteredColumns = Readonly<Record<string, 'string' | 'integer' | 'bigint' | 'boolean'>>;

export interface PartitionKey {
  column: string;
  value: string;
}

export interface Publication {
  loadDate: string;
  attempt: string;
  runId: string;
}

/** The table over the publication objects (`resources.prefixes.published` of the lake). */
export const publicationsTable = 'publications';

export { publicationKey } from '../domain/run/run-layout.ts';

/** The publication object's content: one JSON line. */
export function publicationRecord(publication: Publication, publishedAt: Date): string {
  const { loadDate, attempt, runId } = publication;
  return `${JSON.stringify({ load_date: loadDate, attempt, run_id: runId, published_at: publishedAt.toISOString() })}\n`;
}

export const publicationColumns = ['load_date', 'attempt', 'run_id', 'published_at'] as const;

/** The partition of one attempt of a date in the published tables. */
export function attemptPartition(loadDate: string, attempt: string): PartitionKey[] {
  return [
    { column: 'load_date', value: loadDate },
    { column: 'attempt', value: attempt },
  ];
}

/** `column=value/…` of a partition; values are path segments, so only plain characters are accepted. */
export function partitionPath(partition: readonly PartitionKey[]): string {
  if (partition.length === 0) throw new Error('a partition needs at least one column');
  return partition
    .map(({ column, value }) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9_.:+-]*$/.test(value)) throw new Error(`unsafe partition value for ${column}: ${JSON.stringify(value)}`);
      return `${identifier(column)}=${value}`;
    })
    .join('/');
}

/** The type of a partition column, by its name. */
export function partitionColumnType(column: string): 'date' | 'string' {
  return column.endsWith('_date') ? 'date' : 'string';
}
