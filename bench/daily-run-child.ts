/**
 * One measured local daily run in its own process (so its peak memory is its own): prints one JSON line
 * with the run summary's step durations and the process's peak resident set size.
 */
import { runDailyLocally } from '../local/runtime/daily-run.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const [data, home, date, steps] = process.argv.slice(2) as [string, string, string, 'consent' | 'all'];
const started = performance.now();
const summary = await runDailyLocally({ data, home, date, steps });
const wallMs = performance.now() - started;
console.log(
  JSON.stringify({ wallMs, durationsMs: summary.durationsMs, customers: summary.lists?.customers ?? null, maxRssKb: process.resourceUsage().maxRSS }),
);
