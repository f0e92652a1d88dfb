import { z } from 'zod';
import { readQualityThresholds, sqlQualityGate } from '../../adapters/quality-gates.ts';
import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { defineStep } from '../../adapters/step.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { resources } from '../../config/resources.ts';
import { listRawKeys } from '../../adapters/raw-store.ts';
import { runStepInput } from '../../domain/run/run-step-input.ts';
import { consentTransformOutput } from '../../domain/run/step-outputs.ts';
import { getConsentTableState, recordPendingLoad } from '../../adapters/consent-store.ts';
import { consentChangesPrefix } from '../../domain/run/run-layout.ts';
import { runConsentTransform } from './transform.ts';

/** Step `ConsentTransform` of the daily run: raw consent files → bronze → silver → gold, rejects, changes. */
export const handler = defineStep({
  name: 'consent-transform',
  what: 'consent transform',
  input: runStepInput.extend({ fullLoad: z.boolean().optional() }),
  output: consentTransformOutput,
  run: async ({ runId, loadDate, fullLoad }, logger) => {
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
  },
});
