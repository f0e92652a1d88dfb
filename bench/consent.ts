/**
 * npm run bench:consent [-- --mb 1024 --rate 500 --seconds 20 --rows 50000]
 *
 * 1. Consent transform on ~MB of generated feeds (generated once, kept under bench/out/), beside the
 *    time merely to decompress the same files with gzip, serially and two files at a time (§10: ≤ 3×).
 * 2. can_send_sms p50/p99 over loopback at RATE requests/s (§10: p99 ≤ 10 ms).
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';
import { parseArgs, promisify } from 'node:util';
import { generateConsentFeeds } from '../local/generate/consent-feeds.ts';
import { startLocalRuntime } from '../local/runtime.ts';
import { listRawKeys } from '../adapters/raw-store.ts';
import { measureApiLatency } from './api-latency.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '1024' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    rows: { type: 'string', default: '50000' },
    skip: { type: 'string', default: '' },
    'duckdb-memory': { type: 'string', default: '8GB' },
  },
});
const mb = Number(values.mb);
const date = '2026-11-20';
const out = new URL('./out/', import.meta.url).pathname;
const data = join(out, `consent-${mb}mb`);
const run = promisify(execFile);

console.log(`bench:consent on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);

if (!values.skip.includes('transform')) await benchTransform();
if (!values.skip.includes('api')) await benchApi();

async function benchTransform(): Promise<void> {
  const files = await ensureFeeds();
  const bytes = (await Promise.all(files.map((file) => stat(file)))).reduce((sum, s) => sum + s.size, 0);
  console.log(`\nconsent feeds: ${files.length} files, ${(bytes / 2 ** 20).toFixed(0)} MiB gzip, load date ${date}; DuckDB memory_limit ${values['duckdb-memory']}`);

  const serial = await timed(async () => {
    for (const file of files) await run('sh', ['-c', `gzip -dc '${file}' > /dev/null`]);
  });
  const parallel = await timed(async () => {
    const queue = [...files];
    await Promise.all([0, 1].map(async () => {
      for (let file = queue.shift(); file; file = queue.shift()) await run('sh', ['-c', `gzip -dc '${file}' > /dev/null`]);
    }));
  });

  const home = join(out, 'consent-home');
  await rm(home, { recursive: true, force: true });
  const runtime = await startLocalRuntime({ home, data });
  const steps: [string, number, number][] = [];
  let total: number;
  let rows: unknown;
  try {
    const { DuckDbEngine } = await import('../adapters/duckdb-engine.ts');
    const { runConsentTransform } = await import('../lambdas/consent-transform/transform.ts');
    const started = performance.now();
    let last = started;
    const engine = await DuckDbEngine.open({ home, dataDir: data, memoryLimit: values['duckdb-memory'] });
    try {
      const result = await runConsentTransform(engine, {
        asOfDate: date,
        lakeBucket: 'outbound-lake',
        consentKeys: await listRawKeys('consent/'),
        log: (step, count) => {
          const now = performance.now();
          steps.push([step, count, now - last]);
          last = now;
        },
      });
      steps.push(['summary + changes unload', result.rows.changes.new + result.rows.changes.changed + result.rows.changes.gone, performance.now() - last]);
      rows = result.rows;
    } finally {
      await engine.close();
    }
    total = performance.now() - started;
  } finally {
    await runtime.stop();
  }
  const peakRss = process.resourceUsage().maxRSS / 1024;

  console.log('\nstep                              rows        seconds');
  for (const [step, count, ms] of steps) console.log(`  ${step.padEnd(30)} ${String(count).padStart(11)}  ${(ms / 1000).toFixed(2).padStart(8)}`);
  console.log(`\nrows: ${JSON.stringify(rows)}`);
  const table: [string, string, string][] = [
    ['consent transform (all steps)', seconds(total), ''],
    ['gzip -dc, one file at a time', seconds(serial), `transform = ${(total / serial).toFixed(1)}×  (target ≤ 3×)`],
    ['gzip -dc, two files at a time', seconds(parallel), `transform = ${(total / parallel).toFixed(1)}×  (target ≤ 3×)`],
    ['peak RSS of this process', `${peakRss.toFixed(0)} MiB`, ''],
  ];
  console.log('\nfigure                            value      vs reference');
  for (const [name, value, ratio] of table) console.log(`  ${name.padEnd(32)}${value.padStart(9)}   ${ratio}`);
}

async function ensureFeeds(): Promise<string[]> {
  const marker = join(data, 'bench-params.json');
  const params = JSON.stringify({ mb, date, seed: 42, cadence: 'history', days: 1095 });
  const existing = await readFile(marker, 'utf8').catch(() => '');
  if (existing !== params) {
    console.log(`generating a 3-year history of ~${mb} MB of consent exports into ${data} (once; kept for later runs) …`);
    await rm(data, { recursive: true, force: true });
    const summary = await generateConsentFeeds({ out: data, date, consentMb: mb, seed: 42, cadence: 'history', days: 1095 });
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
  console.log(`\ncan_send_sms over loopback: ${result.rows} consent rows in dynalite, GET at ${rate}/s for ${values.seconds} s from a separate process (90% known pairs)`);
  console.log(`  achieved ${result.achievedRate.toFixed(0)} req/s, ${result.requests} requests, errors ${result.errors}, statuses ${JSON.stringify(result.statuses)}`);
  console.log(`  p50 ${result.p50.toFixed(2)} ms   p90 ${result.p90.toFixed(2)} ms   p99 ${result.p99.toFixed(2)} ms (target ≤ 10 ms)   max ${result.max.toFixed(1)} ms`);
  if (result.store) console.log(`  reference, the store alone (SDK GetItem → dynalite, same rate, no HTTP): p50 ${result.store.p50.toFixed(2)} ms   p99 ${result.store.p99.toFixed(2)} ms`);
}

async function timed(task: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await task();
  return performance.now() - started;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
