import type { Command } from 'commander';
import { DEFAULT_CAMPAIGN_CONFIG, readCampaignConfigFile } from '../../../adapters/campaign-config-file.ts';
import { GenesysClient, genesysEndpoints } from '../../../adapters/genesys-client.ts';
import { createLogger } from '../../../adapters/logger.ts';
import { envNames } from '../../../config/environment.ts';
import { resources } from '../../../config/resources.ts';
import { formatProblem } from '../../../domain/campaigns/config-problems.ts';
import { desiredGenesysOrg } from '../../../domain/genesys/definitions.ts';
import { applyGenesysPlan, formatGenesysPlan, planGenesysOrg } from '../../../domain/genesys/plan.ts';
import { isIsoDate } from '../../../domain/values/load-date.ts';
import type { GenesysResultsReport } from '../../../domain/run/step-outputs.ts';
import { pullGenesysResults } from '../../../lambdas/genesys-results/results.ts';
import { startGenesysStandIn } from '../../runtime/genesys-stand-in.ts';
import { defaultHome, startLocalRuntime } from '../../runtime/runtime.ts';
import { localMetricsFile } from '../../runtime/state-machine.ts';

/**
 * `outbound genesys plan|apply|results|stand-in` (docs/genesys.md): the org's contact lists, pre-call rule set
 * and DNC list as code, and the results loop. The org is `--genesys-url` or the region domain of
 * OUTBOUND_GENESYS_ENVIRONMENT; the credentials of a Genesys OAuth client (client credentials grant) come from
 * OUTBOUND_GENESYS_CLIENT_ID and OUTBOUND_GENESYS_CLIENT_SECRET (in the cloud, from Secrets Manager).
 */

interface OrgOptions {
  config: string;
  genesysUrl?: string;
  json?: boolean;
}

function clientFromEnvironment(genesysUrl: string | undefined): GenesysClient {
  const environment = genesysUrl ?? process.env[envNames.genesysEnvironment];
  const clientId = process.env[envNames.genesysClientId];
  const clientSecret = process.env[envNames.genesysClientSecret];
  if (!environment) throw new Error(`no Genesys Cloud org: pass --genesys-url or set ${envNames.genesysEnvironment} (region domain, e.g. usw2.pure.cloud)`);
  if (!clientId || !clientSecret)
    throw new Error(`set ${envNames.genesysClientId} and ${envNames.genesysClientSecret} (an OAuth client with the client credentials grant)`);
  return new GenesysClient({ endpoints: genesysEndpoints(environment), credentials: { clientId, clientSecret } });
}

/** Plans (and with `apply`, makes) the changes that bring the org in step with the configuration; prints them. */
export async function runGenesysCommand(action: 'plan' | 'apply', options: OrgOptions, client = clientFromEnvironment(options.genesysUrl)): Promise<void> {
  const result = await readCampaignConfigFile(options.config);
  if (!result.ok) {
    for (const problem of result.problems) console.log(formatProblem(problem));
    process.exitCode = 1;
    return;
  }
  const plan = await planGenesysOrg(client, desiredGenesysOrg(result.config));
  if (action === 'plan') {
    console.log(options.json ? JSON.stringify(plan) : formatGenesysPlan(plan));
    return;
  }
  const done = await applyGenesysPlan(client, plan);
  if (options.json) console.log(JSON.stringify({ done, notes: plan.notes }));
  else
    console.log(
      [
        ...(done.length > 0 ? done : ['nothing to do: the Genesys Cloud org is in step with the configuration']),
        ...plan.notes.map((note) => `note: ${note}`),
      ].join('\n'),
    );
}

function formatResults(report: GenesysResultsReport): string {
  const unmapped = Object.entries(report.unmapped).map(([code, count]) => `${code} ${count}`);
  return [
    `${report.loadDate}: ${report.conversations} conversations in ${report.interval} → ${report.attempts} attempts written to ${report.dispositionsKey}` +
      ` (${report.notDialed} not dialled, ${report.notExported} of customers not exported to their list)`,
    `  unmapped wrap-up codes: ${unmapped.length > 0 ? unmapped.join(', ') : 'none'}`,
    `  numbers put on the DNC list today, recorded as opt-outs: ${report.dncOptOuts}`,
    ...report.lists.map((list) => `  ${list.setName}/${list.listName} → ${list.contactListId}: ${list.exported} exported, reconciled`),
  ].join('\n');
}

export function registerGenesys(program: Command): void {
  const genesys = program.command('genesys').description('Genesys Cloud as code: contact lists, the pre-call rule set and the DNC list of the configuration');
  for (const action of ['plan', 'apply'] as const) {
    genesys
      .command(action)
      .description(
        action === 'plan' ? 'print what apply would create or change (nothing to do when in step)' : 'create or update what plan prints (idempotent)',
      )
      .option('--config <file>', 'campaign configuration (YAML, or JSON by its .json extension)', DEFAULT_CAMPAIGN_CONFIG)
      .option('--genesys-url <url>', `origin of a Genesys stand-in (default: the region domain in ${envNames.genesysEnvironment})`)
      .option('--json', 'print JSON')
      .action((options: OrgOptions) => runGenesysCommand(action, options));
  }
  genesys
    .command('results')
    .description("the results loop: the day's Genesys conversations into the landing zone's dispositions, DNC additions as opt-outs, each list reconciled")
    .requiredOption('--date <YYYY-MM-DD>', 'the day whose exports were pushed')
    .requiredOption('--data <dir>', 'landing zone directory (writes dispositions/date=D/…_genesys.csv.gz)')
    .option('--home <dir>', 'state directory (lake, S3, DynamoDB)', defaultHome)
    .option('--genesys-url <url>', `origin of a Genesys stand-in (default: the region domain in ${envNames.genesysEnvironment})`)
    .option('--json', 'print JSON')
    .action(async (options: { date: string; data: string; home: string; genesysUrl?: string; json?: boolean }) => {
      if (!isIsoDate(options.date)) program.error(`--date: expected YYYY-MM-DD, got ${options.date}`);
      const client = clientFromEnvironment(options.genesysUrl);
      const runtime = await startLocalRuntime({ home: options.home, data: options.data });
      process.env[envNames.localMetricsFile] = localMetricsFile(runtime.home, `genesys-results-${options.date}`);
      try {
        const report = await pullGenesysResults(client, options.date, resources.buckets.exports, createLogger());
        console.log(options.json ? JSON.stringify(report) : formatResults(report));
      } finally {
        await runtime.stop();
      }
    });
  genesys
    .command('stand-in')
    .description(
      `serve the local Genesys Cloud stand-in until interrupted (client id and secret from ${envNames.genesysClientId}/${envNames.genesysClientSecret}, default local/local)`,
    )
    .option('--port <port>', 'loopback port (0 = any free port)', '8789')
    .action(async (options: { port: string }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) program.error(`--port: expected an integer 0..65535, got ${options.port}`);
      const standIn = await startGenesysStandIn({
        clientId: process.env[envNames.genesysClientId] ?? 'local',
        clientSecret: process.env[envNames.genesysClientSecret] ?? 'local',
        port,
      });
      console.log(`Genesys Cloud stand-in on ${standIn.url} — outbound genesys plan --genesys-url ${standIn.url}; Ctrl+C to stop`);
      const stop = () => void standIn.close();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
