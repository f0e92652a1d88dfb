import { createLogger } from '../../adapters/logger.ts';
import { measuredStep, publishMetrics } from '../../adapters/metrics.ts';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { resources } from '../../config/resources.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { checkListVolumes, parseDeviationPercent } from '../../domain/list-volume.ts';
import { reportMetrics } from '../../domain/run-metrics.ts';
import { buildRunSummary, runSummaryKey, type RunSummary } from '../../domain/run-summary.ts';
import { s3Client } from '../../adapters/aws-clients.ts';

const logger = createLogger();

const count = z.number().int().nonnegative();
const eventSchema = z.object({
  run: z.object({
    runId: z.string(),
    loadDate: z.string(),
    steps: z.string(),
    fullLoad: z.boolean(),
    consentFiles: count,
    executionStartTime: z.iso.datetime({ offset: true }).nullable().optional(),
  }),
  consentTransform: z.object({
    asOfDate: z.string(),
    carriedFromDate: z.string().nullable(),
    rebuildReason: z.string().nullable(),
    filesRead: count,
    previousAsOfDate: z.string().nullable(),
    loadSkipped: z.string().nullable().optional(),
    rows: z.object({ bronze: count, gold: count, rejects: count, changes: z.object({ new: count, changed: count, gone: count }) }),
    rejectsByReason: z.record(z.string(), count),
  }),
  consentLoad: z.object({ written: count, deleted: count, files: count, skipped: z.string().nullable().optional() }),
  facts: z
    .object({
      customers: count,
      shards: count,
      counts: z.record(z.string(), z.record(z.string(), count)),
      setAside: z.record(z.string(), count),
    })
    .optional(),
  finalize: z
    .object({
      lists: z.array(
        z.object({
          set_name: z.string(),
          list_name: z.string(),
          assigned: count,
          suppressed: count,
          contacts: count,
          suppressions: z.record(z.string(), count),
          contactDrops: z.record(z.string(), count),
        }),
      ),
      listHistory: z.array(z.object({ set_name: z.string(), list_name: z.string(), days: count, assigned: count })),
    })
    .optional(),
  exports: z.object({ files: z.array(z.object({ set_name: z.string(), list_name: z.string(), rows: count })) }).optional(),
});

export const handler = measuredStep('report', report);

/** Report: writes the run summary to the lake and returns it. */
async function report(event: unknown): Promise<RunSummary> {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`invalid report input: ${z.prettifyError(parsed.error)}`);
  const { facts, finalize, exports, ...consent } = parsed.data;
  const deviationPercent = parseDeviationPercent(process.env[envNames.listVolumeDeviationPercent], envNames.listVolumeDeviationPercent);
  const summary = buildRunSummary({ ...consent, ...(facts && finalize && exports ? { lists: { facts, finalize, exports } } : {}) });
  await s3Client().send(
    new PutObjectCommand({
      Bucket: requireEnv(envNames.lakeBucket),
      Key: runSummaryKey(resources.prefixes.runs, summary.loadDate, summary.runId),
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
}
