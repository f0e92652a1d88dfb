import { publishMetrics } from '../../adapters/metrics.ts';
import { defineStep } from '../../adapters/step.ts';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { envNames, requireEnv } from '../../config/environment.ts';
import { checkListVolumes, parseDeviationPercent } from '../../domain/run/list-volume.ts';
import { reportMetrics } from '../../domain/run/run-metrics.ts';
import { buildRunSummary, runSummarySchema } from '../../domain/run/run-summary.ts';
import { runLayout } from '../../domain/run/run-layout.ts';
import {
  consentLoadOutput,
  consentTransformOutput,
  customerFactsOutput,
  deliverExportsOutput,
  exportListsOutput,
  finalizeOutput,
  prepareRunOutput,
} from '../../domain/run/step-outputs.ts';
import { s3Client } from '../../adapters/aws-clients.ts';

/**
 * What Report reads of the earlier steps' results (domain/run/step-outputs.ts); the list steps' are absent for
 * `--steps consent`.
 */
const eventSchema = z.object({
  run: prepareRunOutput.pick({ runId: true, loadDate: true, steps: true, fullLoad: true, consentFiles: true, executionStartTime: true }),
  consentTransform: consentTransformOutput.omit({ changes: true }),
  consentLoad: consentLoadOutput,
  facts: customerFactsOutput.pick({ customers: true, shards: true, counts: true, setAside: true }).optional(),
  finalize: finalizeOutput.pick({ lists: true, listHistory: true }).optional(),
  exports: z.object({ files: z.array(exportListsOutput.shape.files.element.pick({ set_name: true, list_name: true, rows: true })) }).optional(),
  deliveries: deliverExportsOutput.pick({ delivered: true }).optional(),
});

/** Report: writes the run summary to the lake and returns it. */
export const handler = defineStep({
  name: 'report',
  what: 'report',
  input: eventSchema,
  output: runSummarySchema,
  run: async (input, logger) => {
    const { facts, finalize, exports, deliveries, ...consent } = input;
    const deviationPercent = parseDeviationPercent(process.env[envNames.listVolumeDeviationPercent], envNames.listVolumeDeviationPercent);
    const summary = buildRunSummary({
      ...consent,
      ...(facts && finalize && exports ? { lists: { facts, finalize, exports } } : {}),
      ...(deliveries ? { deliveries } : {}),
    });
    await s3Client().send(
      new PutObjectCommand({
        Bucket: requireEnv(envNames.lakeBucket),
        Key: runLayout.summaryKey(summary.loadDate, summary.runId),
        Body: JSON.stringify(summary, null, 2),
        ContentType: 'application/json',
      }),
    );
    logger.info('run summary written', { runId: summary.runId, loadDate: summary.loadDate, goldRows: summary.consent.goldRows });

    const volumes = finalize ? checkListVolumes(finalize.lists, finalize.listHistory, deviationPercent) : [];
    for (const check of volumes.filter((entry) => entry.anomaly)) logger.warn('list volume anomaly', { ...check, deviationPercentLimit: deviationPercent });
    const startedAt = consent.run.executionStartTime ? Date.parse(consent.run.executionStartTime) : null;
    const metrics = reportMetrics({
      steps: summary.steps,
      durationSeconds: startedAt === null ? null : (Date.now() - startedAt) / 1000,
      ...(finalize ? { lists: { counts: finalize.lists, volumes } } : {}),
      ...(facts ? { feedsSetAside: facts.setAside } : {}),
    });
    for (const record of metrics) publishMetrics(record.values, record.dimensions);
    return summary;
  },
});
