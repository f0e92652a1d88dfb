import type { Command } from 'commander';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateFeeds } from '../generate/feeds.ts';
import { runDailyLocally } from '../daily-run.ts';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { readCampaignConfigFile } from '../../adapters/campaign-config-file.ts';
import { envNames } from '../../config/environment.ts';
import { addDays, weekdayName } from '../../domain/campaigns/dates.ts';
import type { CampaignConfig } from '../../domain/campaigns/schema.ts';

const PROGRAM = new URL('../../config/programs/collections-current.yaml', import.meta.url).pathname;

/**
 * `npm run demo:program`: SPEC §5.1 end to end on generated data — `outbound generate --days N`, then N
 * consecutive daily runs of config/programs/collections-current.yaml (each day's phone test reads the days
 * before), then per list the customers listed and kept per day, the reason codes recorded, and whether every
 * list and reason code of the program occurred (exit code 1 if one did not).
 */
export function registerDemoProgram(program: Command): void {
  program
    .command('demo-program')
    .description("generate N days of feeds and run the servicer's program (config/programs/collections-current.yaml) on each; show lists and reasons per day")
    .option('--home <dir>', 'state directory (wiped first)', '.outbound/program')
    .option('--date <date>', 'the last load date', '2026-12-07')
    .option('--days <n>', 'consecutive load dates', '9')
    .option('--customers <n>', 'number of customers', '3000')
    .option('--seed <n>', 'generator seed', '42')
    .action(async (options: { home: string; date: string; days: string; customers: string; seed: string }) => {
      const loaded = await readCampaignConfigFile(PROGRAM);
      if (!loaded.ok) return program.error(`${PROGRAM}: the configuration is invalid`);
      process.env[envNames.campaignConfig] = PROGRAM;
      const home = resolve(options.home);
      const data = join(home, 'data');
      const days = Number(options.days);
      const dates = Array.from({ length: days }, (_, i) => addDays(options.date, i - days + 1));
      await rm(home, { recursive: true, force: true });
      const generated = await generateFeeds({ out: data, date: options.date, days, customers: Number(options.customers), seed: Number(options.seed) });
      console.log(`▶ generated ${generated.files.length} feed files for ${dates[0]} … ${options.date} (${options.customers} customers)`);
      for (const date of dates) {
        const started = performance.now();
        await runDailyLocally({ data, date, home, steps: 'all' });
        console.log(`▶ outbound run --date ${date} --config ${PROGRAM} (${weekdayName(date)}): ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      const missing = await reportProgram(home, loaded.config, dates);
      console.log(missing.length === 0 ? '\nevery list and reason code of the program occurred' : `\nnever occurred: ${missing.join(', ')}`);
      if (missing.length > 0) process.exitCode = 1;
    });
}

/** Prints listed/kept per list and day and the reason codes; returns the lists and reason codes that never occurred. */
async function reportProgram(home: string, config: CampaignConfig, dates: readonly string[]): Promise<string[]> {
  const engine = await DuckDbEngine.open({ home });
  try {
    const lists = await engine.query<{ set_name: string; list_name: string; load_date: string; listed: number; kept: number }>(
      `SELECT set_name, list_name, CAST(load_date AS VARCHAR) AS load_date, count(*) AS listed,
              sum(CASE WHEN suppression_flag THEN 0 ELSE 1 END) AS kept
       FROM rpt_outbound_lists GROUP BY set_name, list_name, load_date`,
    );
    const reasons = await engine.query<{ suppression_reason: string; n: number }>(
      'SELECT suppression_reason, count(*) AS n FROM rpt_outbound_lists_suppression GROUP BY suppression_reason ORDER BY suppression_reason',
    );
    const missing: string[] = [];
    console.log(`\nlisted/kept per load date (${dates.map((date) => `${date.slice(5)} ${weekdayName(date).slice(0, 2)}`).join(', ')})`);
    for (const set of config.sets) {
      for (const list of set.lists) {
        const cells = dates.map((date) => {
          const row = lists.find((candidate) => candidate.set_name === set.name && candidate.list_name === list.name && candidate.load_date === date);
          return row === undefined ? '-' : `${row.listed}/${row.kept}`;
        });
        if (cells.every((cell) => cell === '-')) missing.push(`list ${set.name}/${list.name}`);
        console.log(`  ${`${set.name}/${list.name}`.padEnd(36)}${cells.map((cell) => cell.padStart(9)).join('')}`);
      }
    }
    const programReasons = new Set<string>(['INDIVIDUAL_SUPPRESSION', 'CROSS_SET']);
    for (const rule of config.suppression_rules) programReasons.add(rule.reason);
    for (const set of config.sets) {
      for (const rule of set.suppression_rules) programReasons.add(rule.reason);
      for (const list of set.lists) for (const rule of list.suppression_rules) programReasons.add(rule.reason);
    }
    console.log('\nreason codes recorded over the days (customers × lists × days)');
    for (const { suppression_reason: reason, n } of reasons) {
      console.log(`  ${reason.padEnd(28)}${String(n).padStart(8)}${programReasons.has(reason) ? '' : '  (a §6 rule on top of the program)'}`);
    }
    for (const reason of programReasons) if (!reasons.some((row) => row.suppression_reason === reason)) missing.push(`reason ${reason}`);
    return missing;
  } finally {
    await engine.close();
  }
}
