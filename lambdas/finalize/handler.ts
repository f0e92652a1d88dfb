import { z } from 'zod';
import { readConfigSnapshot } from '../../adapters/config-snapshot.ts';
import { keepAsHistory } from '../../adapters/lake-retention.ts';
import { readQualityThresholds, sqlQualityGate } from '../../adapters/quality-gates.ts';
import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { readReferenceData } from '../../config/compliance/data.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { attemptStepInput } from '../../domain/run/run-step-input.ts';
import { evaluateShardOutput, finalizeOutput } from '../../domain/run/step-outputs.ts';
import { defineStep } from '../../adapters/step.ts';
import { runFinalize } from './finalize.ts';

/** Step `Finalize` of the daily run: list shaping, the §7 tables of the attempt, then the day's publication. */
export const handler = defineStep({
  name: 'finalize',
  what: 'finalize',
  // The EvaluateShards results, one per shard (only their row counts are read here).
  input: attemptStepInput.extend({ shards: z.array(evaluateShardOutput.pick({ shard: true, rows: true })) }),
  output: finalizeOutput,
  run: async ({ runId, attempt, loadDate, shards }, logger) => {
    const { key: snapshotKey, config } = await readConfigSnapshot(loadDate, attempt);
    const lakeBucket = requireEnv(envNames.lakeBucket);
    const thresholds = readQualityThresholds();
    const engine = await createSqlEngine();
    try {
      const result = await runFinalize(engine, {
        loadDate,
        attempt,
        runId,
        lakeBucket,
        config,
        statePopulation: readReferenceData().statePopulation,
        shards,
        log: (step, rows) => logger.info('finalize step', { step, rows }),
        qualityGate: sqlQualityGate(engine, { loadDate, attempt, thresholds, log: (message, details) => logger.info(message, details) }),
        keepHistory: () => keepAsHistory(lakeBucket, snapshotKey),
      });
      logger.info('finalize done', { rows: result.rows, capacityCuts: result.capacityCuts, lists: result.lists.length });
      return result;
    } finally {
      await engine.close();
    }
  },
});
