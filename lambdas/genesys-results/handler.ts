import { z } from 'zod';
import { GenesysClient, genesysCredentials, genesysEndpoints } from '../../adapters/genesys-client.ts';
import { defineStep } from '../../adapters/step.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { addDays } from '../../domain/campaigns/dates.ts';
import { easternDate, isIsoDate } from '../../domain/values/load-date.ts';
import { genesysResultsOutput } from '../../domain/run/step-outputs.ts';
import { pullGenesysResults } from './results.ts';

/**
 * The Genesys results loop (lambdas/genesys-results/results.ts, docs/genesys.md "The results loop"); off like the
 * push unless OUTBOUND_GENESYS_ENVIRONMENT is set. `day`: the 22:30 Eastern schedule pulls `today`; the 05:30 one
 * `yesterday` again, complete (calls in the western zones end after 22:30 Eastern), before the 06:00 run reads it;
 * `date` pulls a given day by hand. A contact list that does not hold exactly the customers exported to it fails
 * the invocation (Lambda error alarm) after the day's dispositions are written, and GenesysListMismatches pages.
 */
export const handler = defineStep({
  name: 'genesys-results',
  what: 'Genesys results',
  input: z
    .strictObject({
      day: z.enum(['today', 'yesterday']).default('today'),
      date: z.string().refine(isIsoDate, 'date must be a date written YYYY-MM-DD').optional(),
    })
    .default({ day: 'today' }),
  output: genesysResultsOutput,
  run: async ({ day, date }, logger) => {
    const today = easternDate(new Date());
    const loadDate = date ?? (day === 'today' ? today : addDays(today, -1));
    logger.appendKeys({ loadDate });
    const environment = process.env[envNames.genesysEnvironment];
    if (!environment) {
      logger.info('Genesys results loop is not enabled');
      return { enabled: false as const };
    }
    const client = new GenesysClient({ endpoints: genesysEndpoints(environment), credentials: await genesysCredentials() });
    return { enabled: true as const, ...(await pullGenesysResults(client, loadDate, requireEnv(envNames.exportsBucket), logger)) };
  },
});
