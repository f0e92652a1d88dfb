/**
 * The one small interface behind which Athena (cloud) and DuckDB (local) execute the shared SQL.
 * SQL files hold a single SELECT in the dialect common to Trino (Athena engine v3) and DuckDB;
 * how a result is stored (CTAS, COPY to Parquet, UNLOAD) is the engine's business.
 */
export interface SqlEngine {
  /** Makes the raw feed files of the landing zone queryable as the bronze source tables. */
  registerRawSources(): Promise<void>;
  /**
   * Stores the result of `select` as partition `partitionValue` of lake table `table`
   * (partition column `partitionColumn`), replacing that partition if it exists, and registers
   * the table so later statements can read it.
   */
  writePartition(table: string, partitionColumn: string, partitionValue: string, select: string): Promise<number>;
  /** Keeps the result of `select` as a table visible to later statements of this run only. */
  createTransient(table: string, select: string): Promise<number>;
  /** Runs a query and returns its rows as plain objects. */
  query<T = Record<string, unknown>>(select: string): Promise<T[]>;
  /**
   * Writes the result of `select` as gzip-compressed JSON Lines objects under `s3Prefix`
   * (an `s3://bucket/prefix/` URI) and returns the object keys written.
   */
  unloadJsonLines(select: string, s3Prefix: string): Promise<string[]>;
  close(): Promise<void>;
}
