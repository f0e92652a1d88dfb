import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_CAMPAIGN_CONFIG, readCampaignConfigFile } from '../../../adapters/campaign-config-file.ts';
import { formatProblem } from '../../../domain/campaigns/config-problems.ts';
import { defaultHome } from '../../runtime/runtime.ts';
import { runDailyLocally, DailyRunFailedError } from '../../runtime/daily-run.ts';
import { formatRunSummary, formatStep } from '../format.ts';
import { envNames } from '../../../config/environment.ts';
import { isIsoDate } from '../../../domain/values/load-date.ts';
import type { Fault } from '../../runtime/state-machine.ts';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the daily workflow locally (the state machine on embedded stand-ins)')
    .requiredOption('--data <dir>', 'landing-zone directory with the raw feeds')
    .requiredOption('--date <YYYY-MM-DD>', 'load date')
    .option('--home <dir>', 'state directory (lake, S3, DynamoDB)', defaultHome)
    .option('--config <file>', 'campaign configuration (YAML, or JSON by extension)', DEFAULT_CAMPAIGN_CONFIG)
    .option('--steps <steps>', 'consent | all', 'all')
    .option('--full-load', 'load every consent row into DynamoDB, not only the changes', false)
    .option(
      '--genesys-url <url>',
      `push the lists to this Genesys Cloud (a stand-in's origin or a region domain; client from ${envNames.genesysClientId}/${envNames.genesysClientSecret})`,
    )
    .option(
      '--inject-fault <State[:times]>',
      'failure drill (docs/failure-drill.md): the Lambda task State fails, its first `times` invocations or every one; repeatable',
      (value: string, faults: Fault[]) => [...faults, parseFault(value)],
      [] as Fault[],
    )
    .action(
      async (options: {
        data: string;
        date: string;
        home: string;
        config: string;
        steps: string;
        fullLoad: boolean;
        genesysUrl?: string;
        injectFault: Fault[];
      }) => {
        if (!isIsoDate(options.date)) program.error(`--date: expected YYYY-MM-DD, got ${options.date}`);
        // Refused before anything runs, every problem with its path and line (§5); PrepareRun checks it again.
        const configPath = resolve(options.config);
        const loaded = await readCampaignConfigFile(configPath).catch((error: Error) => program.error(`--config: ${error.message}`));
        if (!loaded.ok) {
          console.error(`--config ${options.config}: the campaign configuration is invalid`);
          for (const problem of loaded.problems) console.error(formatProblem(problem));
          process.exitCode = 2;
          return;
        }
        process.env[envNames.campaignConfig] = configPath;
        if (options.genesysUrl) {
          if (!process.env[envNames.genesysClientId] || !process.env[envNames.genesysClientSecret]) {
            program.error(`--genesys-url: set ${envNames.genesysClientId} and ${envNames.genesysClientSecret} (the stand-in's default is local/local)`);
          }
          process.env[envNames.genesysEnvironment] = options.genesysUrl;
        }
        if (options.steps !== 'consent' && options.steps !== 'all') program.error(`--steps: expected consent or all, got ${options.steps}`);
        console.log(`outbound run ${options.date} (steps: ${options.steps}, configuration ${options.config} version ${loaded.config.version})`);
        for (const fault of options.injectFault)
          console.log(`injecting fault: ${fault.state} fails ${fault.times === undefined ? 'on every invocation' : `${fault.times} time(s)`}`);
        try {
          const summary = await runDailyLocally({
            ...options,
            steps: options.steps,
            faults: options.injectFault,
            onStep: (timing) => timing.status !== 'running' && console.log(formatStep(timing)),
          });
          console.log('\nRun summary');
          console.log(formatRunSummary(summary));
        } catch (error) {
          if (!(error instanceof DailyRunFailedError)) throw error;
          console.error(`\nrun failed: ${error.message}`);
          process.exitCode = 1;
        }
      },
    );
}

/** `State` or `State:times` (times a positive integer). */
function parseFault(value: string): Fault {
  const match = /^([A-Za-z][A-Za-z0-9]*)(?::(\d+))?$/.exec(value);
  if (!match || Number(match[2] ?? 1) < 1) throw new InvalidArgumentError(`expected State or State:times (times ≥ 1), e.g. EvaluateShard:1; got ${value}`);
  return match[2] === undefined ? { state: match[1]! } : { state: match[1]!, times: Number(match[2]) };
}
