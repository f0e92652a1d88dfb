import { z } from 'zod';
import { GenesysClient, genesysCredentials, genesysEndpoints } from '../../adapters/genesys-client.ts';
import { createLogger } from '../../adapters/logger.ts';
import { measuredStep } from '../../adapters/metrics.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { addDays } from '../../domain/campaigns/dates.ts';
import { easternDate, isIsoDate } from '../../domain/load-date.ts';
import { pullGenesysResults, type ResultsReport } from './results.ts';

const logger = createLogger();

/**
 * `day`: the 22:30 Eastern schedule pulls `today`; the 05:30 Eastern one `yesterday` again, complete (calls in the
 * western zones end after 22:30 Eastern), before the 06:00 run reads it. `date` pulls a given day by hand.
 */
export const GenesysResultsInput = z.strictObject({
  day: z.enum(['today', 'yesterday']).default('today'),
  date: z.string().refine(isIsoDate, 'date must be a date written YYYY-MM-DD').optional(),
});

export type GenesysResultsOutput = { enabled: false } | ({ enabled: true } & ResultsReport);

export const handler = measuredStep('genesys-results', pull);

/**
 * The Genesys results loop (lambdas/genesys-results/results.ts, docs/genesys.md "The results loop"); off like the
 * push unless OUTBOUND_GENESYS_ENVIRONMENT is set. A contact list that does not hold exactly the customers exported
 * to it fails the invocation (Lambda error alarm) after the day's dispositions are written, and GenesysListMismatches pages.
 */
async function pull(event: unknown): Promise<GenesysResultsOutput> {
  const parsed = GenesysResultsInput.safeParse(event ?? {});
  if (!parsed.success) throw new Error(`invalid Genesys results input: ${z.prettifyError(parsed.error)}`);
  const today = easternDate(new Date());
  const loadDate = parsed.data.date ?? (parsed.data.day === 'today' ? today : addDays(today, -1));
  logger.appendKeys({ loadDate });
  const environment = process.env[envNames.genesysEnvironment];
  if (!environment) {
    logger.info('Genesys results loop is not enabled');
    return { enabled: false };
  }
  const client = new GenesysClient({ endpoints: genesysEndpoints(environment), credentials: await genesysCredentials() });
  const report = await pullGenesysResults(client, loadDate, requireEnv(envNames.exportsBucket), logger);
  return { enabled: true, ...report };
}
