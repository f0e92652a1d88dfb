import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { resources } from '../../config/resources.ts';
import { addDays } from '../../domain/campaigns/dates.ts';
import { DISPOSITION_HISTORY_DAYS } from '../../domain/feeds/daily-inputs.ts';
import { mergeOptOutRegister } from '../../lambdas/build-customer-facts/optout-register.ts';
import { ingestEventsFile } from '../../local/cli/commands/events.ts';
import { backfillOptOuts } from '../../local/cli/commands/optouts.ts';
import { smsCheck } from '../../local/cli/commands/sms-check.ts';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime/runtime.ts';
import { loadSql, sqlDate } from '../../sql/sql-files.ts';
import { sandbox, type Sandbox } from '../sql/fixtures.ts';
import { attempt, writeDailyFeeds } from '../facts/fixtures.ts';

/**
 * The permanent opt-out register (docs/optout-register.md) on DuckDB and s3rver: merged day by day as the facts
 * step does, from dispositions and archived events, read by facts_outcomes.sql; the backfill; a STOP event.
 */
const D = '2026-11-20';
const OLD = addDays(D, -200);
const STOPPED = '+12125550142';
const BOUNCED = 'ann.lee@example.com';
const ACCOUNT = '1000000000000001';

let box: Sandbox;
let runtime: LocalRuntime;

type RegisterRow = { contact_value: string; contact_type: string; kind: string; first_event_date: string; last_event_date: string; first_source: string };

async function withEngine<T>(work: (engine: DuckDbEngine) => Promise<T>): Promise<T> {
  const engine = await DuckDbEngine.open({ home: box.home, dataDir: box.data });
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** What the facts step does for the register on `date`: the 90 days of dispositions, then the merge. */
async function mergeAsTheRunDoes(engine: DuckDbEngine, date: string): Promise<void> {
  await engine.registerFeeds(date);
  const window = { load_date: sqlDate(date), history_start: sqlDate(addDays(date, -(DISPOSITION_HISTORY_DAYS - 1))) };
  await engine.createTransient('facts_disposition_outcomes', await loadSql('facts/facts_disposition_outcomes.sql', window));
  await mergeOptOutRegister(engine, { asOfDate: date, lakeBucket: resources.buckets.lake });
}

const register = (engine: DuckDbEngine, date: string) =>
  engine.query<RegisterRow>(
    `SELECT contact_value, contact_type, kind, CAST(first_event_date AS VARCHAR) AS first_event_date, CAST(last_event_date AS VARCHAR) AS last_event_date, first_source
     FROM optout_register WHERE as_of_date = DATE '${date}' ORDER BY contact_value, kind`,
  );

beforeAll(async () => {
  box = await sandbox();
  runtime = await startLocalRuntime({ home: box.home, data: box.data });
  await writeDailyFeeds(box.data, OLD, {
    dispositions: {
      [OLD]: [
        attempt('p-1', ACCOUNT, 'sms', '(212) 555-0142', 'OPT_OUT', 'N', OLD),
        attempt('p-1', ACCOUNT, 'email', ' Ann.Lee@Example.com', 'BOUNCED', 'N', OLD),
      ],
      [addDays(OLD, 1)]: [attempt('p-1', ACCOUNT, 'sms', '2125550142', 'OPT_OUT', 'N', addDays(OLD, 1))],
      // Recent days hold other outcomes only.
      [addDays(D, -1)]: [attempt('p-1', ACCOUNT, 'call', '2125550142', 'NO_ANSWER', 'N', addDays(D, -1))],
    },
  });
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await box?.cleanup();
});

describe('the opt-out register', () => {
  it('is backfilled from every dispositions day on or before its date, into a lake that holds none yet', async () => {
    const report = await backfillOptOuts(addDays(OLD, 5));

    expect(report).toEqual({ asOfDate: addDays(OLD, 5), dispositionDays: 2, registerRows: 2 });
  });

  it('keeps a STOP of 200 days ago: the run of D, merging from the newest register before it, still reads it opted out', async () => {
    await withEngine(async (engine) => {
      await mergeAsTheRunDoes(engine, D);

      expect(await register(engine, D)).toEqual(
        [
          {
            contact_value: STOPPED,
            contact_type: 'phone',
            kind: 'opt_out',
            first_event_date: OLD,
            last_event_date: addDays(OLD, 1),
            first_source: 'disposition',
          },
          { contact_value: BOUNCED, contact_type: 'email', kind: 'bounce', first_event_date: OLD, last_event_date: OLD, first_source: 'disposition' },
        ].sort((a, b) => a.contact_value.localeCompare(b.contact_value)),
      );
      await engine.createTransient('facts_outcomes', await loadSql('facts/facts_outcomes.sql', { load_date: sqlDate(D) }));
      const outcomes = await engine.query<{ contact_value: string; opted_out: boolean; bounced: boolean }>(
        'SELECT contact_value, opted_out, bounced FROM facts_outcomes ORDER BY contact_value',
      );
      expect(outcomes).toEqual(
        expect.arrayContaining([
          { contact_value: STOPPED, opted_out: true, bounced: false },
          { contact_value: BOUNCED, opted_out: false, bounced: true },
        ]),
      );
    });
  });

  it('gives the same rows when a date is run again, and a backfill of an older date removes nothing from later dates', async () => {
    await withEngine(async (engine) => {
      const before = await register(engine, D);
      await mergeAsTheRunDoes(engine, D);
      expect(await register(engine, D)).toEqual(before);

      await mergeAsTheRunDoes(engine, OLD);
      expect(await register(engine, D)).toEqual(before);
      expect((await register(engine, OLD)).map((row) => row.last_event_date)).toEqual([OLD, OLD]);
    });
  });

  it('takes the opt-out events archived by the ingest, dated on or before the date, with their source', async () => {
    const file = join(box.data, 'events.jsonl');
    await writeFile(file, `${JSON.stringify({ type: 'email_opt_out', account: ACCOUNT, email: 'Bob@Example.com', at: `${D}T09:00:00-05:00` })}\n`);
    expect(await ingestEventsFile(file)).toEqual({ received: 1, callsCounted: 0, callsAlreadyCounted: 0, optOuts: 1, rejected: [] });

    const [onTheDay, theDayBefore] = await withEngine(async (engine) => {
      await mergeAsTheRunDoes(engine, D);
      const day = await register(engine, D);
      await mergeAsTheRunDoes(engine, addDays(D, -1));
      return [day, await register(engine, addDays(D, -1))];
    });
    expect(onTheDay).toContainEqual({
      contact_value: 'bob@example.com',
      contact_type: 'email',
      kind: 'opt_out',
      first_event_date: D,
      last_event_date: D,
      first_source: 'event',
    });
    expect(theDayBefore.map((row) => row.contact_value)).not.toContain('bob@example.com');
  });
});

describe('a STOP event', () => {
  it('makes can_send_sms false with OPTED_OUT at once, on every account, and ingesting it again changes nothing', async () => {
    const file = join(box.data, 'stop.json');
    await writeFile(file, JSON.stringify([{ type: 'sms_opt_out', account: ACCOUNT, phone: '(310) 555-0199', at: `${D}T11:00:00-05:00` }]));

    const first = await ingestEventsFile(file);
    const again = await ingestEventsFile(file);
    const answer = await smsCheck('2000000000000002', '3105550199');

    expect(first).toMatchObject({ optOuts: 1, rejected: [] });
    expect(again).toMatchObject({ optOuts: 1, rejected: [] });
    expect(answer).toEqual({ statusCode: 200, body: expect.objectContaining({ canSendSms: false, reasons: ['NOT_FOUND', 'OPTED_OUT'] }) });
  });
});
