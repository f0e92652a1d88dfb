import type { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { publishMetrics } from '../../adapters/metrics.ts';
import { metricNames } from '../../config/metrics.ts';
import { ACCOUNT_NUMBER, type ConsentChange } from '../../domain/consent/consent.ts';
import { isIsoDate } from '../../domain/values/load-date.ts';
import type { ConsentLoadOutput, ConsentTransformOutput } from '../../domain/run/step-outputs.ts';
import { streamParquetRows } from '../../adapters/parquet-objects.ts';
import { ConsentTableMovedError, getConsentTableState, putLoadMarker, writeChanges } from '../../adapters/consent-store.ts';

export interface ConsentLoadRequest {
  runId: string;
  loadDate: string;
  fullLoad?: boolean | undefined;
  /** The transform's `loadSkipped`: why nothing is to be loaded (a backfill); null = load. */
  skipped: ConsentTransformOutput['loadSkipped'];
  changes: ConsentTransformOutput['changes'];
}

const changeSchema = z.object({
  change_type: z.enum(['new', 'changed', 'gone']),
  account_number: z.string().regex(ACCOUNT_NUMBER, 'expected 16 digits'),
  phone_number: z.string().regex(/^\+1[2-9][0-9]{2}[2-9][0-9]{6}$/, 'expected an E.164 US number'),
  phone_type: z.enum(['MOBILE', 'HOME', 'WORK', 'OTHER']),
  phone_status: z.enum(['ACTIVE', 'INACTIVE', 'DISCONNECTED']),
  phone_technology: z.enum(['WIRELESS', 'LANDLINE', 'VOIP']),
  quality_score: z.number().int().min(1).max(100).nullable(),
  phone_source: z.enum(['CLIENT', 'CONSUMER', 'THIRD_PARTY', 'OTHER']),
  has_sms_consent: z.boolean().nullable(),
  sms_consent_updated_at: z.string().nullable(),
  is_deleted: z.boolean(),
  delete_type: z.enum(['hard_delete', 'soft_delete']).nullable(),
  deleted_at: z.string().nullable(),
  as_of_date: z.string().refine(isIsoDate, 'expected a calendar date YYYY-MM-DD'),
}) satisfies z.ZodType<ConsentChange>;

/** Changes written per writeChanges call while streaming: bounds memory whatever the file size. */
const WRITE_BATCH = 2_000;

/**
 * Consent load: applies the transform's changes files (Parquet rows of ConsentChange) to the
 * PhoneConsent table, then records the load marker. A backfill (the transform's `skipped`) writes nothing:
 * the table keeps the newer load it holds. Before writing, the table's pending load must still be this
 * run's changes (the transform recorded them, on condition that the table held what it compared with): if
 * not, another run moved the table since and the step fails without writing. Every file is validated in a
 * first streaming pass, so a malformed row fails the step before anything is written; the marker is put
 * last, on the same condition, so a failed load never advances the API's `asOf` and the next run writes
 * its rows again. Puts and deletes are idempotent: a re-run writes the same items.
 */
export async function loadConsentChanges(request: ConsentLoadRequest, logger: Logger): Promise<ConsentLoadOutput> {
  const { runId, loadDate, changes, skipped } = request;
  if (skipped !== null) {
    logger.info('consent load skipped', { runId, loadDate, reason: skipped });
    return { written: 0, deleted: 0, files: 0, skipped };
  }

  const table = await getConsentTableState();
  if (table.pending?.prefix !== changes.prefix) {
    throw new ConsentTableMovedError(
      `consent load of ${loadDate}: the consent table's pending load is ${table.pending ? `${table.pending.prefix} (${table.pending.as_of_date})` : 'none'}, ` +
        `not this run's changes ${changes.prefix}; another run changed the table since this run's transform: re-run the date`,
    );
  }

  let validated = 0;
  for (const key of changes.keys) {
    for await (const _change of readChanges(changes.bucket, key)) validated += 1;
  }

  const output: ConsentLoadOutput = { written: 0, deleted: 0, files: changes.keys.length, skipped: null };
  const apply = async (batch: ConsentChange[]) => {
    const result = await writeChanges(batch);
    output.written += result.written;
    output.deleted += result.deleted;
  };
  for (const key of changes.keys) {
    let batch: ConsentChange[] = [];
    for await (const change of readChanges(changes.bucket, key)) {
      batch.push(change);
      if (batch.length >= WRITE_BATCH) {
        await apply(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await apply(batch);
  }

  await putLoadMarker({ as_of_date: loadDate, run_id: runId, loaded_at: new Date().toISOString() }, { pendingPrefix: changes.prefix });
  publishMetrics({ [metricNames.consentRowsLoaded]: output.written + output.deleted });
  logger.info('consent load completed', {
    runId,
    loadDate,
    loadedBefore: table.loaded?.as_of_date ?? null,
    fullLoad: request.fullLoad ?? false,
    changes: validated,
    ...output,
  });
  return output;
}

/** Streams one changes file row by row, validating each; errors name the file and row (never the values). */
function readChanges(bucket: string, key: string): AsyncGenerator<ConsentChange> {
  return streamParquetRows(bucket, key, changeSchema);
}
