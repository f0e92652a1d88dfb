import { randomUUID } from 'node:crypto';
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, type ColumnInfo, type Row } from '@aws-sdk/client-athena';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { parseS3Uri, s3Client } from './aws-clients.ts';
import { deleteObjectsUnderPrefix, listKeysUnderPrefix } from './s3-prefix.ts';
import { tagWrittenObjects } from './lake-retention.ts';
import { consentFeeds, selectableColumns, type ConsentFeedFile } from '../domain/consent/consent-feeds.ts';
import {
  attemptPartition,
  partitionPath,
  publicationKey,
  publicationRecord,
  publicationsTable,
  type RegisteredColumns,
  type PartitionKey,
  type Publication,
  type SqlEngine,
} from './sql-engine.ts';
import { identifier, loadSql, sqlString } from '../sql/sql-files.ts';
import { DAILY_FEEDS, dailyFeedFiles, dailyFeeds, feedFolder, ZIP_SUPPRESSIONS_KEY, type DailyFeed } from '../domain/feeds/daily-feeds.ts';
import { DISPOSITION_HISTORY_DAYS, PAYMENT_REQUEST_HISTORY_DAYS } from '../domain/feeds/daily-inputs.ts';
import { addDays } from '../domain/campaigns/dates.ts';
import { isIsoDate } from '../domain/values/load-date.ts';
import { lakeTablePrefix, publishedPrefix, transientTablePrefix } from '../domain/run/run-layout.ts';

export interface AthenaEngineOptions {
  workgroup: string;
  database: string;
  rawBucket: string;
  lakeBucket: string;
  client?: AthenaClient;
  /** Waits between polls; injectable so tests do not wait. */
  sleep?: (ms: number) => Promise<void>;
}

/** Polling backoff: 250 ms doubling up to 5 s. */
const FIRST_POLL_MS = 250;
const MAX_POLL_MS = 5_000;
/**
 * Athena (engine v3) implementation of the SQL engine. Lake tables are partitioned Parquet tables
 * under `s3://<lake>/<table>/`; a partition is written by CTAS to a fresh location and then switched
 * with ALTER TABLE ... SET LOCATION, so readers never see a half-written partition.
 */
export class AthenaEngine implements SqlEngine {
  private readonly client: AthenaClient;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Distinguishes this run's staging locations from earlier ones. */
  private readonly token = randomUUID().replaceAll('-', '').slice(0, 12);
  private readonly ensuredTables = new Set<string>();

  constructor(private readonly options: AthenaEngineOptions) {
    this.client = options.client ?? new AthenaClient({});
    this.sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
  }

  async registerRawSources(files: readonly ConsentFeedFile[]): Promise<void> {
    for (const layout of consentFeeds) {
      // A symlink manifest lists the run's exports of the feed, so the table reads those files and no others.
      const folder = transientTablePrefix(this.token, `${layout.view}_manifest`);
      const manifest = files
        .filter((file) => file.feed === layout.feed)
        .map((file) => `s3://${this.options.rawBucket}/${file.key}\n`)
        .join('');
      await s3Client().send(new PutObjectCommand({ Bucket: this.options.lakeBucket, Key: `${folder}manifest`, Body: manifest, ContentType: 'text/plain' }));
      const table = { sql: `${identifier(layout.view)}_files` };
      await this.execute(`DROP TABLE IF EXISTS ${table.sql}`);
      const location = sqlString(`s3://${this.options.lakeBucket}/${folder}`);
      const columns = { sql: layout.columns.map((column) => `${identifier(column)} string`).join(', ') };
      await this.execute(await loadSql('register/athena/consent_raw_files.sql', { table, columns, location }));
      // The SSN and name columns are declared (fields are read by position) but never selected.
      const kept = { sql: selectableColumns(layout).map(identifier).join(', ') };
      await this.execute(await loadSql('register/athena/consent_raw_view.sql', { view: { sql: identifier(layout.view) }, columns: kept, table }));
    }
  }

  async createTransient(table: string, select: string): Promise<number> {
    const location = `s3://${this.options.lakeBucket}/${transientTablePrefix(this.token, table)}`;
    await this.execute(`DROP TABLE IF EXISTS ${table}`);
    return this.execute(`CREATE TABLE ${table} WITH (${parquetProperties(location)}) AS ${select}`);
  }

  writePartition(table: string, partitionColumn: string, partitionValue: string, select: string): Promise<number> {
    return this.writePartitionAt(table, [{ column: partitionColumn, value: partitionValue }], select);
  }

  async writePartitionAt(table: string, partitionKeys: readonly PartitionKey[], select: string): Promise<number> {
    await this.ensureLakeTable(table);
    const partitionPrefix = `${lakeTablePrefix(table)}${partitionPath(partitionKeys)}/`;
    const location = `s3://${this.options.lakeBucket}/${partitionPrefix}${this.token}/`;
    const staging = `${table}_staging_${this.token}`;
    const partition = partitionSpec(partitionKeys);
    await this.execute(`DROP TABLE IF EXISTS ${staging}`);
    const rows = await this.execute(`CREATE TABLE ${staging} WITH (${parquetProperties(location)}) AS ${select}`);
    // Dropping the staging table keeps its files: Athena never deletes data on DROP TABLE.
    await this.execute(`DROP TABLE ${staging}`);
    await this.execute(`ALTER TABLE ${table} ADD IF NOT EXISTS PARTITION (${partition}) LOCATION ${sqlString(location).sql}`);
    await this.execute(`ALTER TABLE ${table} PARTITION (${partition}) SET LOCATION ${sqlString(location).sql}`);
    const current = new Set(await listKeysUnderPrefix(this.options.lakeBucket, `${partitionPrefix}${this.token}/`));
    await deleteObjectsUnderPrefix(this.options.lakeBucket, partitionPrefix, current);
    return rows;
  }

  async partitionValues(table: string, partitionColumn: string): Promise<string[]> {
    await this.ensureLakeTable(table);
    const { rows } = await this.run(`SHOW PARTITIONS ${table}`);
    const prefix = `${partitionColumn}=`;
    return rows
      .map((row) => row.Data?.[0]?.VarCharValue ?? '')
      .filter((value) => value.startsWith(prefix))
      .map((value) => value.slice(prefix.length))
      .sort();
  }

  async query<T = Record<string, unknown>>(select: string): Promise<T[]> {
    const { rows, columns } = await this.run(select);
    return rows.map((row) => Object.fromEntries(columns.map((column, index) => [column.Name!, convert(column, row.Data?.[index]?.VarCharValue)]))) as T[];
  }

  unloadJsonLines(select: string, s3Prefix: string): Promise<string[]> {
    return this.unload(select, s3Prefix, "format = 'JSON', compression = 'GZIP'");
  }

  unloadParquet(select: string, s3Prefix: string): Promise<string[]> {
    return this.unload(select, s3Prefix, "format = 'PARQUET', compression = 'SNAPPY'");
  }

  private async unload(select: string, s3Prefix: string, properties: string): Promise<string[]> {
    const { bucket, key: prefix } = parseS3Uri(s3Prefix);
    // UNLOAD refuses a non-empty target.
    await deleteObjectsUnderPrefix(bucket, prefix);
    await this.execute(`UNLOAD (${select}) TO ${sqlString(s3Prefix).sql} WITH (${properties})`);
    const keys = await listKeysUnderPrefix(bucket, prefix);
    await tagWrittenObjects(bucket, keys);
    return keys;
  }

  async registerFeeds(loadDate: string): Promise<Record<DailyFeed, string[]>> {
    if (!isIsoDate(loadDate)) throw new Error(`not a YYYY-MM-DD load date: ${JSON.stringify(loadDate)}`);
    const { rawBucket } = this.options;
    const listed = await Promise.all(
      DAILY_FEEDS.map((feed) =>
        listKeysUnderPrefix(
          rawBucket,
          feed === 'zip_suppressions'
            ? ZIP_SUPPRESSIONS_KEY
            : feed === 'dispositions' || feed === 'suppressions' || feed === 'payment_requests'
              ? `${feed}/`
              : `${feed}/asof=${loadDate}/`,
        ),
      ),
    );
    const files = dailyFeedFiles(listed.flat(), loadDate);
    const snapshot = files.suppressions[0];
    const values = {
      load_date: sqlString(loadDate),
      first_date: sqlString(addDays(loadDate, -(DISPOSITION_HISTORY_DAYS - 1))),
      requests_first_date: sqlString(addDays(loadDate, -(PAYMENT_REQUEST_HISTORY_DAYS - 1))),
      // No register: a path no object has, so the view is empty (the facts step refuses to run without one).
      zip_register: sqlString(files.zip_suppressions[0] ? `s3://${rawBucket}/${files.zip_suppressions[0]}` : `s3://${rawBucket}/reference/none`),
      // No snapshot: a path no object has, so the view is empty (the facts step refuses to run without one).
      snapshot: sqlString(snapshot ? `s3://${rawBucket}/${snapshot}` : `s3://${rawBucket}/suppressions/none`),
    };
    for (const feed of DAILY_FEEDS) {
      await this.execute(await loadSql(`register/athena/${feed}_files.sql`, { location: sqlString(`s3://${rawBucket}/${feedFolder(feed)}/`) }));
      await this.execute(await loadSql(`register/athena/${dailyFeeds[feed].view}.sql`, values));
    }
    return files;
  }

  async unloadJsonLinesPartitioned(select: string, s3Prefix: string, partitionColumn: string): Promise<Map<string, string[]>> {
    const { bucket, key: prefix } = parseS3Uri(s3Prefix);
    const column = identifier(partitionColumn);
    // UNLOAD refuses a non-empty target.
    await deleteObjectsUnderPrefix(bucket, prefix);
    await this.execute(
      `UNLOAD (${select}) TO ${sqlString(s3Prefix).sql} ` + `WITH (format = 'JSON', compression = 'GZIP', partitioned_by = ARRAY['${column}'])`,
    );
    const partitions = new Map<string, string[]>();
    const keys = await listKeysUnderPrefix(bucket, prefix);
    await tagWrittenObjects(bucket, keys);
    for (const key of keys) {
      const folder = key.slice(prefix.length).split('/')[0]!;
      if (!folder.startsWith(`${column}=`)) continue;
      const value = folder.slice(column.length + 1);
      partitions.set(value, [...(partitions.get(value) ?? []), key]);
    }
    return partitions;
  }

  registerJsonLines(table: string, s3Prefix: string, columns: RegisteredColumns): Promise<void> {
    return this.registerExternal(table, s3Prefix, columns, "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'");
  }

  registerParquet(table: string, s3Prefix: string, columns: RegisteredColumns): Promise<void> {
    return this.registerExternal(table, s3Prefix, columns, 'STORED AS PARQUET');
  }

  private async registerExternal(table: string, s3Prefix: string, columns: RegisteredColumns, storage: string): Promise<void> {
    // Backquoted: Hive DDL reserves words such as `date` that a field may be named.
    const definitions = Object.entries(columns).map(([column, type]) => `\`${identifier(column)}\` ${HIVE_TYPES[type]}`);
    await this.execute(`DROP TABLE IF EXISTS ${identifier(table)}`);
    await this.execute(`CREATE EXTERNAL TABLE ${identifier(table)} (${definitions.join(', ')}) ${storage} LOCATION ${sqlString(s3Prefix).sql}`);
  }

  async defineView(view: string, select: string): Promise<void> {
    await this.execute(`CREATE OR REPLACE VIEW ${identifier(view)} AS ${select}`);
  }

  async publish(publication: Publication, tables: readonly string[]): Promise<void> {
    await this.ensureLakeTable(publicationsTable, publishedPrefix);
    await s3Client().send(
      new PutObjectCommand({
        Bucket: this.options.lakeBucket,
        Key: publicationKey(publication.loadDate),
        Body: publicationRecord(publication, new Date()),
        ContentType: 'application/json',
      }),
    );
    const [date, attempt] = attemptPartition(publication.loadDate, publication.attempt);
    for (const table of tables) {
      await this.ensureLakeTable(table);
      const datePrefix = `${lakeTablePrefix(table)}${partitionPath([date!])}/`;
      const keptPrefix = `${datePrefix}${partitionPath([attempt!])}/`;
      const keys = await listKeysUnderPrefix(this.options.lakeBucket, datePrefix);
      const kept = new Set(keys.filter((key) => key.startsWith(keptPrefix)));
      const staleAttempts = new Set(
        keys.filter((key) => !kept.has(key)).map((key) => key.slice(datePrefix.length).split('/')[0]!.slice(`${attempt!.column}=`.length)),
      );
      for (const value of staleAttempts) {
        await this.execute(`ALTER TABLE ${table} DROP IF EXISTS PARTITION (${partitionSpec([date!, { column: attempt!.column, value }])})`);
      }
      if (staleAttempts.size > 0) await deleteObjectsUnderPrefix(this.options.lakeBucket, datePrefix, kept);
    }
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }

  /** Creates the lake table from its DDL in sql/register/athena/ if needed; its location is `<prefix>` (default `<table>/`) in the lake. */
  private async ensureLakeTable(table: string, prefix = lakeTablePrefix(table)): Promise<void> {
    if (this.ensuredTables.has(table)) return;
    const location = sqlString(`s3://${this.options.lakeBucket}/${prefix}`);
    await this.execute(await loadSql(`register/athena/${table}.sql`, { location }));
    this.ensuredTables.add(table);
  }

  /** Runs a statement to completion; returns the rows it wrote (CTAS) or 0. */
  private async execute(statement: string): Promise<number> {
    const id = await this.startAndWait(statement);
    const page = await this.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: 1 }));
    return page.UpdateCount ?? 0;
  }

  /** Runs a statement to completion and reads all result pages (the header row of a SELECT removed). */
  private async run(statement: string): Promise<{ columns: ColumnInfo[]; rows: Row[] }> {
    const id = await this.startAndWait(statement);
    const execution = await this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const rows: Row[] = [];
    let columns: ColumnInfo[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: nextToken }));
      columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? columns;
      rows.push(...(page.ResultSet?.Rows ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    // Athena repeats the column names as the first row of a SELECT's result.
    if (execution.QueryExecution?.StatementType === 'DML') rows.shift();
    return { columns, rows };
  }

  private async startAndWait(statement: string): Promise<string> {
    const { QueryExecutionId: id } = await this.client.send(
      new StartQueryExecutionCommand({
        QueryString: statement,
        WorkGroup: this.options.workgroup,
        QueryExecutionContext: { Database: this.options.database },
      }),
    );
    if (!id) throw new Error('Athena StartQueryExecution returned no query execution id');
    for (let wait = FIRST_POLL_MS; ; wait = Math.min(wait * 2, MAX_POLL_MS)) {
      const { QueryExecution } = await this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = QueryExecution?.Status?.State;
      if (state === 'SUCCEEDED') return id;
      if (state === 'FAILED' || state === 'CANCELLED') {
        const reason = QueryExecution?.Status?.StateChangeReason ?? 'no reason given';
        throw new Error(`Athena query ${id} ${state}: ${reason} (statement: ${summarize(statement)})`);
      }
      await this.sleep(wait);
    }
  }
}

/** `column = 'value', …` of ALTER TABLE … PARTITION (…). */
function partitionSpec(partition: readonly PartitionKey[]): string {
  return partition.map(({ column, value }) => `${identifier(column)} = ${sqlString(value).sql}`).join(', ');
}

function parquetProperties(location: string): string {
  return `format = 'PARQUET', write_compression = 'ZSTD', external_location = ${sqlString(location).sql}`;
}

const NUMERIC_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'double', 'float', 'real', 'decimal']);

function convert(column: ColumnInfo, value: string | undefined): unknown {
  if (value === undefined) return null;
  const type = (column.Type ?? 'varchar').toLowerCase();
  if (type === 'boolean') return value === 'true';
  if (NUMERIC_TYPES.has(type)) return Number(value);
  return value;
}

function summarize(statement: string): string {
  const text = statement.replace(/\s+/g, ' ').trim();
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** The Hive DDL names of the registered columns' types (DDL spells an integer `int`). */
const HIVE_TYPES = { string: 'string', integer: 'int', bigint: 'bigint', boolean: 'boolean' } as const;
