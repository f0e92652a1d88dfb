import type { Command } from 'commander';
import { defaultHome } from '../runtime.ts';
import { runDailyLocally, DailyRunFailedError } from '../daily-run.ts';
import { formatRunSummary, formatStep } from '../format.ts';
import { isIsoDate } from '../../domain/load-date.ts';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the daily workflow locally (the state machine on embedded stand-ins)')
    .requiredOption('--data <dir>', 'landing-zone directory with the raw feeds')
    .requiredOption('--date <YYYY-MM-DD>', 'load date')
    .option('--home <dir>', 'state directory (lake, S3, DynamoDB)', defaultHome)
    .option('--steps <steps>', 'consent | all', 'all')
    .option('--full-load', 'load every consent row into DynamoDB, not only the changes', false)
    .action(async (options: { data: string; date: string; home: string; steps: string; fullLoad: boolean }) => {
      if (!isIsoDate(options.date)) program.error(`--date: expected YYYY-MM-DD, got ${options.date}`);
      if (options.steps !== 'consent' && options.steps !== 'all') program.error(`--steps: expected consent or all, got ${options.steps}`);
      console.log(`outbound run ${options.date} (steps: ${options.steps})`);
      try {
        const summary = await runDailyLocally({ ...options, steps: options.steps, onStep: (timing) => timing.status !== 'running' && console.log(formatStep(timing)) });
        console.log('\nRun summary');
        console.log(formatRunSummary(summary));
      } catch (error) {
        if (!(error instanceof DailyRunFailedError)) throw error;
        console.error(`\nrun failed: ${error.message}`);
        process.exitCode = 1;
      }
    });
}
