import { defineStep } from '../../adapters/step.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { parsePartnerRegistry } from '../../domain/exports/partners.ts';
import { attemptStepInput } from '../../domain/run/run-step-input.ts';
import { deliverExportsOutput } from '../../domain/run/step-outputs.ts';
import { deliverExports } from './deliver.ts';

/**
 * The delivery's time budget: 8 of the function's 10 minutes (lib/functions.ts, the task's TimeoutSeconds),
 * leaving time to fail visibly, naming the transfers that had not ended.
 */
export const DELIVERY_TIME_BUDGET_MS = 8 * 60_000;

/** Step `DeliverExports` of the daily run: the day's files with a `delivery` to their partners over SFTP, reconciled (deliver.ts). */
export const handler = defineStep({
  name: 'deliver-exports',
  what: 'partner delivery',
  input: attemptStepInput,
  output: deliverExportsOutput,
  run: async ({ runId, loadDate }, logger) => {
    const deadline = Date.now() + DELIVERY_TIME_BUDGET_MS;
    const registry = parsePartnerRegistry(process.env[envNames.partners], envNames.partners);
    const result = await deliverExports({ runId, loadDate, exportsBucket: requireEnv(envNames.exportsBucket), registry, deadline });
    if (result.nothingToDeliver) logger.info('nothing to deliver', { reason: result.nothingToDeliver });
    else logger.info('exports delivered to partners', { files: result.delivered.map(({ partner, file, via }) => ({ partner, file, via })) });
    return result;
  },
});
