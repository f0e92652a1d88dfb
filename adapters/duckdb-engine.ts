import { createReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection } from '@duckdb/node-api';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Client, parseS3Uri } from './aws-clients.ts';
import { deleteObjectsUnderPrefix } from './s3-prefix.ts';
import { consentFeeds, type ConsentFeedLayout } from '../domain/consent-feeds.ts';
import type { SqlEngine } from './sql-engine.ts';
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
 * `<home>/lake/<table>/<partition column>=<value>/data.parquet`, exposed as views over all partitions.
 */
export class DuckDbEngine implements SqlEngine {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly options: DuckDbEngineOptions,
    private readonly database: string,
  ) {}

  static async open(options: DuckDbEngineOptions): Promise<DuckDbEngine> {
    const tmp = join(options.home, 'tmp');
    await mkdir(tmp, { recursive: true });
    // A file-backed scratch database (deleted on close), not ':memory:': its tables can be evicted to
    // disk, so a ~1 GB feed set fits in the memory limit.
    const database = join(tmp, `work-${randomUUID()}.duckdb`);
    const instance = await DuckDBInstance.create(database, {
      threads: '2',
      memory_limit: options.memoryLimit ?? '1GB',
      temp_directory: join(tmp, 'duckdb'),
      preserve_insertion_order: 'false',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    const connection = await instance.connect();
    const engine = new DuckDbEngine(instance, connection, options, database);
    await engine.registerCompatibility();
    await engine.registerLakeTables();
    return engine;
  }

  /** Functions the shared SQL uses under their Trino name. */
  private async registerCompatibility(): Promise<void> {
    // Trino's regexp_like is DuckDB's regexp_matches: both true when the pattern matches anywhere.
    await this.connection.run('CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)');
  }

  private get lakeDir(): string {
    return join(this.options.home, 'lake');
  }

  private async registerLakeTables(): Promise<void> {
    for (const table of await listDirectory(this.lakeDir)) {
      const partitions = await listDirectory(join(this.lakeDir, table));
      const column = partitions.map((name) => name.split('=')[0]).find(Boolean);
      if (column) await this.registerLakeTable(table, column);
    }
  }

  private async registerLakeTable(table: string, partitionColumn: string): Promise<void> {
    const glob = join(this.lakeDir, table, `${partitionColumn}=*`, 'data.parquet');
    await this.connection.run(
      `CREATE OR REPLACE VIEW ${identifier(table)} AS SELECT * FROM read_parquet(${literal(glob)}, ` +
        `hive_partitioning = true, hive_types = {${literal(partitionColumn)}: 'DATE'})`,
    );
  }

  async registerRawSources(): Promise<void> {
    const dataDir = this.options.dataDir;
    if (!dataDir) throw new Error('DuckDB engine: no data directory (OUTBOUND_DATA) to read the consent feeds from');
    for (const feed of consentFeeds) {
      const folder = join(dataDir, feed.folder);
      const files = (await listDirectory(folder))
        .filter((name) => name.startsWith(feed.filePrefix) && name.endsWith('.csv.gz'))
        .map((name) => join(folder, name));
      await Promise.all(files.map((file) => checkHeader(file, feed)));
      const columns = feed.columns.map((column) => `${literal(column)}: 'VARCHAR'`).join(', ');
      const source =
        files.length === 0
          ? `SELECT ${feed.columns.map((column) => `CAST(NULL AS VARCHAR) AS ${column}`).join(', ')}, ` +
            'CAST(NULL AS VARCHAR) AS source_file WHERE false'
          : // Same reading as Athena's LazySimpleSerDe: no quoting, missing trailing fields NULL, extra fields ignored.
            `SELECT ${feed.columns.join(', ')}, substr(filename, ${join(dataDir, '/').length + 1}) AS source_file ` +
            `FROM read_csv([${files.map(literal).join(', ')}], columns = {${columns}}, delim = '|', quote = '', ` +
            `escape = '', header = true, auto_detect = false, null_padding = true, strict_mode = false, filename = true)`;
      await this.connection.run(`CREATE OR REPLACE VIEW ${feed.view} AS ${source}`);
    }
  }

  async createTransient(table: string, select: string): Promise<number> {
    await this.connection.run(`CREATE OR REPLACE TEMP TABLE ${identifier(table)} AS ${select}`);
    const [row] = await this.query<{ rows: number }>(`SELECT count(*) AS rows FROM ${identifier(table)}`);
    return row!.rows;
  }

  async writePartition(table: string, partitionColumn: string, partitionValue: string, select: string): Promise<number> {
    const tableDir = join(this.lakeDir, identifier(table));
    const partitionDir = join(tableDir, `${identifier(partitionColumn)}=${partitionValue}`);
    const staging = join(tableDir, `.staging-${randomUUID()}.parquet`);
    await mkdir(partitionDir, { recursive: true });
    try {
      const result = await this.connection.run(
        `COPY (${select}) TO ${literal(staging)} (FORMAT PARQUET, COMPRESSION ZSTD)`,
      );
      const rows = Number((await result.getRows())[0]?.[0] ?? 0);
      await rename(staging, join(partitionDir, 'data.parquet'));
      await this.registerLakeTable(table, partitionColumn);
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
      const present = await stat(join(this.lakeDir, table, name, 'data.parquet')).then(
        () => true,
        () => false,
      );
      if (present) values.push(name.slice(prefix.length));
    }
    return values.sort();
  }

  async query<T = Record<string, unknown>>(select: string): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(select);
    const bigColumns = reader
      .columnNames()
      .filter((_, index) => BIG_INTEGER_TYPES.has(reader.columnTypeId(index)));
    const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
    for (const row of rows) {
      for (const column of bigColumns) if (row[column] !== null) row[column] = Number(row[column]);
    }
    return rows as T[];
  }

  async unloadJsonLines(select: string, s3Prefix: string): Promise<string[]> {
    const { bucket, key: prefix } = parseS3Uri(s3Prefix);
    const file = join(this.options.home, 'tmp', `${randomUUID()}.jsonl.gz`);
    const key = `${prefix}part-00000.jsonl.gz`;
    try {
      await this.connection.run(`COPY (${select}) TO ${literal(file)} (FORMAT JSON, COMPRESSION GZIP)`);
      // A Buffer body, not a stream: streamed uploads use aws-chunked encoding, which s3rver stores verbatim.
      await s3Client().send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: await readFile(file), ContentType: 'application/gzip' }),
      );
    } finally {
      await rm(file, { force: true });
    }
    await deleteObjectsUnderPrefix(bucket, prefix, new Set([key]));
    return [key];
  }

  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
    await Promise.all([rm(this.database, { force: true }), rm(`${this.database}.wal`, { force: true })]);
  }
}

const BIG_INTEGER_TYPES = new Set([DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT]);

async function listDirectory(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The bronze SQL reads fields by position, so every file must carry the header of §3.1 in that order. */
async function checkHeader(file: string, feed: ConsentFeedLayout): Promise<void> {
  const header = await firstLine(file);
  const expected = feed.columns.join('|');
  if (header.replace(/^\uFEFF/, '').trim() !== expected) {
    throw new Error(`consent file ${file}: header ${JSON.stringify(header)} is not the ${feed.feed} header ${JSON.stringify(expected)}`);
  }
}

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
