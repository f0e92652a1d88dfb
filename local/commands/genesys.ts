import type { Command } from 'commander';
import { DEFAULT_CAMPAIGN_CONFIG, readCampaignConfigFile } from '../../adapters/campaign-config-file.ts';
import { GenesysClient, genesysEndpoints } from '../../adapters/genesys-client.ts';
import { envNames } from '../../config/environment.ts';
import { formatProblem } from '../../domain/campaigns/config-problems.ts';
import { desiredGenesysOrg } from '../../domain/genesys/definitions.ts';
import { applyGenesysPlan, formatGenesysPlan, planGenesysOrg } from '../../domain/genesys/plan.ts';
import { startGenesysStandIn } from '../genesys-stand-in.ts';

/**
 * `outbound genesys plan|apply|stand-in` (docs/genesys.md): the org's contact lists, pre-call rule set
 * and DNC list as code. The org is `--genesys-url` or the region domain of OUTBOUND_GENESYS_ENVIRONMENT;
 * the credentials of a Genesys OAuth client (client credentials grant) come from these variables,
 * read by this command only (the daily push reads its client from Secrets Manager).
 */
export const genesysCliEnv = {
  clientId: 'OUTBOUND_GENESYS_CLIENT_ID',
  clientSecret: 'OUTBOUND_GENESYS_CLIENT_SECRET',
} as const;

interface OrgOptions {
  config: string;
  genesysUrl?: string;
  json?: boolean;
}

function clientFromEnvironment(genesysUrl: string | undefined): GenesysClient {
  const environment = genesysUrl ?? process.env[envNames.genesysEnvironment];
  const clientId = process.env[genesysCliEnv.clientId];
  const clientSecret = process.env[genesysCliEnv.clientSecret];
  if (!environment) throw new Error(`no Genesys Cloud org: pass --genesys-url or set ${envNames.genesysEnvironment} (region domain, e.g. usw2.pure.cloud)`);
  if (!clientId || !clientSecret) throw new Error(`set ${genesysCliEnv.clientId} and ${genesysCliEnv.clientSecret} (an OAuth client with the client credentials grant)`);
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
  else console.log([...(done.length > 0 ? done : ['nothing to do: the Genesys Cloud org is in step with the configuration']), ...plan.notes.map((note) => `note: ${note}`)].join('\n'));
}

export function registerGenesys(program: Command): void {
  const genesys = program.command('genesys').description('Genesys Cloud as code: contact lists, the pre-call rule set and the DNC list of the configuration');
  for (const action of ['plan', 'apply'] as const) {
    genesys
      .command(action)
      .description(action === 'plan' ? 'print what apply would create or change (nothing to do when in step)' : 'create or update what plan prints (idempotent)')
      .option('--config <file>', 'campaign configuration (YAML, or JSON by its .json extension)', DEFAULT_CAMPAIGN_CONFIG)
      .option('--genesys-url <url>', `origin of a Genesys stand-in (default: the region domain in ${envNames.genesysEnvironment})`)
      .option('--json', 'print JSON')
      .action((options: OrgOptions) => runGenesysCommand(action, options));
  }
  genesys
    .command('stand-in')
    .description(`serve the local Genesys Cloud stand-in until interrupted (client id and secret from ${genesysCliEnv.clientId}/${genesysCliEnv.clientSecret}, default local/local)`)
    .option('--port <port>', 'loopback port (0 = any free port)', '8789')
    .action(async (options: { port: string }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65_535) program.error(`--port: expected an integer 0..65535, got ${options.port}`);
      const standIn = await startGenesysStandIn({
        clientId: process.env[genesysCliEnv.clientId] ?? 'local',
        clientSecret: process.env[genesysCliEnv.clientSecret] ?? 'local',
        port,
      });
      console.log(`Genesys Cloud stand-in on ${standIn.url} — outbound genesys plan --genesys-url ${standIn.url}; Ctrl+C to stop`);
      const stop = () => void standIn.close();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
