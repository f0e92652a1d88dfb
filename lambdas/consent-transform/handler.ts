import { createLogger } from '../../adapters/logger.ts';
import { measuredStep } from '../../adapters/metrics.ts';
import { z } from 'zod';
import { readQualityThresholds, sqlQualityGate } from '../../adapters/quality-gates.ts';
import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { resources } from '../../config/resources.ts';
import { listRawKeys } from '../../adapters/raw-store.ts';
import { runStepInput } from '../../domain/run-step-input.ts';
import { getConsentTableState, recordPendingLoad } from '../../adapters/consent-store.ts';
import { consentChangesPrefix, runConsentTransform, type ConsentTransformResult } from './transform.ts';

const logger = createLogger();

export const ConsentTransformInput = runStepInput.extend({ fullLoad: z.boolean().optional() });

export const handler = measuredStep('consent-transform', consentTransform);

/** Step `ConsentTransform` of the daily run: raw consent files → bronze → silver → gold, rejects, changes. */
async function consentTransform(event: unknown): Promise<ConsentTransformResult> {
  const parsed = ConsentTransformInput.safeParse(event);
  if (!parsed.success) throw new Error(`invalid consent transform input: ${z.prettifyError(parsed.error)}`);
  const { runId, loadDate, fullLoad } = parsed.data;
  logger.appendKeys({ runId, loadDate });
  const thresholds = readQualityThresholds();
  const engine = await createSqlEngine();
  try {
    const result = await runConsentTransform(engine, {
      asOfDate: loadDate,
      lakeBucket: requireEnv(envNames.lakeBucket),
      consentKeys: await listRawKeys(resources.prefixes.consentFeeds),
      consentTable: { state: await getConsentTableState(), recordPending: recordPendingLoad },
      fullLoad: fullLoad ?? false,
      runId,
      changesPrefix: consentChangesPrefix(loadDate, runId, new Date()),
      log: (step, rows) => logger.info('consent transform step', { step, rows }),
      qualityGate: sqlQualityGate(engine, { loadDate, attempt: null, thresholds, log: (message, details) => logger.info(message, details) }),
    });
    const { carriedFromDate, rebuildReason, filesRead, previousAsOfDate, loadSkipped, rows, rejectsByReason } = result;
    logger.info('consent transform done', { carriedFromDate, rebuildReason, filesRead, previousAsOfDate, loadSkipped, rows, rejectsByReason });
    return result;
  } finally {
    await engine.close();
  }
}
