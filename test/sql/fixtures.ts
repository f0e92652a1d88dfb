import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { consentFeeds } from '../../domain/consent-feeds.ts';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { consentTables, partitionColumn } from '../../lambdas/consent-transform/transform.ts';
import { loadSql, sqlDate } from '../../sql/sql-files.ts';
import type { PhoneConsentRow } from '../../domain/consent.ts';

/** Tiny consent feeds for the SQL tests, written as the landing zone of §3.1 (gzip, `|`, header row). */
export type FeedName = 'ENRLMT' | 'NON-FIN-BDL' | 'SUPPLFWD';

export interface FeedFile {
  feed: FeedName;
  /** YYYYMMDD, optionally followed by `_NNN`. */
  name: string;
  /** Data lines, fields in the §3.1 column order of the feed. */
  rows: string[][];
}

export const legacy = (account: string) => `${account}P`;

export async function writeFeeds(dataDir: string, files: FeedFile[]): Promise<void> {
  for (const file of files) {
    const feed = consentFeeds.find((candidate) => candidate.feed === file.feed)!;
    const folder = join(dataDir, feed.folder);
    await mkdir(folder, { recursive: true });
    const text = [feed.columns.join('|'), ...file.rows.map((row) => row.join('|'))].join('\n') + '\n';
    await writeFile(join(folder, `${feed.filePrefix}${file.name}.csv.gz`), gzipSync(text));
  }
}

export interface Sandbox {
  home: string;
  data: string;
  cleanup(): Promise<void>;
}

export async function sandbox(): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), 'outbound-sql-'));
  const home = join(root, 'home');
  const data = join(root, 'data');
  await mkdir(data, { recursive: true });
  return { home, data, cleanup: () => rm(root, { recursive: true, force: true }) };
}

export type GoldRow = Omit<PhoneConsentRow, 'as_of_date'> & { as_of_date: string };

/**
 * Runs bronze → silver → gold → rejects → changes for one date on DuckDB, without the S3 upload of the
 * changes file (the handler test covers that), and returns the engine for assertions.
 */
export async function transform(box: Sandbox, asOfDate: string): Promise<DuckDbEngine> {
  const engine = await DuckDbEngine.open({ home: box.home, dataDir: box.data, memoryLimit: '256MB' });
  const previous = (await engine.partitionValues(consentTables.gold, partitionColumn)).filter((d) => d < asOfDate).at(-1) ?? null;
  const values = { as_of_date: sqlDate(asOfDate), previous_as_of_date: sqlDate(previous) };
  await engine.registerRawSources();
  await engine.createTransient('consent_bronze', await loadSql('consent/consent_bronze.sql', values));
  await engine.createTransient('consent_silver', await loadSql('consent/consent_silver.sql', values));
  for (const table of Object.values(consentTables)) {
    await engine.writePartition(table, partitionColumn, asOfDate, await loadSql(`consent/${table}.sql`, values));
  }
  return engine;
}

export async function gold(engine: DuckDbEngine, asOfDate: string): Promise<GoldRow[]> {
  return engine.query<GoldRow>(
    `SELECT account_number, phone_number, phone_type, phone_source, has_sms_consent,
       CAST(sms_consent_updated_at AS VARCHAR) AS sms_consent_updated_at, is_deleted, delete_type,
       CAST(deleted_at AS VARCHAR) AS deleted_at, CAST(as_of_date AS VARCHAR) AS as_of_date
     FROM phone_consent WHERE as_of_date = DATE '${asOfDate}' ORDER BY account_number, phone_number`,
  );
}
