import { createLogger } from '../../adapters/logger.ts';
import { measuredStep } from '../../adapters/metrics.ts';
import { z } from 'zod';
import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { attemptStepInput } from '../../domain/run-step-input.ts';
import { exportLists, readExportedLists, type ExportListsResult } from './exports.ts';

const logger = createLogger();

export const ExportListsInput = attemptStepInput;

export const handler = measuredStep('export-lists', exportListsStep);

/** Step `ExportLists` of the daily run: the published lists of the load date → CSV files + manifest (§7). */
async function exportListsStep(event: unknown): Promise<ExportListsResult> {
  const parsed = ExportListsInput.safeParse(event);
  if (!parsed.success) throw new Error(`invalid export input: ${z.prettifyError(parsed.error)}`);
  const { runId, attempt, loadDate } = parsed.data;
  logger.appendKeys({ runId, attempt, loadDate });
  const lakeBucket = requireEnv(envNames.lakeBucket);
  const exportsBucket = requireEnv(envNames.exportsBucket);
  const lists = await readExportedLists(loadDate, attempt);
  const engine = await createSqlEngine();
  try {
    // The export SQL reads the day's loan tape feed view (names, portfolio, days past due, amount due).
    await engine.registerFeeds(loadDate);
    const result = await exportLists(engine, { runId, attempt, loadDate, lakeBucket, exportsBucket, lists });
    logger.info('lists exported', {
      manifestKey: result.manifestKey,
      files: result.files.length,
      rows: result.files.reduce((sum, file) => sum + file.rows, 0),
      contactsNotExported: result.files.reduce((sum, file) => sum + file.contacts_not_exported, 0),
    });
    return result;
  } finally {
    await engine.close();
  }
}
