/**
 * npm run bench:daily [-- --customers 100000,1000000 --seed 42]
 *
 * The daily run end to end on the local runtime (§10: 1,000,000 customers in ≤ 60 s, peak memory
 * ≤ 2 GB on this 2-core machine). For each size: feeds generated once under bench/out/ (kept), the day
 * before run with `--steps consent` (unmeasured: it makes the measured day's consent load incremental,
 * as every day but the first is), then the load date run with all steps in a child process: wall time,
 * time per step and the child's peak resident memory, beside the targets.
 */
import { execFile } from 'node:child_process';
import { access, rm } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { generateFeeds } from '../local/generate/feeds.ts';

const { values } = parseArgs({ options: { customers: { type: 'string', default: '100000,1000000' }, seed: { type: 'string', default: '42' } } });
const sizes = values.customers.split(',').map(Number);
const seed = Number(values.seed);
const [dayBefore, date] = ['2026-11-19', '2026-11-20'];
const out = new URL('./out/', import.meta.url).pathname;
const child = new URL('./daily-run-child.ts', import.meta.url).pathname;
const run = promisify(execFile);

console.log(`bench:daily on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
console.log('target (§10): 1,000,000 customers end to end in ≤ 60 s with peak memory ≤ 2 GB\n');

for (const customers of sizes) {
  const data = join(out, `daily-${customers}-seed${seed}`);
  const ready = await access(join(data, `loan_tape/asof=${date}`)).then(
    () => true,
    () => false,
  );
  if (!ready) {
    for (const day of [dayBefore, date]) {
      const generated = await generateFeeds({ out: data, date: day, customers, seed });
      console.log(`generated ${customers.toLocaleString('en-US')} customers up to ${day} in ${generated.seconds.toFixed(1)} s (not timed below)`);
    }
  }
  const home = join(out, `daily-${customers}-home`);
  await rm(home, { recursive: true, force: true });
  await measured(data, home, dayBefore, 'consent');
  const result = await measured(data, home, date, 'all');
  const seconds = result.wallMs / 1000;
  const gib = result.maxRssKb / 2 ** 20;
  console.log(`${customers.toLocaleString('en-US')} customers (${result.customers?.toLocaleString('en-US')} evaluated), load date ${date}:`);
  for (const [step, ms] of Object.entries(result.durationsMs)) if (ms >= 5) console.log(`  ${step.padEnd(20)} ${(ms / 1000).toFixed(2).padStart(7)} s`);
  const scaled =
    customers === 1_000_000
      ? ''
      : ` (target applies at 1,000,000; ×${(1_000_000 / customers).toFixed(0)} linear would be ${((seconds * 1_000_000) / customers).toFixed(0)} s)`;
  console.log(`  ${'total (wall)'.padEnd(20)} ${seconds.toFixed(2).padStart(7)} s   target ≤ 60 s${scaled}`);
  console.log(`  ${'peak memory (RSS)'.padEnd(20)} ${gib.toFixed(2).padStart(7)} GiB target ≤ 2 GB\n`);
}

async function measured(data: string, home: string, day: string, steps: 'consent' | 'all') {
  const { stdout } = await run(process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', child, data, home, day, steps], { maxBuffer: 2 ** 24 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { wallMs: number; durationsMs: Record<string, number>; customers: number | null; maxRssKb: number };
}
