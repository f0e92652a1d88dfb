import { readExportedLists } from '../../adapters/config-snapshot.ts';
import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { defineStep } from '../../adapters/step.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { attemptStepInput } from '../../domain/run/run-step-input.ts';
import { exportListsOutput } from '../../domain/run/step-outputs.ts';
import { exportLists } from './exports.ts';

/** Step `ExportLists` of the daily run: the published lists of the load date → CSV files + manifest (§7). */
export const handler = defineStep({
  name: 'export-lists',
  what: 'export',
  input: attemptStepInput,
  output: exportListsOutput,
  run: async ({ runId, attempt, loadDate }, logger) => {
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
  },
});
