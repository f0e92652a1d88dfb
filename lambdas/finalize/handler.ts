import { createLogger } from '../../adapters/logger.ts';
import { measuredStep } from '../../adapters/metrics.ts';
import { z } from 'zod';
import { readConfigSnapshot } from '../../adapters/config-snapshot.ts';
import { keepAsHistory } from '../../adapters/lake-retention.ts';
import { readQualityThresholds, sqlQualityGate } from '../../adapters/quality-gates.ts';
import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { readReferenceData } from '../../config/compliance/data.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { attemptStepInput } from '../../domain/run-step-input.ts';
import { runFinalize, type FinalizeResult } from './finalize.ts';

const logger = createLogger();

const rowCount = z.number().int().nonnegative();

export const FinalizeInput = attemptStepInput.extend({
  /** The EvaluateShards results, one per shard (their other fields are not read here). */
  shards: z.array(
    z.looseObject({
      shard: z.number().int().nonnegative(),
      rows: z.object({ lists: rowCount, contacts: rowCount, suppressions: rowCount }),
    }),
  ),
});

export const handler = measuredStep('finalize', finalize);

/** Step `Finalize` of the daily run: list shaping, the §7 tables of the attempt, then the day's publication. */
async function finalize(event: unknown): Promise<FinalizeResult> {
  const parsed = FinalizeInput.safeParse(event);
  if (!parsed.success) throw new Error(`invalid finalize input: ${z.prettifyError(parsed.error)}`);
  const { runId, attempt, loadDate, shards } = parsed.data;
  logger.appendKeys({ runId, attempt, loadDate });
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
}
