import { createLogger } from '../../adapters/logger.ts';
import { measuredStep } from '../../adapters/metrics.ts';
import { z } from 'zod';
import { GenesysClient, genesysEndpoints, readGenesysCredentials } from '../../adapters/genesys-client.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { attemptStepInput } from '../../domain/run-step-input.ts';
import { readExportedLists } from '../export-lists/exports.ts';
import { pushExports, type PushResult } from './push.ts';

const logger = createLogger();

export const GenesysPushInput = attemptStepInput;

export type GenesysPushOutput = { enabled: false } | ({ enabled: true } & PushResult);

export const handler = measuredStep('genesys-push', pushToGenesys);

/**
 * Step `PushToGenesys` (optional, off by default): uploads the day's exported call and SMS lists to
 * their Genesys Cloud contact lists. Off — a no-op answering `{ enabled: false }` — unless
 * OUTBOUND_GENESYS_ENVIRONMENT is set; then OUTBOUND_GENESYS_SECRET_NAME names the OAuth client secret.
 */
async function pushToGenesys(event: unknown): Promise<GenesysPushOutput> {
  const parsed = GenesysPushInput.safeParse(event);
  if (!parsed.success) throw new Error(`invalid Genesys push input: ${z.prettifyError(parsed.error)}`);
  const { runId, attempt, loadDate } = parsed.data;
  logger.appendKeys({ runId, attempt, loadDate });
  const environment = process.env[envNames.genesysEnvironment];
  if (!environment) {
    logger.info('Genesys push is not enabled');
    return { enabled: false };
  }
  const client = new GenesysClient({
    endpoints: genesysEndpoints(environment),
    credentials: await readGenesysCredentials(requireEnv(envNames.genesysSecretName)),
  });
  const lists = await readExportedLists(loadDate, attempt);
  const result = await pushExports({ runId, loadDate, exportsBucket: requireEnv(envNames.exportsBucket), lists, client });
  logger.info('lists pushed to Genesys Cloud', { pushed: result.pushed, skipped: result.skipped });
  return { enabled: true, ...result };
}
