import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createGunzip, createGzip } from 'node:zlib';
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection } from '@duckdb/node-api';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client, parseS3Uri } from './aws-clients.ts';
import { lakeObjectTagging } from './lake-retention.ts';
import { deleteObjectsUnderPrefix, listKeysUnderPrefix } from './s3-prefix.ts';
import { consentFeeds, selectableColumns, type ConsentFeedFile } from '../domain/consent/consent-feeds.ts';
import { DAILY_FEEDS, dailyFeedFiles, dailyFeeds, feedFolder, type DailyFeed } from '../domain/feeds/daily-feeds.ts';
import { dispositionsDate, paymentRequestsDate } from '../domain/feeds/daily-inputs.ts';
import { lakeTablePrefix, publishedPrefix } from '../domain/run/run-layout.ts';
import {
  attemptPartition,
  partitionColumnType,
  partitionPath,
  publicationColumns,
  publicationKey,
  publicationRecord,
  publicationsTable,
  type RegisteredColumns,
  type PartitionKey,
  type Publication,
  type SqlEngine,
} from './sql-engine.ts';
import { identifier } from '../sql/sql-files.ts';

export interface DuckDbEngineOptions {
  /** Home directory: the lake lives under `<home>/lake`, DuckDB spills under `<home>/tmp`. */
  home: string;
  /** Landing zone directory holding `consent/...`; needed only by `registerRawSources`. */
  dataDir?: string;
  /** DuckDB memory limit (default 1GB; the local daily run must stay under 2 GB). */
  memoryLimit?: string;
}

/**
 * DuckDB implementation of the SQL engine (local runs). Lake tables are Parquet files
 * `<home>/lake/<table>/<partition column>=<value>/[…/]data.parquet`, exposed as views over all partitions.
 * The lake directory also holds the publication objects (`published/`, the local counterpart of the
 * lake bucket's prefix) and the persistent views' definitions (`_views/<view>.sql`).
 */
export class DuckDbEngine implements SqlEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly options: DuckDbEngineOptions,
    /** This engine's scratch folder (see `open`). */
    private readonly scratch: string,
  ) {}

  static async open(options: DuckDbEngineOptions): Promise<DuckDbEngine> {
    const tmp = join(options.home, 'tmp');
    await removeScratchOfDeadProcesses(tmp);
    // Everything this engine writes to disk besides the lake — the scratch database, DuckDB's spill files,
    // the copies of objects it reads, the unloads it stages: rows of the feeds, PII among them — lives in
    // one folder per engine, under one per process; close removes it, and the next engine to open removes
    // what a killed process left.
    const scratch = join(tmp, `${SCRATCH_PREFIX}${process.pid}`, randomUUID());
    await mkdir(scratch, { recursive: true });
    // A file-backed scratch database, not ':memory:': its tables can be evicted to disk, so a ~1 GB feed
    // set fits in the memory limit.
    const database = join(scratch, `${SCRATCH_DATABASE}.duckdb`);
    const instance = await DuckDBInstance.create(database, {
      threads: '2',
      memory_limit: options.memoryLimit ?? '1GB',
      temp_directory: join(scratch, 'spill'),
      preserve_insertion_order: 'false',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const connection = await instance.connect();
    const engine = new DuckDbEngine(instance, connection, options, scratch);
    await engine.registerCompatibility();
    await engine.registerLakeTables();
    return engine;
  }

  /** Functions the shared SQL uses under their Trino name. */
  private async registerCompatibility(): Promise<void> {
    // Trino's regexp_like is DuckDB's regexp_matches: both true when the pattern matches anywhere.
    await this.connection.run('CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)');
    // Trino's regexp_replace replaces every match; DuckDB's only the first unless told 'g'.
    await this.connection.run("CREATE OR REPLACE MACRO regexp_replace(s, p, r) AS system.main.regexp_replace(s, p, r, 'g')");
    // The shard hash (docs/customer-facts.md) in Trino's terms: to_utf8 gives the bytes, md5 takes and
    // returns bytes (DuckDB's own md5 returns hex text, so this macro shadows it), from_base reads hex.
    await this.connection.run('CREATE OR REPLACE MACRO to_utf8(s) AS encode(s)');
    await this.connection.run('CREATE OR REPLACE MACRO md5(b) AS unhex(system.main.md5(b))');
    await this.connection.run(
      "CREATE OR REPLACE MACRO from_base(s, radix) AS CASE WHEN radix = 16 THEN CAST('0x' || s AS BIGINT) " +
        "ELSE error('from_base: only radix 16 is supported here') END",
    );
  }

  private get lakeDir(): string {
    return join(this.options.home, 'lake');
  }

  private async registerLakeTables(): Promise<void> {
    for (const table of await listDirectory(this.lakeDir)) {
      if (table === PUBLISHED_DIR || table === VIEWS_DIR) continue;
      const columns = await partitionColumnsOf(join(this.lakeDir, table));
      if (columns.length > 0) await this.registerLakeTable(table, columns);
    }
    await this.registerPublications();
    const viewsDir = join(this.lakeDir, VIEWS_DIR);
    for (const file of await listDirectory(viewsDir)) {
      if (file.endsWith('.sql')) await this.createView(file.slice(0, -'.sql'.length), await readFile(join(viewsDir, file), 'utf8'));
    }
  }

  private async registerLakeTable(table: string, partitionColumns: readonly string[]): Promise<void> {
    const glob = join(this.lakeDir, table, ...partitionColumns.map((column) => `${column}=*`), 'data.parquet');
    const types = partitionColumns.map((column) => `${literal(column)}: '${partitionColumnType(column) === 'date' ? 'DATE' : 'VARCHAR'}'`);
    await this.connection.run(
      `CREATE OR REPLACE VIEW ${identifier(table)} AS SELECT * FROM read_parquet(${literal(glob)}, ` +
        `hive_partitioning = true, hive_types = {${types.join(', ')}})`,
    );
  }

  /** `publications` over the publication objects; the glob is expanded by each query, so later publications show. */
  private async registerPublications(): Promise<void> {
    const dir = join(this.lakeDir, PUBLISHED_DIR);
    const present = (await listDirectory(dir)).some((name) => name.endsWith('.json'));
    const columns = publicationColumns.map((column) => `${literal(column)}: 'VARCHAR'`).join(', ');
    const source = present
      ? `SELECT ${publicationColumns.join(', ')} FROM read_json(${literal(join(dir, '*.json'))}, columns = {${columns}}, format = 'newline_delimited')`
      : `SELECT ${publicationColumns.map((column) => `CAST(NULL AS VARCHAR) AS ${column}`).join(', ')} WHERE false`;
    await this.connection.run(`CREATE OR REPLACE VIEW ${publicationsTable} AS ${source}`);
  }

  private async createView(view: string, select: string): Promise<void> {
    await this.connection.run(`CREATE OR REPLACE VIEW ${identifier(view)} AS ${select}`);
  }

  async registerRawSources(files: readonly ConsentFeedFile[]): Promise<void> {
    const dataDir = this.options.dataDir;
    if (!dataDir) throw new Error('DuckDB engine: no data directory (OUTBOUND_DATA) to read the consent feeds from');
    for (const layout of consentFeeds) {
      const keys = files.filter((file) => file.feed === layout.feed).map((file) => file.key);
      const paths = keys.map((key) => join(dataDir, key));
      await Promise.all(keys.map((key) => checkHeader(dataDir, key, layout.feed, layout.columns)));
      // The SSN and name columns are declared (fields are read by position) but never selected.
      const kept = selectableColumns(layout);
      const source =
        paths.length === 0
          ? `SELECT ${kept.map((column) => `CAST(NULL AS VARCHAR) AS ${column}`).join(', ')}, CAST(NULL AS VARCHAR) AS source_file WHERE false`
          : `SELECT ${kept.join(', ')}, substr(filename, ${join(dataDir, '/').length + 1}) AS source_file ` +
            `FROM ${readPipeDelimited(paths, layout.columns, { quoted: true })}`;
      await this.connection.run(`CREATE OR REPLACE VIEW ${layout.view} AS ${source}`);
    }
  }

  async registerFeeds(loadDate: string): Promise<Record<DailyFeed, string[]>> {
    const dataDir = this.options.dataDir;
    if (!dataDir) throw new Error('DuckDB engine: no data directory (OUTBOUND_DATA) to read the feeds from');
    const keys = (
      await Promise.all(
        [...new Set(DAILY_FEEDS.map(feedFolder))].map(async (folder) =>
          ((await readdir(join(dataDir, folder), { recursive: true }).catch(() => [])) as string[]).map((name) => `${folder}/${name}`),
        ),
      )
    ).flat();
    const files = dailyFeedFiles(keys, loadDate);
    for (const feed of DAILY_FEEDS) {
      const { view, columns } = dailyFeeds[feed];
      const extra = feed === 'dispositions' ? ['attempt_date'] : feed === 'payment_requests' ? ['request_date'] : [];
      let source: string;
      if (files[feed].length === 0) {
        const flags = feed === 'custom_fields' ? 'CAST(NULL AS BOOLEAN) AS is_json, ' : 'CAST(NULL AS VARCHAR) AS row_problem, ';
        source =
          `SELECT ${[...columns, ...extra].map((column) => `CAST(NULL AS VARCHAR) AS ${column}`).join(', ')}, ${flags}` +
          'CAST(NULL AS VARCHAR) AS source_file, CAST(NULL AS BIGINT) AS source_line WHERE false';
      } else if (feed === 'custom_fields') {
        // Each line as text (no JSON line holds a raw U+0001), parsed as Athena's view does: a line that is not
        // JSON has no fields and the account its text names, if any (the facts SQL quarantines that account).
        source = files[feed]
          .map(
            (key) =>
              "SELECT CASE WHEN json_valid(line) THEN json_extract_string(line, '$.account_number') " +
              `ELSE nullif(regexp_extract(line, ${literal(BROKEN_LINE_ACCOUNT)}, 1), '') END AS account_number, ` +
              "CASE WHEN json_valid(line) THEN CAST(json_extract(line, '$.fields') AS VARCHAR) END AS fields_json, " +
              'json_valid(line) AS is_json, ' +
              `${literal(key)} AS source_file, ordinality AS source_line ` +
              `FROM read_csv([${literal(join(dataDir, key))}], columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', ` +
              "escape = '', header = false, auto_detect = false, strict_mode = false) WITH ORDINALITY WHERE trim(coalesce(line, '')) <> ''",
          )
          .join(' UNION ALL ');
      } else {
        await Promise.all(files[feed].map((key) => checkHeader(dataDir, key, feed, columns)));
        // One read per file, so that a row's line is its file's (the header is line 1). An empty field reads as
        // '' and a missing one as NULL, as in Athena's text tables; one more column than the feed has catches
        // the fields past the last: row_problem tells a short or long row (docs/customer-facts.md).
        const last = columns.at(-1)!;
        source = files[feed]
          .map((key) => {
            const date =
              extra.length > 0 ? `, ${literal((feed === 'dispositions' ? dispositionsDate(key) : paymentRequestsDate(key)) ?? '')} AS ${extra[0]}` : '';
            return (
              `SELECT ${columns.join(', ')}${date}, ${literal(key)} AS source_file, ordinality + 1 AS source_line, ` +
              `CASE WHEN ${last} IS NULL THEN 'TOO_FEW_FIELDS' WHEN ${EXTRA_FIELDS} IS NOT NULL THEN 'TOO_MANY_FIELDS' END AS row_problem ` +
              `FROM ${readPipeDelimited([join(dataDir, key)], [...columns, EXTRA_FIELDS], { filename: false, emptyIsText: true })} WITH ORDINALITY`
            );
          })
          .join(' UNION ALL ');
      }
      await this.connection.run(`CREATE OR REPLACE VIEW ${view} AS ${source}`);
    }
    return files;
  }

  async createTransient(table: string, select: string, options: { large?: boolean } = {}): Promise<number> {
    // A temporary table is kept uncompressed and spills as such; a table of the scratch database is written
    // compressed, column by column, and evicted to its file: for tens of millions of rows under a 1 GB limit,
    // reading it back costs far less than the spilled temporary table (docs/consent-sql.md "Performance").
    // A name held by a table of the other kind is dropped first: a temporary table shadows a scratch one.
    const [kind, other] = options.large ? ['', 'temp.main'] : ['TEMP ', `${SCRATCH_DATABASE}.main`];
    await this.connection.run(`DROP TABLE IF EXISTS ${other}.${identifier(table)}`);
    await this.connection.run(`CREATE OR REPLACE ${kind}TABLE ${identifier(table)} AS ${select}`);
    const [row] = await this.query<{ rows: number }>(`SELECT count(*) AS rows FROM ${identifier(table)}`);
    return row!.rows;
  }

  writePartition(table: string, partitionColumn: string, partitionValue: string, select: string): Promise<number> {
    return this.writePartitionAt(table, [{ column: partitionColumn, value: partitionValue }], select);
  }

  async writePartitionAt(table: string, partition: readonly PartitionKey[], select: string): Promise<number> {
    const tableDir = join(this.lakeDir, lakeTablePrefix(table));
    const partitionDir = join(tableDir, partitionPath(partition));
    const staging = join(tableDir, `.staging-${randomUUID()}.parquet`);
    await mkdir(partitionDir, { recursive: true });
    try {
      const result = await this.connection.run(`COPY (${select}) TO ${literal(staging)} (FORMAT PARQUET, COMPRESSION SNAPPY)`);
      const rows = Number((await result.getRows())[0]?.[0] ?? 0);
      await rename(staging, join(partitionDir, 'data.parquet'));
      await this.registerLakeTable(
        table,
        partition.map(({ column }) => column),
      );
      return rows;
    } finally {
      await rm(staging, { force: true });
    }
  }

  async partitionValues(table: string, partitionColumn: string): Promise<string[]> {
    const prefix = `${partitionColumn}=`;
    const values: string[] = [];
    for (const name of await listDirectory(join(this.lakeDir, table))) {
      if (!name.startsWith(prefix)) continue;
      // A table partitioned by several columns (load_date, attempt) has its data in the inner partitions.
      if (await holdsData(join(this.lakeDir, table, name))) values.push(name.slice(prefix.length));
    }
    return values.sort();
  }

  async query<T = Record<string, unknown>>(select: string): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(select);
    const bigColumns = reader.columnNames().filter((_, index) => BIG_INTEGER_TYPES.has(reader.columnTypeId(index)));
    const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
    for (const row of rows) {
      for (const column of bigColumns) if (row[column] !== null) row[column] = Number(row[column]);
    }
    return rows as T[];
  }

  async unloadJsonLines(select: string, s3Prefix: string): Promise<string[]> {
    const { bucket, key: prefix } = parseS3Uri(s3Prefix);
    const file = join(this.scratch, `${randomUUID()}.jsonl`);
    let keys: string[];
    try {
      // Uncompressed, then gzip level 1 in Node: DuckDB's gzip writer is several times slower. A large unload
      // (a first consent load: 5 M lines, 1.8 GB) is cut at line ends into parts of about UNLOAD_PART_BYTES,
      // in order, compressed and uploaded two at a time; the cut depends only on the text, so a re-run writes
      // the same parts.
      await this.connection.run(`COPY (${select}) TO ${literal(file)} (FORMAT JSON)`);
      const ranges = await lineAlignedRanges(file, UNLOAD_PART_BYTES);
      keys = ranges.map((_, index) => `${prefix}part-${String(index).padStart(5, '0')}.jsonl.gz`);
      await forEachLimit(ranges, UPLOAD_CONCURRENCY, (range, index) => uploadGzipped({ file, ...range }, bucket, keys[index]!));
    } finally {
      await rm(file, { force: true });
    }
    await deleteObjectsUnderPrefix(bucket, prefix, new Set(keys));
    return keys;
  }

  async unloadParquet(select: string, s3Prefix: string): Promise<string[]> {
    const { bucket, key: prefix } = parseS3Uri(s3Prefix);
    const file = join(this.scratch, `${randomUUID()}.parquet`);
    const key = `${prefix}part-00000.parquet`;
    try {
      // One file: DuckDB writes an ordered Parquet file on every thread (an ordered JSON file on one), and the
      // reader takes it row group by row group.
      await this.connection.run(`COPY (${select}) TO ${literal(file)} (FORMAT PARQUET, COMPRESSION SNAPPY)`);
      await putLakeObject(bucket, key, await readFile(file), 'application/vnd.apache.parquet');
    } finally {
      await rm(file, { force: true });
    }
    await deleteObjectsUnderPrefix(bucket, prefix, new Set([key]));
    return [key];
  }

  async unloadJsonLinesPartitioned(select: string, s3Prefix: string, partitionColumn: string): Promise<Map<string, string[]>> {
    const { bucket, key: prefix } = parseS3Uri(s3Prefix);
    const column = identifier(partitionColumn);
    const names = (await this.query<{ column_name: string }>(`DESCRIBE (${select}\n)`)).map((row) => identifier(row.column_name));
    if (names.at(-1) !== column) throw new Error(`unloadJsonLinesPartitioned: ${column} must be the last column of the select`);
    const line = `json_object(${names
      .slice(0, -1)
      .map((name) => `${literal(name)}, ${name}`)
      .join(', ')})`;
    const dir = join(this.scratch, `unload-${randomUUID()}`);
    const written = new Map<string, string[]>();
    try {
      // COPY … (FORMAT JSON) has no PARTITION_BY: each row becomes one JSON text (the same text COPY … JSON
      // writes), written in one pass as a single-field "CSV" without quoting (no JSON text holds a raw U+0001),
      // partitioned by the column. Node compresses the parts (gzip level 1, ~5× faster than DuckDB's gzip).
      await this.connection.run(
        `COPY (SELECT ${line} AS line, ${column} FROM (${select}\n) unloaded) TO ${literal(dir)} ` +
          `(FORMAT CSV, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\u0001', PARTITION_BY (${column}))`,
      );
      const parts: { file: string; key: string }[] = [];
      for (const folder of await listDirectory(dir)) {
        const value = folder.slice(`${column}=`.length);
        const files = await listDirectory(join(dir, folder));
        const keys = files.map((_, index) => `${prefix}${partitionPath([{ column, value }])}/part-${String(index).padStart(5, '0')}.jsonl.gz`);
        written.set(value, keys);
        parts.push(...files.map((file, index) => ({ file: join(dir, folder, file), key: keys[index]! })));
      }
      await forEachLimit(parts, UPLOAD_CONCURRENCY, async ({ file, key }) => {
        await uploadGzipped({ file }, bucket, key);
        await rm(file, { force: true });
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await deleteObjectsUnderPrefix(bucket, prefix, new Set([...written.values()].flat()));
    return written;
  }

  registerJsonLines(table: string, s3Prefix: string, columns: RegisteredColumns): Promise<void> {
    return this.registerObjects(
      table,
      s3Prefix,
      columns,
      '.jsonl.gz',
      (files, typed) =>
        `SELECT ${typed.map(([column]) => column).join(', ')} FROM read_json([${files.map(literal).join(', ')}], ` +
        `columns = {${typed.map(([column, type]) => `${literal(column)}: '${type}'`).join(', ')}}, ` +
        `format = 'newline_delimited', compression = 'gzip')`,
    );
  }

  registerParquet(table: string, s3Prefix: string, columns: RegisteredColumns): Promise<void> {
    return this.registerObjects(
      table,
      s3Prefix,
      columns,
      '.parquet',
      (files, typed) =>
        `SELECT ${typed.map(([column, type]) => `CAST(${column} AS ${type}) AS ${column}`).join(', ')} FROM read_parquet([${files.map(literal).join(', ')}])`,
    );
  }

  private async registerObjects(
    table: string,
    s3Prefix: string,
    columns: RegisteredColumns,
    extension: string,
    read: (files: string[], typed: (readonly [string, string])[]) => string,
  ): Promise<void> {
    const { bucket, key: prefix } = parseS3Uri(s3Prefix);
    const keys = await listKeysUnderPrefix(bucket, prefix);
    const typed = Object.entries(columns).map(([column, type]) => [identifier(column), JSON_LINES_TYPES[type]] as const);
    // DuckDB cannot reach S3 here (no httpfs): the objects are copied to a scratch folder, read into a temp table, removed.
    const dir = join(this.scratch, randomUUID());
    await mkdir(dir, { recursive: true });
    try {
      const files = keys.map((_, index) => join(dir, `${index}${extension}`));
      await forEachLimit(keys, DOWNLOAD_CONCURRENCY, async (key, index) => {
        const object = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        await writeFile(files[index]!, await object.Body!.transformToByteArray());
      });
      const source =
        files.length === 0 ? `SELECT ${typed.map(([column, type]) => `CAST(NULL AS ${type}) AS ${column}`).join(', ')} WHERE false` : read(files, typed);
      await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${identifier(table)} AS ${source}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async defineView(view: string, select: string): Promise<void> {
    await this.createView(view, select);
    await writeAtomically(join(this.lakeDir, VIEWS_DIR, `${identifier(view)}.sql`), select);
  }

  async publish(publication: Publication, tables: readonly string[]): Promise<void> {
    // The rename is the local counterpart of the single PUT: readers see the old object or the new one.
    await writeAtomically(join(this.lakeDir, publicationKey(publication.loadDate)), publicationRecord(publication, new Date()));
    await this.registerPublications();
    const [date, attempt] = attemptPartition(publication.loadDate, publication.attempt);
    const kept = partitionPath([attempt!]);
    for (const table of tables) {
      const dateDir = join(this.lakeDir, lakeTablePrefix(table), partitionPath([date!]));
      for (const name of await listDirectory(dateDir)) {
        if (name !== kept) await rm(join(dateDir, name), { recursive: true, force: true });
      }
    }
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    await rm(this.scratch, { recursive: true, force: true });
  }
}

/** Scratch folders are `<home>/tmp/proc-<pid>/<engine>/`. */
const SCRATCH_PREFIX = 'proc-';

/** Removes the scratch folders of processes that no longer run (killed before their engines closed). */
async function removeScratchOfDeadProcesses(tmp: string): Promise<void> {
  for (const name of await listDirectory(tmp)) {
    const pid = name.startsWith(SCRATCH_PREFIX) ? Number(name.slice(SCRATCH_PREFIX.length)) : Number.NaN;
    if (Number.isInteger(pid) && pid > 0 && !isRunning(pid)) await rm(join(tmp, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const BIG_INTEGER_TYPES = new Set([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);

/** Entries of the lake directory that are not tables. */
const PUBLISHED_DIR = publishedPrefix.slice(0, -1);
const VIEWS_DIR = '_views';
const JSON_LINES_TYPES = { string: 'VARCHAR', integer: 'INTEGER', bigint: 'BIGINT', boolean: 'BOOLEAN' } as const;
const DOWNLOAD_CONCURRENCY = 8;
const UPLOAD_CONCURRENCY = 2;

/** The partition columns of a table directory, outermost first, read from its first partition path. */
async function partitionColumnsOf(tableDir: string): Promise<string[]> {
  const columns: string[] = [];
  let dir = tableDir;
  for (;;) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const next = entries
      .filter((entry) => entry.isDirectory() && /^[a-z_][a-z0-9_]*=/.test(entry.name))
      .map((entry) => entry.name)
      .sort()[0];
    if (!next) return columns;
    columns.push(next.slice(0, next.indexOf('=')));
    dir = join(dir, next);
  }
}

/** Unloads are cut into parts of about this size (uncompressed), so that two compress at once. */
const UNLOAD_PART_BYTES = 128 * 2 ** 20;

/**
 * `file` cut into consecutive byte ranges of about `partBytes` each, every cut just after a line feed; one
 * range for a smaller file, the whole (empty) file for an empty one. `end` is inclusive, as `createReadStream`
 * takes it.
 */
export async function lineAlignedRanges(file: string, partBytes: number): Promise<{ start: number; end: number | undefined }[]> {
  const { size } = await stat(file);
  const handle = await open(file, 'r');
  try {
    const ranges: { start: number; end: number | undefined }[] = [];
    const buffer = Buffer.alloc(64 * 1024);
    let start = 0;
    while (start < size) {
      let cut = Math.min(start + partBytes, size);
      // The cut moves forward to just after the next line feed (the file ends with one).
      while (cut < size) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, cut - 1);
        const newline = buffer.subarray(0, bytesRead).indexOf(0x0a);
        if (newline >= 0) {
          cut += newline;
          break;
        }
        cut += bytesRead;
      }
      ranges.push({ start, end: cut - 1 });
      start = cut;
    }
    return ranges.length > 0 ? ranges : [{ start: 0, end: undefined }];
  } finally {
    await handle.close();
  }
}

/** Compresses `file` (or the bytes `start`..`end` of it; gzip level 1) and PUTs it as `key`. */
async function uploadGzipped(source: { file: string; start?: number; end?: number }, bucket: string, key: string): Promise<void> {
  // Streamed through the compressor: an unloaded file can be hundreds of MB, its gzip a tenth of that.
  const compressed = `${source.file}.${randomUUID()}.gz`;
  try {
    await pipeline(createReadStream(source.file, { start: source.start, end: source.end }), createGzip({ level: 1 }), createWriteStream(compressed));
    await putLakeObject(bucket, key, await readFile(compressed), 'application/gzip');
  } finally {
    await rm(compressed, { force: true });
  }
}

/** A Buffer body, not a stream: streamed uploads use aws-chunked encoding, which s3rver stores verbatim. */
async function putLakeObject(bucket: string, key: string, body: Buffer, contentType: string): Promise<void> {
  await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, Tagging: lakeObjectTagging(key) }));
}

/** Writes a file through a temporary name and a rename, so readers never see it half-written. */
async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
}

async function forEachLimit<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function listDirectory(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * The SQL reads fields by position, so every file must carry its feed's header (§3.1, docs/feeds.md) in that
 * order: fails, naming the feed and the landing-zone key `file`, when its first line is not that header.
 */
async function checkHeader(dataDir: string, file: string, feed: string, columns: readonly string[]): Promise<void> {
  // zlib's error alone (`incorrect header check`) names neither the feed nor the file.
  const header = await firstLine(join(dataDir, file)).catch((error: NodeJS.ErrnoException) => {
    if (!error.code?.startsWith('Z_')) throw error;
    throw new Error(`${feed} file ${file} cannot be read as gzip (zlib: ${error.message})`);
  });
  const expected = columns.join('|');
  if (header.replace(/^\uFEFF/, '').trim() !== expected) {
    throw new Error(`${feed} file ${file}: header ${JSON.stringify(header)} is not the ${feed} header ${JSON.stringify(expected)}`);
  }
}

/** The scratch database's name, and its file's. */
const SCRATCH_DATABASE = 'work';

/** The account a custom-field line that is not JSON names (the same pattern as sql/register/athena/custom_fields_raw.sql). */
const BROKEN_LINE_ACCOUNT = '"account_number"\\s*:\\s*"([^"]*)"';

/**
 * `read_csv(…)` of pipe-delimited gzip files with a header row, every column text, read by position like
 * Athena's text tables: missing trailing fields NULL, extra fields ignored. The consent exports may quote a
 * field holding `|` (§3.1, `"`, doubled inside); the §3.2 feeds are read without quoting (LazySimpleSerDe).
 */
function readPipeDelimited(
  files: readonly string[],
  columns: readonly string[],
  options: { quoted?: boolean; filename?: boolean; emptyIsText?: boolean } = {},
): string {
  const types = columns.map((column) => `${literal(column)}: 'VARCHAR'`).join(', ');
  const quoting = options.quoted ? `quote = '"', escape = '"'` : `quote = '', escape = ''`;
  // nullstr: no field is U+0001, so an empty field is '' and only a missing one NULL.
  const empty = options.emptyIsText ? ', nullstr = chr(1)' : '';
  return (
    `read_csv([${files.map(literal).join(', ')}], columns = {${types}}, delim = '|', ${quoting}, header = true, ` +
    `auto_detect = false, null_padding = true, strict_mode = false, filename = ${options.filename ?? true}${empty})`
  );
}

/** The column both engines declare past a §3.2 feed's last one: not NULL when a row has more fields than the feed. */
const EXTRA_FIELDS = 'extra_fields';

async function firstLine(file: string): Promise<string> {
  const stream = createReadStream(file).pipe(createGunzip());
  let text = '';
  try {
    for await (const chunk of stream) {
      text += (chunk as Buffer).toString('utf8');
      const end = text.indexOf('\n');
      if (end >= 0) return text.slice(0, end);
      if (text.length > 65_536) break;
    }
  } finally {
    stream.destroy();
  }
  return text;
}

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** Whether a partition folder holds a `data.parquet`, itself or in one of its inner partition folders (`column=value`). */
async function holdsData(dir: string): Promise<boolean> {
  const present = await stat(join(dir, 'data.parquet')).then(
    () => true,
    () => false,
  );
  if (present) return true;
  for (const name of await listDirectory(dir)) {
    if (name.includes('=') && (await holdsData(join(dir, name)))) return true;
  }
  return false;
}
