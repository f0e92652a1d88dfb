import { createLogger } from '../../adapters/logger.ts';
import { measuredStep } from '../../adapters/metrics.ts';
import { z } from 'zod';
import { GenesysClient, genesysCredentials, genesysEndpoints } from '../../adapters/genesys-client.ts';
import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { loadSql, sqlDate } from '../../sql/sql-files.ts';
import { attemptStepInput } from '../../domain/run-step-input.ts';
import { readExportedLists } from '../export-lists/exports.ts';
import { pushExports, type PushResult } from './push.ts';

const logger = createLogger();

export const GenesysPushInput = attemptStepInput;

export type GenesysPushOutput = { enabled: false } | ({ enabled: true } & PushResult);

/**
 * The push's time budget: 8 of the function's 10 minutes (lib/functions.ts, the task's TimeoutSeconds),
 * leaving time to fail visibly, naming the lists whose import had not ended.
 */
export const PUSH_TIME_BUDGET_MS = 8 * 60_000;

export const handler = measuredStep('genesys-push', pushToGenesys);

/**
 * Step `PushToGenesys` (optional, off by default): brings the day's exported call and SMS lists and the
 * DNC list of suppressed phones into Genesys Cloud (push.ts, docs/genesys.md). Off — a no-op answering `{ enabled: false }` — unless
 * OUTBOUND_GENESYS_ENVIRONMENT is set; then OUTBOUND_GENESYS_SECRET_NAME names the OAuth client secret.
 */
async function pushToGenesys(event: unknown): Promise<GenesysPushOutput> {
  const deadline = Date.now() + PUSH_TIME_BUDGET_MS;
  const parsed = GenesysPushInput.safeParse(event);
  if (!parsed.success) throw new Error(`invalid Genesys push input: ${z.prettifyError(parsed.error)}`);
  const { runId, attempt, loadDate } = parsed.data;
  logger.appendKeys({ runId, attempt, loadDate });
  const environment = process.env[envNames.genesysEnvironment];
  if (!environment) {
    logger.info('Genesys push is not enabled');
    return { enabled: false };
  }
  const client = new GenesysClient({ endpoints: genesysEndpoints(environment), credentials: await genesysCredentials() });
  const lists = await readExportedLists(loadDate, attempt);
  const suppressedPhones = await readSuppressedPhones(loadDate);
  const result = await pushExports({ runId, loadDate, exportsBucket: requireEnv(envNames.exportsBucket), lists, client, suppressedPhones, deadline });
  logger.info('lists pushed to Genesys Cloud', { pushed: result.pushed, skipped: result.skipped, dnc: result.dnc });
  return { enabled: true, ...result };
}

/** The published day's suppressed phone numbers (sql/genesys/dnc_suppressed_phones.sql). */
async function readSuppressedPhones(loadDate: string): Promise<string[]> {
  const engine = await createSqlEngine();
  try {
    const rows = await engine.query<{ phone: string }>(await loadSql('genesys/dnc_suppressed_phones.sql', { load_date: sqlDate(loadDate) }));
    return rows.map((row) => row.phone);
  } finally {
    await engine.close();
  }
}
