import { readQualityThresholds, sqlQualityGate } from '../../adapters/quality-gates.ts';
import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import { listRawKeys } from '../../adapters/raw-store.ts';
import { verifyRawObjects } from '../../adapters/raw-verification.ts';
import { DAILY_FEEDS, feedFolder } from '../../domain/feeds/daily-feeds.ts';
import { dailyInputKeys } from '../../domain/feeds/daily-inputs.ts';
import { attemptStepInput } from '../../domain/run/run-step-input.ts';
import { customerFactsOutput } from '../../domain/run/step-outputs.ts';
import { defineStep } from '../../adapters/step.ts';
import { readConfigSnapshot } from '../../adapters/config-snapshot.ts';
import { lakeObjectExists } from '../../adapters/lake-store.ts';
import { runLayout } from '../../domain/run/run-layout.ts';
import { resolveListReference } from '../../domain/campaigns/references.ts';
import type { CampaignConfig } from '../../domain/campaigns/schema.ts';
import { buildCustomerFacts, type ListHistoryDeclaration } from './build.ts';

/** The configuration's list-history facts with their lists as (set, list) names; a reference that does not resolve stops the step. */
export function listHistoryDeclarations(config: Pick<CampaignConfig, 'sets' | 'list_history'>): ListHistoryDeclaration[] {
  return (config.list_history ?? []).map((fact) => ({
    name: fact.name,
    lookbackDays: fact.lookback_days,
    lists: fact.lists.map((reference) => {
      const resolved = resolveListReference(config, reference);
      if (!resolved.ok) throw new Error(`list_history ${fact.name}: ${resolved.problem}`);
      const set = config.sets[resolved.setIndex]!;
      return { set: set.name, list: set.lists[resolved.listIndex]!.name };
    }),
  }));
}

/** Step `BuildCustomerFacts` of the daily run: the day's feeds → customer-facts shard files + the shard manifest. */
export const handler = defineStep({
  name: 'build-customer-facts',
  what: 'customer facts',
  input: attemptStepInput,
  output: customerFactsOutput,
  run: async ({ attempt, loadDate }, logger) => {
    const thresholds = readQualityThresholds();
    // Again at use (remembered, so only a file delivered since PrepareRun is read): no shard is built from a damaged file.
    const feedKeys = (await Promise.all([...new Set(DAILY_FEEDS.map(feedFolder))].map((folder) => listRawKeys(`${folder}/`)))).flat();
    await verifyRawObjects(dailyInputKeys(feedKeys, loadDate), { context: `feeds for ${loadDate}` });
    // PrepareRun wrote the snapshot; its list-history facts are computed here, from the published history. Without a
    // snapshot there is nothing to compute, and EvaluateShard refuses the attempt (it cannot evaluate without one).
    const listHistory = (await lakeObjectExists(runLayout.configSnapshot(loadDate, attempt)))
      ? listHistoryDeclarations((await readConfigSnapshot(loadDate, attempt)).config)
      : [];
    const engine = await createSqlEngine();
    try {
      const result = await buildCustomerFacts(engine, {
        loadDate,
        attempt,
        listHistory,
        lakeBucket: requireEnv(envNames.lakeBucket),
        log: (step, rows, milliseconds) => logger.info('customer facts step', { step, rows, milliseconds }),
        qualityGate: sqlQualityGate(engine, { loadDate, attempt, thresholds, log: (message, details) => logger.info(message, details) }),
      });
      logger.info('customer facts done', { customers: result.customers, shards: result.shards, inputs: result.inputs, counts: result.counts });
      return result;
    } finally {
      await engine.close();
    }
  },
});
