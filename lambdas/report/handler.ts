import { Logger } from '@aws-lambda-powertools/logger';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { resources } from '../../config/resources.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { buildRunSummary, runSummaryKey, type RunSummary } from '../../domain/run-summary.ts';
import { s3Client } from '../../adapters/aws-clients.ts';

const logger = new Logger();

const count = z.number().int().nonnegative();
const eventSchema = z.object({
  run: z.object({ runId: z.string(), loadDate: z.string(), steps: z.string(), fullLoad: z.boolean(), consentFiles: count }),
  consentTransform: z.object({
    asOfDate: z.string(),
    previousAsOfDate: z.string().nullable(),
    rows: z.object({ bronze: count, gold: count, rejects: count, changes: z.object({ new: count, changed: count, gone: count }) }),
    rejectsByReason: z.record(z.string(), count),
  }),
  consentLoad: z.object({ written: count, deleted: count, files: count }),
  facts: z.object({ customers: count, shards: count }).optional(),
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
    })
    .optional(),
  exports: z.object({ files: z.array(z.object({ set_name: z.string(), list_name: z.string(), rows: count })) }).optional(),
});

/** Report: writes the run summary to the lake and returns it. */
export async function handler(event: unknown): Promise<RunSummary> {
  const parsed = eventSchema.safeParse(event);
  if (!parsed.success) throw new Error(`invalid report input: ${z.prettifyError(parsed.error)}`);
  const { facts, finalize, exports, ...consent } = parsed.data;
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
  return summary;
}
