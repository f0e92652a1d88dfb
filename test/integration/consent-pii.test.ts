import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { resources } from '../../config/resources.ts';
import { runDailyLocally } from '../../local/runtime/daily-run.ts';
import { explainLocally } from '../../local/cli/explain.ts';
import { formatExplanation } from '../../local/cli/format-explanation.ts';
import { formatRunSummary, formatStep } from '../../local/cli/format.ts';
import { generateFeeds } from '../../local/generate/feeds.ts';
import { startLocalRuntime } from '../../local/runtime/runtime.ts';
import { readFeeds } from '../local/generate/feed-reader.ts';
import { readLandingFeed, rowsOf } from '../local/generate/landing-reader.ts';

/**
 * SPEC §3.1 PII: the SSNs and names of the consent exports are dropped at bronze. Two generated days run
 * end to end (the second carrying the first's consent state), then everything the run left or printed is
 * searched for them: every file under the home (Parquet decoded, gzip inflated, the rest as bytes), the
 * DynamoDB items, the logs of the handlers (in-process and on worker threads), the metrics and the CLI's text.
 */
const DAYS = ['2026-11-20', '2026-11-21'];
const feedOptions = { customers: 300, seed: 3141 };
const EXPLAINED_CUSTOMERS = 5;
/** The consent store: its lake tables (gold, rejects, changes, carried state), the changes to load in the lake bucket, and DynamoDB. */
const CONSENT_STORE = /^(?:lake\/(?:phone_consent[a-z_]*|consent_state|consent_files)\/|s3\/outbound-lake\/consent\/changes\/|DynamoDB )/;

/** One thing the run wrote or printed, as text, and where it comes from (a path relative to the home, or a label). */
interface Output {
  where: string;
  text: string;
}

let root: string;
let data: string;
let home: string;
const ssns = new Set<string>();
const consentNames = new Set<string>();
const loanTapeNames = new Set<string>();
const outputs: Output[] = [];
let printed = '';

/** The SSNs and names of every consent export now in the landing zone. */
async function collectConsentPii(): Promise<void> {
  for (const row of (await readFeeds(data)).flatMap((file) => file.rows)) {
    ssns.add(row.cnsmr_idntfr_ssn_txt ?? row.ssn);
    for (const name of [row.cnsmr_nm_frst_txt ?? row.first_name, row.cnsmr_nm_lst_txt ?? row.last_name]) if (name) consentNames.add(name);
  }
  for (const row of rowsOf(await readLandingFeed(data, 'loan_tape'))) for (const name of [row.first_name, row.last_name]) if (name) loanTapeNames.add(name);
}

/** The input's SSNs found in `text`: nine digits not touching another digit, or the dashed `123-45-6789` form. */
function ssnsIn(text: string): Set<string> {
  const found = new Set<string>();
  for (const [match] of text.matchAll(/(?<!\d)(?:\d{9}|\d{3}-\d{2}-\d{4})(?!\d)/g)) {
    const digits = match.replaceAll('-', '');
    if (ssns.has(digits)) found.add(digits);
  }
  return found;
}

/** A matcher of whole names (not touching another letter), any case. */
function namePattern(names: Iterable<string>): RegExp {
  const alternatives = [...names].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<!\\p{L})(?:${alternatives.join('|')})(?!\\p{L})`, 'iu');
}

/** Every cell of a Parquet file as text, one row a line. */
async function parquetText(duckdb: DuckDBInstance, file: string): Promise<string> {
  const connection = await duckdb.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT COLUMNS(*)::VARCHAR FROM read_parquet('${file.replaceAll("'", "''")}')`);
    return reader
      .getRows()
      .map((row) => row.join('\t'))
      .join('\n');
  } finally {
    connection.closeSync();
  }
}

/**
 * Every file under the home as text, recognised by its content (s3rver stores objects without their extension):
 * the lake, the buckets, the run summaries, the metrics, and dynalite's LevelDB files as they are (its tables are
 * snappy-compressed there, hence the scan through the API as well).
 */
async function homeFiles(): Promise<Output[]> {
  const duckdb = await DuckDBInstance.create();
  try {
    const files: Output[] = [];
    for (const entry of await readdir(home, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const bytes = await readFile(path);
      const isParquet = bytes.subarray(0, 4).toString('latin1') === 'PAR1';
      const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
      const text = isParquet ? await parquetText(duckdb, path) : (isGzip ? gunzipSync(bytes) : bytes).toString('utf8');
      files.push({ where: relative(home, path), text });
    }
    return files;
  } finally {
    duckdb.closeSync();
  }
}

/** The PhoneConsent items, read through the DynamoDB API of the local runtime. */
async function consentItems(): Promise<Output> {
  const runtime = await startLocalRuntime({ home });
  const dynamo = new DynamoDBClient({ endpoint: runtime.dynamoEndpoint });
  try {
    const items: unknown[] = [];
    for await (const page of paginateScan({ client: dynamo }, { TableName: resources.tables.phoneConsent.name })) items.push(...(page.Items ?? []));
    return { where: `DynamoDB ${resources.tables.phoneConsent.name} (${items.length} items)`, text: items.map((item) => JSON.stringify(item)).join('\n') };
  } finally {
    dynamo.destroy();
    await runtime.stop();
  }
}

/** What `outbound explain` prints for a few customers of the day, and the explanation itself as JSON. */
async function explainText(date: string): Promise<string> {
  const engine = await DuckDbEngine.open({ home });
  const customers = await engine
    .query<{ payoffuid: string }>(
      `SELECT DISTINCT payoffuid FROM rpt_outbound_lists WHERE load_date = DATE '${date}' ORDER BY payoffuid LIMIT ${EXPLAINED_CUSTOMERS}`,
    )
    .finally(() => engine.close());
  const texts: string[] = [];
  for (const { payoffuid } of customers) {
    const result = await explainLocally({ home, loadDate: date, payoffuid });
    texts.push(formatExplanation(result.explanation, `customer ${payoffuid}, load date ${result.loadDate}`), JSON.stringify(result));
  }
  return texts.join('\n');
}

/** Where the input's SSNs appear: per output, how many distinct SSNs (never the SSNs themselves). */
function ssnLeaks(among: readonly Output[]): string[] {
  return among.flatMap(({ where, text }) => {
    const found = ssnsIn(text).size;
    return found > 0 ? [`${where}: ${found} SSN(s)`] : [];
  });
}

function nameLeaks(among: readonly Output[], names: RegExp): string[] {
  return among.filter(({ text }) => names.test(text)).map(({ where }) => where);
}

beforeAll(async () => {
  // Prepare
  root = await mkdtemp(join(tmpdir(), 'outbound-pii-'));
  data = join(root, 'data');
  home = join(root, 'home');
  // INFO, as in the cloud: every record a handler writes there is written here.
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
  const written: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    written.push(Buffer.from(chunk).toString('utf8'));
    return true;
  };
  // The worker threads' stdout and stderr are piped into these streams of the main thread.
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const cli: string[] = [];
  try {
    // Act: each day delivered, then run, as in production
    for (const date of DAYS) {
      await generateFeeds({ out: data, date, ...feedOptions });
      await collectConsentPii();
      const summary = await runDailyLocally({ data, date, home, steps: 'all', onStep: (timing) => cli.push(formatStep(timing)) });
      cli.push(formatRunSummary(summary));
    }
    cli.push(await explainText(DAYS[1]!));
    outputs.push(await consentItems());
  } finally {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  }
  printed = written.join('');
  outputs.push({ where: 'stdout and stderr of the runs', text: printed }, { where: 'CLI text (steps, run summaries, explain)', text: cli.join('\n') });
  outputs.push(...(await homeFiles()));
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the consent feeds of the two days', () => {
  it('carry many SSNs and names, so that finding none means something', () => {
    expect(ssns.size).toBeGreaterThan(100);
    expect([...ssns].every((ssn) => /^\d{9}$/.test(ssn))).toBe(true);
    expect(consentNames.size).toBeGreaterThan(50);
  });
});

describe('what the run wrote and printed', () => {
  it('covers the lake, the buckets, DynamoDB, the metrics and the logs of the in-process and threaded handlers', () => {
    const where = outputs.map((output) => output.where);
    const dynamoItems = outputs.find((output) => output.where.startsWith('DynamoDB '))!.text.split('\n');

    for (const folder of ['lake/phone_consent_rejects/', 'lake/consent_state/', 's3/outbound-lake/', 's3/outbound-exports/', 'dynamodb/', 'metrics/']) {
      expect(where.filter((path) => path.startsWith(folder)).length, folder).toBeGreaterThan(0);
    }
    expect(dynamoItems.length).toBeGreaterThan(100);
    expect(printed).toContain('consent transform done');
    expect(printed).toContain('shard evaluated');
  });

  it('holds no SSN of the input anywhere', () => {
    // The message names the outputs and their counts, never an SSN.
    expect(ssnLeaks(outputs)).toEqual([]);
  });

  it('holds no consent-feed name that the loan tape does not also carry', () => {
    // The consent exports and the loan tape draw names from the same lists (local/generate/people.ts), and the
    // exports legitimately carry the loan tape's names (§7): outside the consent store, only the names that
    // exist in the consent feeds alone (accented, nicknamed, pipe-joined) are evidence of a leak.
    const consentOnly = [...consentNames].filter((name) => name.length >= 5 && !loanTapeNames.has(name));

    expect(consentOnly.length).toBeGreaterThan(0);
    expect(nameLeaks(outputs, namePattern(consentOnly))).toEqual([]);
  });

  it('holds no consent-feed name at all in the consent store (lake tables, changes to load, DynamoDB)', () => {
    // No name belongs there, so every consent-feed name of 5 letters or more counts, the loan tape's included.
    const consentStore = outputs.filter((output) => CONSENT_STORE.test(output.where));

    expect(consentStore.length).toBeGreaterThan(10);
    expect(nameLeaks(consentStore, namePattern([...consentNames].filter((name) => name.length >= 5)))).toEqual([]);
  });
});

describe('the consent rejects', () => {
  it('keep the malformed rows of the feeds (file, line values, reason) without their SSN', async () => {
    // Act
    const engine = await DuckDbEngine.open({ home });
    const rejects = await engine.query<Record<string, unknown>>('SELECT * FROM phone_consent_rejects').finally(() => engine.close());

    // Assess
    expect(rejects.length).toBeGreaterThan(0);
    expect(ssnLeaks([{ where: 'phone_consent_rejects', text: rejects.map((row) => JSON.stringify(row)).join('\n') }])).toEqual([]);
  });
});
