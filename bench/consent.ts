/**
 * npm run bench:consent [-- --mb 1024 --customers 1000000 --rate 500 --seconds 20 --rows 50000 --skip transform,daily,api]
 *
 * 1. Full load: the consent transform on ~MB of the client's history (monthly snapshots over 3 years,
 *    generated once, kept under bench/out/), beside the time merely to decompress the same files with
 *    gzip, serially and two files at a time (§10: ≤ 3×), and the peak RSS (§10: ≤ 2 GB).
 * 2. Daily: the day after a full load of CUSTOMERS accounts at the daily cadence, the transform reads that
 *    day's delivery and carries the state (§10: ≤ 5 s at the 1 M scale).
 * 3. can_send_sms p50/p99 over loopback at RATE requests/s (§10: p99 ≤ 10 ms).
 * Each part runs in its own child process, so each peak RSS is that part's own.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { parseArgs, promisify } from 'node:util';
import { addDays } from '../domain/campaigns/dates.ts';
import { generateConsentFeeds, type GenerateConsentOptions } from '../local/generate/consent-feeds.ts';
import { formatApiLatency, measureApiLatency } from './api-latency.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '1024' },
    customers: { type: 'string', default: '1000000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    rows: { type: 'string', default: '50000' },
    skip: { type: 'string', default: '' },
    'duckdb-memory': { type: 'string', default: '1GB' },
  },
});
const mb = Number(values.mb);
const date = '2026-11-20';
const out = new URL('./out/', import.meta.url).pathname;
const run = promisify(execFile);

console.log(`bench:consent on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);

if (!values.skip.includes('transform')) await benchFullLoad();
if (!values.skip.includes('daily')) await benchDaily();
if (!values.skip.includes('api')) await benchApi();

interface TransformRun {
  totalMs: number;
  steps: { step: string; rows: number; ms: number }[];
  result: { filesRead: number; carriedFromDate: string | null; rows: unknown };
  maxRssKb: number;
}

/** The transform of `day` over `data` in a child process, on `home` as it is. */
async function transformIn(data: string, home: string, day: string): Promise<TransformRun> {
  const child = new URL('./consent-transform-child.ts', import.meta.url).pathname;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', child, data, home, day, values['duckdb-memory']], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as TransformRun;
}

function printSteps(transform: TransformRun): void {
  console.log('  step                              rows        seconds');
  for (const { step, rows, ms } of transform.steps) console.log(`    ${step.padEnd(30)} ${String(rows).padStart(11)}  ${(ms / 1000).toFixed(2).padStart(8)}`);
  console.log(`  rows: ${JSON.stringify(transform.result.rows)}`);
}

async function benchFullLoad(): Promise<void> {
  const data = join(out, `consent-${mb}mb`);
  const files = await ensureFeeds(data, { consentMb: mb, cadence: 'history', days: 1095 });
  const bytes = (await Promise.all(files.map((file) => stat(file)))).reduce((sum, s) => sum + s.size, 0);
  console.log(
    `\nfull load: ${files.length} exports of a 3-year history, ${(bytes / 2 ** 20).toFixed(0)} MiB gzip, load date ${date}; DuckDB memory_limit ${values['duckdb-memory']}`,
  );

  const serial = await timed(async () => {
    for (const file of files) await run('sh', ['-c', `gzip -dc '${file}' > /dev/null`]);
  });
  const parallel = await timed(async () => {
    const queue = [...files];
    await Promise.all(
      [0, 1].map(async () => {
        for (let file = queue.shift(); file; file = queue.shift()) await run('sh', ['-c', `gzip -dc '${file}' > /dev/null`]);
      }),
    );
  });
  const home = join(out, 'consent-home');
  await rm(home, { recursive: true, force: true });
  const transform = await transformIn(data, home, date);
  printSteps(transform);
  const table: [string, string, string][] = [
    ['consent transform, every export', seconds(transform.totalMs), ''],
    ['gzip -dc, one file at a time', seconds(serial), `transform = ${(transform.totalMs / serial).toFixed(1)}×  (target ≤ 3×)`],
    ['gzip -dc, two files at a time', seconds(parallel), `transform = ${(transform.totalMs / parallel).toFixed(1)}×`],
    ['peak RSS of the transform', gib(transform.maxRssKb), '(target ≤ 2 GB)'],
  ];
  console.log('\n  figure                            value      vs reference');
  for (const [name, value, ratio] of table) console.log(`    ${name.padEnd(32)}${value.padStart(9)}   ${ratio}`);
}

async function benchDaily(): Promise<void> {
  const customers = Number(values.customers);
  const data = join(out, `consent-daily-${customers}`);
  const next = addDays(date, 1);
  await ensureFeeds(data, { customers, cadence: 'daily', days: 2, date: next });
  const home = join(out, 'consent-daily-home');
  await rm(home, { recursive: true, force: true });
  console.log(`\ndaily: ${customers} accounts at the daily cadence; ${date} loaded in full, then the delivery of ${next}`);
  const first = await transformIn(data, home, date);
  console.log(`  ${date}: every export read (${first.result.filesRead}) in ${seconds(first.totalMs)}, peak RSS ${gib(first.maxRssKb)}`);
  const day = await transformIn(data, home, next);
  printSteps(day);
  console.log(
    `\n  ${next}: ${day.result.filesRead} exports read, state carried from ${day.result.carriedFromDate}: ${seconds(day.totalMs)} (target ≤ 5 s), peak RSS ${gib(day.maxRssKb)}`,
  );
}

/** The consent exports of `options` under `data`, generated once and kept (a marker holds the options). */
async function ensureFeeds(data: string, options: Omit<GenerateConsentOptions, 'out' | 'date'> & { date?: string }): Promise<string[]> {
  const marker = join(data, 'bench-params.json');
  const params = JSON.stringify({ date, seed: 42, ...options });
  const existing = await readFile(marker, 'utf8').catch(() => '');
  if (existing !== params) {
    console.log(`generating ${JSON.stringify(options)} into ${data} (once; kept for later runs) …`);
    await rm(data, { recursive: true, force: true });
    const summary = await generateConsentFeeds({ out: data, date, seed: 42, ...options });
    console.log(`  ${summary.files.length} files, ${summary.rows} rows in ${summary.seconds.toFixed(0)} s`);
    await writeFile(marker, params);
  }
  const files: string[] = [];
  for (const folder of ['consent/ENROLLMENT', 'consent/MAINTENANCE']) {
    for (const name of await readdir(join(data, folder))) if (name.endsWith('.csv.gz')) files.push(join(data, folder, name));
  }
  return files.sort();
}

async function benchApi(): Promise<void> {
  const rate = Number(values.rate);
  const result = await measureApiLatency({ home: join(out, 'api-home'), rows: Number(values.rows), rate, seconds: Number(values.seconds) });
  for (const line of formatApiLatency(result, rate, Number(values.seconds))) console.log(line);
}

async function timed(task: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function gib(kb: number): string {
  return `${(kb / 2 ** 20).toFixed(2)} GiB`;
}
