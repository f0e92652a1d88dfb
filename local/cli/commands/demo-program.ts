import type { Command } from 'commander';
import { PROGRAM_CONFIG, runProgramDays, type ProgramDays } from '../program-days.ts';
import { weekdayName } from '../../../domain/campaigns/dates.ts';

/**
 * `npm run demo:program`: SPEC §5.1 end to end on generated data — N days of feeds, N consecutive daily runs of
 * config/programs/collections-current.yaml, then per list the customers listed and kept per day, the reason codes
 * recorded, and whether every list and reason code of the program occurred (exit code 1 if one did not).
 */
export function registerDemoProgram(program: Command): void {
  program
    .command('demo-program')
    .description("generate N days of feeds and run the servicer's program (config/programs/collections-current.yaml) on each; show lists and reasons per day")
    .option('--home <dir>', 'state directory (wiped first)', '.outbound/program')
    .option('--date <date>', 'the last load date', '2026-12-07')
    .option('--days <n>', 'consecutive load dates', '9')
    .option('--customers <n>', 'number of customers (the program slots of the generator need at least 366)', '3000')
    .option('--seed <n>', 'generator seed', '42')
    .action(async (options: { home: string; date: string; days: string; customers: string; seed: string }) => {
      console.log(`▶ outbound generate --date ${options.date} --days ${options.days} --customers ${options.customers}, then one run per day`);
      const result = await runProgramDays({
        home: options.home,
        date: options.date,
        days: Number(options.days),
        customers: Number(options.customers),
        seed: Number(options.seed),
        onRun: (date, seconds) => console.log(`▶ outbound run --date ${date} --config ${PROGRAM_CONFIG} (${weekdayName(date)}): ${seconds.toFixed(1)} s`),
      });
      printProgramDays(result);
      console.log(result.missing.length === 0 ? '\nevery list and reason code of the program occurred' : `\nnever occurred: ${result.missing.join(', ')}`);
      if (result.missing.length > 0) process.exitCode = 1;
    });
}

function printProgramDays({ config, dates, lists, reasons, programReasons }: ProgramDays): void {
  console.log(`\nlisted/kept per load date (${dates.map((date) => `${date.slice(5)} ${weekdayName(date).slice(0, 2)}`).join(', ')})`);
  for (const set of config.sets) {
    for (const list of set.lists) {
      const cells = dates.map((date) => {
        const row = lists.find((candidate) => candidate.set_name === set.name && candidate.list_name === list.name && candidate.load_date === date);
        return row === undefined ? '-' : `${row.listed}/${row.kept}`;
      });
      console.log(`  ${`${set.name}/${list.name}`.padEnd(36)}${cells.map((cell) => cell.padStart(9)).join('')}`);
    }
  }
  console.log('\nreason codes recorded over the days (customers × lists × days)');
  for (const { suppression_reason: reason, n } of reasons) {
    console.log(`  ${reason.padEnd(28)}${String(n).padStart(8)}${programReasons.has(reason) ? '' : '  (a §6 rule on top of the program)'}`);
  }
}
