import { readQualityThresholds, sqlQualityGate } from '../../adapters/quality-gates.ts';
import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { listRawKeys } from '../../adapters/raw-store.ts';
import { verifyRawObjects } from '../../adapters/raw-verification.ts';
import { DAILY_FEEDS } from '../../domain/daily-feeds.ts';
import { dailyInputKeys } from '../../domain/daily-inputs.ts';
import { attemptStepInput } from '../../domain/run-step-input.ts';
import { customerFactsOutput } from '../../domain/step-outputs.ts';
import { defineStep } from '../../adapters/step.ts';
import { buildCustomerFacts } from './build.ts';

/** Step `BuildCustomerFacts` of the daily run: the day's feeds → customer-facts shard files + the shard manifest. */
export const handler = defineStep({
  name: 'build-customer-facts',
  what: 'customer facts',
  input: attemptStepInput,
  output: customerFactsOutput,
  run: async ({ attempt, loadDate }, logger) => {
    const thresholds = readQualityThresholds();
    // Again at use (remembered, so only a file delivered since PrepareRun is read): no shard is built from a damaged file.
    const feedKeys = (await Promise.all(DAILY_FEEDS.map((feed) => listRawKeys(`${feed}/`)))).flat();
    await verifyRawObjects(dailyInputKeys(feedKeys, loadDate), { context: `feeds for ${loadDate}` });
    const engine = await createSqlEngine();
    try {
      const result = await buildCustomerFacts(engine, {
        loadDate,
        attempt,
        lakeBucket: requireEnv(envNames.lakeBucket),
        log: (step, rows, milliseconds) => logger.info('customer facts step', { step, rows, milliseconds }),
        qualityGate: sqlQualityGate(engine, { loadDate, attempt, thresholds, log: (message, details) => logger.info(message, details) }),
      });
      logger.info('customer facts done', { customers: result.customers, shards: result.shards, inputs: result.inputs, counts: result.counts });
      return result;
    } finally {
      await engine.close();
    }
  },
});
