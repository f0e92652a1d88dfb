import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { GetObjectTaggingCommand } from '@aws-sdk/client-s3';
import { s3Client } from '../../../adapters/aws-clients.ts';
import { putLakeJson } from '../../../adapters/lake-store.ts';
import type { SqlEngine } from '../../../adapters/sql-engine.ts';
import { resources } from '../../../config/resources.ts';
import { runLayout } from '../../../domain/run/run-layout.ts';
import { handler } from '../../../lambdas/finalize/handler.ts';
import { FinalizeCheckError, runFinalize, type ShardRowCounts } from '../../../lambdas/finalize/finalize.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import { buildConfig } from '../../domain/campaigns/fixtures.ts';
import {
  contactRow,
  LOAD_DATE,
  listRow,
  RUN_ID,
  suppressionRow,
  temporaryHome,
  writeShardDecisions,
  type ShardDecisions,
} from '../../lambdas/finalize/fixtures.ts';

/** Finalize on DuckDB with the decisions in s3rver: the §7 tables, list shaping, checks and the day's publication. */

const PREVIOUS_DATE = '2026-11-19';
const population = new Map([
  ['NY', { population: 20_000_000 }],
  ['CA', { population: 39_000_000 }],
  ['TX', { population: 29_000_000 }],
]);
const config = buildConfig({
  version: 'test',
  sets: [
    {
      name: 'COLLECTIONS',
      channel: 'call',
      lists: [
        {
          name: 'EARLY',
          priority: 1,
          purpose: 'collections',
          target_size: 3,
          distribution: 'census_state',
          conditions: { source: 'loan', field: 'days_past_due', operator: '<', value: 30 },
        },
        { name: 'LATE', priority: 2, purpose: 'collections', conditions: { source: 'loan', field: 'days_past_due', operator: '>=', value: 30 } },
      ],
    },
  ],
});

/** Two shards: five unsuppressed EARLY customers for three places, one suppressed, two LATE. */
function decisions(loadDate: string, runId: string): ShardDecisions[] {
  const date = { load_date: loadDate };
  const early = (payoffuid: string, state: string, order: number) => listRow(payoffuid, { ...date, run_id: runId, state, shaping_order: order });
  return [
    {
      lists: [early('P1', 'NY', 10), early('P2', 'NY', 20), early('P3', 'CA', 30), early('P4', 'TX', 40), { ...early('P5', 'CA', 50), suppression_flag: true }],
      contacts: ['P1', 'P2', 'P3', 'P4'].map((payoffuid) =>
        contactRow(payoffuid, { ...date, contact_value: `+1212555${payoffuid.slice(1).padStart(4, '0')}` }),
      ),
      suppressions: [
        suppressionRow('P5', date),
        suppressionRow('P1', { ...date, suppression_type: 'CONTACT', suppression_reason: 'BAD_NUMBER', contact_value: '+12125559999' }),
      ],
    },
    {
      lists: [
        early('P6', 'CA', 60),
        listRow('Q1', { ...date, run_id: runId, list_name: 'LATE' }),
        listRow('Q2', { ...date, run_id: runId, list_name: 'LATE', calls_allowed_today: null }),
      ],
      contacts: [
        contactRow('P6', { ...date, contact_value: '+13105550106' }),
        contactRow('Q1', { ...date, list_name: 'LATE', contact_value: '+13105550201' }),
        contactRow('Q1', { ...date, list_name: 'LATE', contact_value: '+13105550202', contact_rank: 2, contact_type: 'home' }),
        contactRow('Q2', { ...date, list_name: 'LATE', contact_value: '+13105550203' }),
      ],
      suppressions: [],
    },
  ];
}

let home: Awaited<ReturnType<typeof temporaryHome>>;
let runtime: LocalRuntime;

beforeAll(async () => {
  home = await temporaryHome();
  runtime = await startLocalRuntime({ home: home.path });
});

afterAll(async () => {
  await runtime.stop();
  await home.remove();
});

async function finalize(options: { loadDate?: string; attempt: string; runId?: string; shards: ShardRowCounts[]; engine?: (engine: SqlEngine) => SqlEngine }) {
  const duckdb = await DuckDbEngine.open({ home: runtime.home, memoryLimit: '256MB' });
  try {
    return await runFinalize(options.engine ? options.engine(duckdb) : duckdb, {
      loadDate: options.loadDate ?? LOAD_DATE,
      attempt: options.attempt,
      runId: options.runId ?? RUN_ID,
      lakeBucket: resources.buckets.lake,
      config,
      statePopulation: population,
      shards: options.shards,
    });
  } finally {
    await duckdb.close();
  }
}

/** What a reader sees: a fresh engine, as `outbound query` opens one. */
async function published(loadDate: string) {
  const engine = await DuckDbEngine.open({ home: runtime.home, memoryLimit: '256MB' });
  try {
    const where = `WHERE load_date = DATE '${loadDate}'`;
    return {
      lists: await engine.query<Record<string, unknown>>(`SELECT * FROM rpt_outbound_lists ${where} ORDER BY set_name, list_name, payoffuid`),
      contacts: await engine.query<Record<string, unknown>>(
        `SELECT * FROM rpt_outbound_list_contacts ${where} ORDER BY set_name, list_name, payoffuid, contact_rank`,
      ),
      suppressions: await engine.query<Record<string, unknown>>(
        `SELECT * FROM rpt_outbound_lists_suppression ${where} ORDER BY set_name, list_name, payoffuid, suppression_type, suppression_reason, contact_value`,
      ),
    };
  } finally {
    await engine.close();
  }
}

describe('finalize', () => {
  it('writes the §7 tables, cuts the list to its target and publishes the day', async () => {
    // Prepare
    const shards = await writeShardDecisions(LOAD_DATE, 'first', decisions(LOAD_DATE, RUN_ID));
    // Act
    const result = await finalize({ attempt: 'first', shards });
    const day = await published(LOAD_DATE);
    // Assess: EARLY keeps 3 of its 5 unsuppressed customers: CA 39 M, TX 29 M, NY 20 M take one place each.
    const early = day.lists.filter((row) => row.list_name === 'EARLY');
    const kept = early.filter((row) => row.suppression_flag === false).map((row) => row.payoffuid);
    expect(kept).toEqual(['P1', 'P3', 'P4']);
    const cut = ['P2', 'P6'];
    expect(early.filter((row) => cut.includes(row.payoffuid as string)).every((row) => row.suppression_flag === true)).toBe(true);
    expect(day.suppressions.filter((row) => row.suppression_reason === 'LIST_CAPACITY')).toEqual(
      cut.map((payoffuid) => ({
        load_date: LOAD_DATE,
        suppression_type: 'LIST',
        suppression_reason: 'LIST_CAPACITY',
        payoffuid,
        set_name: 'COLLECTIONS',
        list_name: 'EARLY',
        contact_value: null,
      })),
    );
    expect(day.contacts.map((row) => row.payoffuid)).toEqual(['P1', 'P3', 'P4', 'Q1', 'Q1', 'Q2']);
    expect(day.contacts[0]).toMatchObject({ window_start_utc: '2026-11-20 13:00:00', window_end_utc: '2026-11-21 02:00:00', contact_rank: 1 });
    expect(day.lists[0]).toMatchObject({
      load_date: LOAD_DATE,
      loan_tape_asofdate: LOAD_DATE,
      run_id: RUN_ID,
      channel: 'call',
      state: 'NY',
      calls_allowed_today: 7,
    });
    expect(day.lists.filter((row) => row.list_name === 'LATE').map((row) => row.calls_allowed_today)).toEqual([7, null]);
    expect(result.rows).toEqual({ rpt_outbound_lists: 8, rpt_outbound_list_contacts: 6, rpt_outbound_lists_suppression: 4 });
    expect(result.capacityCuts).toBe(2);
    expect(result.listHistory).toEqual([]);
    expect(result.lists).toEqual([
      {
        set_name: 'COLLECTIONS',
        list_name: 'EARLY',
        assigned: 6,
        suppressed: 3,
        contacts: 3,
        suppressions: { BANKRUPTCY: 1, LIST_CAPACITY: 2 },
        contactDrops: { BAD_NUMBER: 1 },
      },
      { set_name: 'COLLECTIONS', list_name: 'LATE', assigned: 2, suppressed: 0, contacts: 3, suppressions: {}, contactDrops: {} },
    ]);
  });

  it('shows the previous state of a date until the new attempt is published, keeps other dates, and removes superseded attempts', async () => {
    // Prepare: the previous day, and the date published by attempt `before`.
    await finalize({
      loadDate: PREVIOUS_DATE,
      attempt: 'yesterday',
      shards: await writeShardDecisions(PREVIOUS_DATE, 'yesterday', decisions(PREVIOUS_DATE, RUN_ID)),
    });
    await finalize({ attempt: 'before', shards: await writeShardDecisions(LOAD_DATE, 'before', decisions(LOAD_DATE, RUN_ID)) });
    const previousDay = await published(PREVIOUS_DATE);
    const before = await published(LOAD_DATE);
    const laterRun = '2026-11-20-ffffffffffff';
    const changed = decisions(LOAD_DATE, laterRun);
    changed[1]!.lists.pop();
    changed[1]!.contacts.pop();
    const shards = await writeShardDecisions(LOAD_DATE, 'after', changed);
    // Act: every table of attempt `after` is written, then the publication fails.
    const failing = (engine: SqlEngine): SqlEngine =>
      Object.assign(Object.create(engine) as SqlEngine, { publish: () => Promise.reject(new Error('publication failed')) });
    await expect(finalize({ attempt: 'after', runId: laterRun, shards, engine: failing })).rejects.toThrow('publication failed');
    const whileUnpublished = await published(LOAD_DATE);
    const { listHistory } = await finalize({ attempt: 'after', runId: laterRun, shards });
    const after = await published(LOAD_DATE);
    // Assess
    expect(whileUnpublished).toEqual(before);
    // The trailing volume of each list comes from the published previous day only, not from today's attempts.
    expect(listHistory).toEqual([
      { set_name: 'COLLECTIONS', list_name: 'EARLY', days: 1, assigned: 6 },
      { set_name: 'COLLECTIONS', list_name: 'LATE', days: 1, assigned: 2 },
    ]);
    expect(after.lists.map((row) => row.run_id)).toEqual(Array(7).fill(laterRun));
    expect(after.lists.map((row) => row.payoffuid)).not.toContain('Q2');
    expect(after.contacts.map((row) => row.payoffuid)).not.toContain('Q2');
    expect(await published(PREVIOUS_DATE)).toEqual(previousDay);
    const attempts = await readdir(join(runtime.home, 'lake', 'rpt_outbound_lists_attempts', `load_date=${LOAD_DATE}`));
    expect(attempts).toEqual(['attempt=after']);
  });

  it('gives identical rows when a date is run again on the same decisions', async () => {
    // Prepare
    await finalize({ attempt: 'run1', shards: await writeShardDecisions(LOAD_DATE, 'run1', decisions(LOAD_DATE, RUN_ID)) });
    const first = await published(LOAD_DATE);
    // Act
    await finalize({ attempt: 'run2', shards: await writeShardDecisions(LOAD_DATE, 'run2', decisions(LOAD_DATE, RUN_ID)) });
    // Assess
    expect(await published(LOAD_DATE)).toEqual(first);
  });

  it('publishes nothing when the decisions do not match what the shards reported, or break a rule', async () => {
    // Prepare
    await finalize({ attempt: 'good', shards: await writeShardDecisions(LOAD_DATE, 'good', decisions(LOAD_DATE, RUN_ID)) });
    const before = await published(LOAD_DATE);
    const shards = await writeShardDecisions(LOAD_DATE, 'short', decisions(LOAD_DATE, RUN_ID));
    const overReported = shards.map((shard) => ({ ...shard, rows: { ...shard.rows, lists: shard.rows.lists + 1 } }));
    const broken = decisions(LOAD_DATE, RUN_ID);
    broken[0]!.contacts.push(contactRow('P5', { contact_value: '+12125550155' }));
    const brokenShards = await writeShardDecisions(LOAD_DATE, 'broken', broken);
    // Act & Assess
    await expect(finalize({ attempt: 'short', shards: overReported })).rejects.toThrow(
      /decision lists: 8 rows under the decisions prefix, the shards reported 10/,
    );
    await expect(finalize({ attempt: 'short', shards: shards.slice(1) })).rejects.toThrow(/shard results are not shards 0\.\.0: 1/);
    await expect(finalize({ attempt: 'broken', shards: brokenShards })).rejects.toThrow(FinalizeCheckError);
    await expect(finalize({ attempt: 'broken', shards: brokenShards })).rejects.toThrow(/contacts_without_unsuppressed_customer: 1/);
    expect(await published(LOAD_DATE)).toEqual(before);
  });

  it('runs as the Finalize step from the configuration snapshot', async () => {
    // Prepare
    const attempt = 'handler';
    await putLakeJson(runLayout.configSnapshot(LOAD_DATE, attempt), config);
    const shards = await writeShardDecisions(LOAD_DATE, attempt, decisions(LOAD_DATE, RUN_ID));
    // Act
    const result = await handler({ runId: RUN_ID, attempt, loadDate: LOAD_DATE, shards: shards.map((shard) => ({ ...shard, customers: 4 })) });
    // Assess
    expect(result.capacityCuts).toBe(2);
    expect((await published(LOAD_DATE)).lists).toHaveLength(8);
    // The published attempt's snapshot is the date's history: tagged so the lake's lifecycle rule keeps it.
    const tagging = await s3Client().send(new GetObjectTaggingCommand({ Bucket: resources.buckets.lake, Key: runLayout.configSnapshot(LOAD_DATE, attempt) }));
    expect(tagging.TagSet).toEqual([{ Key: resources.retentionTag.key, Value: resources.retentionTag.history }]);
    await expect(handler({ runId: RUN_ID, attempt, loadDate: '2026-02-30', shards })).rejects.toThrow(/invalid finalize input: .*loadDate/s);
  });
});
