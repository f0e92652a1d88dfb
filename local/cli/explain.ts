import { resolve } from 'node:path';
import { readConfigSnapshot } from '../../adapters/config-snapshot.ts';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { readJsonLinesObjects } from '../../adapters/json-lines-objects.ts';
import { listKeysUnderPrefix } from '../../adapters/s3-prefix.ts';
import { envNames, requireEnv } from '../../config/environment.ts';
import type { CustomerExplanation } from '../../domain/campaigns/decision.ts';
import type { CustomerFacts } from '../../domain/campaigns/facts.ts';
import { compileCampaigns } from '../../domain/campaigns/engine.ts';
import { factsShardPrefix, factsTablePrefix, runLayout } from '../../domain/run/run-layout.ts';
import { readShardFacts, runContactFilters } from '../../lambdas/evaluate-shard/shard.ts';
import { sqlDate, sqlText } from '../../sql/sql-files.ts';
import { startLocalRuntime } from '../runtime/runtime.ts';

export interface LocalExplanation {
  loadDate: string;
  runId: string;
  attempt: string;
  explanation: CustomerExplanation;
  /** The customer-facts record the engine read. */
  facts: CustomerFacts;
  /** Lists whose shaping (target_size) cut the customer after evaluation: Finalize's LIST_CAPACITY rows. */
  capacityCuts: { set_name: string; list_name: string }[];
}

/**
 * `outbound explain`: the published run of the date, its configuration snapshot and the customer's facts
 * from that run's shard files, evaluated again by the engine with the shard Lambda's filters and a trace —
 * the code path that wrote the lists. List shaping happens later, in Finalize, so its cuts are read from
 * the published suppression table.
 */
export async function explainLocally(options: { home: string; loadDate: string; payoffuid: string }): Promise<LocalExplanation> {
  const { loadDate, payoffuid } = options;
  const runtime = await startLocalRuntime({ home: options.home });
  const engine = await DuckDbEngine.open({ home: resolve(options.home) });
  try {
    const [publication] = await engine.query<{ attempt: string; run_id: string }>(
      `SELECT attempt, run_id FROM publications WHERE CAST(load_date AS DATE) = ${sqlDate(loadDate).sql}`,
    );
    if (!publication) throw new Error(`no published run for ${loadDate} in ${runtime.home}`);
    const { attempt, run_id: runId } = publication;
    const { config } = await readConfigSnapshot(loadDate, attempt);
    const bucket = requireEnv(envNames.lakeBucket);
    const prefix = runLayout.factsPrefix(loadDate, attempt);

    const shards = [
      ...new Set((await listKeysUnderPrefix(bucket, factsTablePrefix(prefix, 'customers'))).map((key) => Number(/\/shard=(\d+)\//.exec(key)?.[1]))),
    ];
    let facts: CustomerFacts | undefined;
    for (const shard of shards) {
      const customers = (await readJsonLinesObjects(bucket, factsShardPrefix(prefix, 'customers', shard))) as { payoffuid: string }[];
      if (!customers.some((row) => row.payoffuid === payoffuid)) continue;
      facts = (await readShardFacts(bucket, prefix, shard, config)).facts.find((customer) => customer.payoffuid === payoffuid);
      break;
    }
    if (!facts) throw new Error(`customer ${payoffuid} is not among the customers of the ${loadDate} run`);

    const explanation = compileCampaigns(config, { loadDate, contactFilters: runContactFilters() }).explain(facts);
    const capacityCuts = await engine.query<{ set_name: string; list_name: string }>(
      `SELECT set_name, list_name FROM rpt_outbound_lists_suppression
       WHERE load_date = ${sqlDate(loadDate).sql} AND payoffuid = ${sqlText(payoffuid).sql} AND suppression_reason = 'LIST_CAPACITY' ORDER BY set_name`,
    );
    return { loadDate, runId, attempt, explanation, facts, capacityCuts };
  } finally {
    await engine.close();
    await runtime.stop();
  }
}
