import { readExportedLists } from '../../adapters/config-snapshot.ts';
import { GenesysClient, genesysCredentials, genesysEndpoints } from '../../adapters/genesys-client.ts';
import { defineStep } from '../../adapters/step.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { attemptStepInput } from '../../domain/run/run-step-input.ts';
import { genesysPushOutput } from '../../domain/run/step-outputs.ts';
import { pushExports, readSuppressedPhones } from './push.ts';

/**
 * The push's time budget: 8 of the function's 10 minutes (lib/functions.ts, the task's TimeoutSeconds),
 * leaving time to fail visibly, naming the lists whose import had not ended.
 */
export const PUSH_TIME_BUDGET_MS = 8 * 60_000;

/**
 * Step `PushToGenesys` (optional, off by default): brings the day's exported call and SMS lists and the
 * DNC list of suppressed phones into Genesys Cloud (push.ts, docs/genesys.md). Off — a no-op answering `{ enabled: false }` — unless
 * OUTBOUND_GENESYS_ENVIRONMENT is set.
 */
export const handler = defineStep({
  name: 'genesys-push',
  what: 'Genesys push',
  input: attemptStepInput,
  output: genesysPushOutput,
  run: async ({ runId, attempt, loadDate }, logger) => {
    const deadline = Date.now() + PUSH_TIME_BUDGET_MS;
    const environment = process.env[envNames.genesysEnvironment];
    if (!environment) {
      logger.info('Genesys push is not enabled');
      return { enabled: false as const };
    }
    const client = new GenesysClient({ endpoints: genesysEndpoints(environment), credentials: await genesysCredentials() });
    const lists = await readExportedLists(loadDate, attempt);
    const suppressedPhones = await readSuppressedPhones(loadDate);
    const result = await pushExports({ runId, loadDate, exportsBucket: requireEnv(envNames.exportsBucket), lists, client, suppressedPhones, deadline });
    logger.info('lists pushed to Genesys Cloud', { pushed: result.pushed, skipped: result.skipped, dnc: result.dnc });
    return { enabled: true as const, ...result };
  },
});
