/**
 * The one small interface behind which Athena (cloud) and DuckDB (local) execute the shared SQL.
 * SQL files hold a single SELECT in the dialect common to Trino (Athena engine v3) and DuckDB;
 * how a result is stored (CTAS, COPY to Parquet, UNLOAD) is the engine's business.
 */
export interface SqlEngine {
  /**
   * Makes the raw consent feed files of the landing zone queryable as the views named in
   * `consentFeeds` (domain/consent-feeds.ts): the feed's columns as text, by position after the header row (missing trailing
   * fields NULL, extra fields ignored, no quoting), plus `source_file` (the file's key relative to the
   * landing zone, e.g. `consent/ENROLLMENT/ENRLMT_20261120.csv.gz`).
   */
  registerRawSources(): Promise<void>;
  /**
   * Stores the result of `select` as partition `partitionValue` of lake table `table`
   * (partition column `partitionColumn`, a DATE), replacing that partition atomically if it exists,
   * and registers the table so later statements can read it. Returns the number of rows written.
   */
  writePartition(table: string, partitionColumn: string, partitionValue: string, select: string): Promise<number>;
  /** The partition values present in lake table `table`, ascending; empty if the table has none. */
  partitionValues(table: string, partitionColumn: string): Promise<string[]>;
  /** Keeps the result of `select` as a table visible to later statements of this run only. Returns its row count. */
  createTransient(table: string, select: string): Promise<number>;
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
  close(): Promise<void>;
}
