import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { publicationKey } from '../../domain/run/run-layout.ts';
import { publishedTables, type PublishedTable } from '../../domain/run/lake-tables.ts';
import { generateFeeds } from '../../local/generate/feeds.ts';

/** Shared by the local failure-path and retried-shard tests: small generated feeds and what a home publishes. */
export const LOAD_DATE = '2026-11-20';
/** The day before LOAD_DATE; the generator writes its feeds too. */
export const PREVIOUS_DATE = '2026-11-19';

export async function generateSmallFeeds(data: string): Promise<void> {
  await generateFeeds({ out: data, date: LOAD_DATE, customers: 200, seed: 5 });
}

export interface PublishedDay {
  /** `published/load_date=D.json` of the home's lake, or null when the date was never published. */
  publication: { attempt: string; run_id: string } | null;
  /** Every row the §7 views show for the date, as JSON text, sorted. */
  rows: Record<PublishedTable, string[]>;
}

/** What a reader of the home sees for `date`: the publication object and the rows of the §7 views (the `outbound query` engine). */
export async function publishedDay(home: string, date: string): Promise<PublishedDay> {
  const engine = await DuckDbEngine.open({ home });
  try {
    const rows = {} as Record<PublishedTable, string[]>;
    for (const table of publishedTables) {
      const found = await engine.query<{ row: string }>(
        `SELECT CAST(to_json(t) AS VARCHAR) AS row FROM ${table} t WHERE t.load_date = DATE '${date}' ORDER BY 1`,
      );
      rows[table] = found.map(({ row }) => row);
    }
    return { publication: await readPublication(home, date), rows };
  } finally {
    await engine.close();
  }
}

async function readPublication(home: string, date: string): Promise<PublishedDay['publication']> {
  try {
    return JSON.parse(await readFile(join(home, 'lake', publicationKey(date)), 'utf8')) as PublishedDay['publication'];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
