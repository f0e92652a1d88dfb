import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { addDays } from '../../domain/campaigns/dates.ts';
import { dailyFeeds } from '../../domain/feeds/daily-feeds.ts';
import { backfillOptOuts } from '../../local/cli/commands/optouts.ts';
import { runDailyLocally } from '../../local/runtime/daily-run.ts';
import { explainLocally } from '../../local/cli/explain.ts';
import { generateFeeds } from '../../local/generate/feeds.ts';
import { startLocalRuntime } from '../../local/runtime/runtime.ts';

/**
 * Issue 12's must-show on published lists: a STOP replied 200 days before the run, far outside the 90 days of
 * dispositions a run reads, is brought into the register by the one-time backfill and keeps the number off the
 * next day's published SMS lists (the customer stays on the list through their other numbers).
 */
const D = '2026-11-20';
const NEXT = addDays(D, 1);
const STOP_DAY = addDays(NEXT, -200);

let root: string;
let home: string;
let data: string;
let stopped: { payoffuid: string; account_number: string; set_name: string; list_name: string; contact_value: string };

async function query<T>(sql: string): Promise<T[]> {
  const engine = await DuckDbEngine.open({ home, dataDir: data });
  try {
    return await engine.query<T>(sql);
  } finally {
    await engine.close();
  }
}

/** The customers kept on a published SMS list of `date` with this number among their exported contacts. */
const smsListsHolding = (date: string, phone: string) =>
  query<{ payoffuid: string }>(
    `SELECT c.payoffuid FROM rpt_outbound_list_contacts c
     JOIN rpt_outbound_lists l ON l.load_date = c.load_date AND l.set_name = c.set_name AND l.list_name = c.list_name AND l.payoffuid = c.payoffuid
     WHERE c.load_date = DATE '${date}' AND l.channel = 'sms' AND c.contact_value = '${phone}'`,
  );

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-stop-200-'));
  data = join(root, 'data');
  home = join(root, 'home');
  await generateFeeds({ out: data, date: D, customers: 400, seed: 12 });
  await generateFeeds({ out: data, date: NEXT, customers: 400, seed: 12 });
  await runDailyLocally({ data, date: D, home, steps: 'all' });
  // A number texted on D; the next day, the explain of its customer must show it dropped for the STOP.
  [stopped] = await query<typeof stopped>(
    `SELECT l.payoffuid, l.account_number, l.set_name, l.list_name, c.contact_value FROM rpt_outbound_list_contacts c
     JOIN rpt_outbound_lists l ON l.load_date = c.load_date AND l.set_name = c.set_name AND l.list_name = c.list_name AND l.payoffuid = c.payoffuid
     WHERE c.load_date = DATE '${D}' AND l.channel = 'sms' ORDER BY c.contact_value LIMIT 1`,
  );
  const header = dailyFeeds.dispositions.columns.join('|');
  const row = [stopped.payoffuid, stopped.account_number, 'sms', stopped.contact_value, `${STOP_DAY}T10:00:00-04:00`, 'OPT_OUT', 'N', 'collections'].join('|');
  await mkdir(join(data, `dispositions/date=${STOP_DAY}`), { recursive: true });
  await writeFile(join(data, `dispositions/date=${STOP_DAY}/dispositions_${STOP_DAY.replaceAll('-', '')}.csv.gz`), gzipSync(`${header}\n${row}\n`));
  const runtime = await startLocalRuntime({ home, data });
  try {
    await backfillOptOuts();
  } finally {
    await runtime.stop();
  }
  await runDailyLocally({ data, date: NEXT, home, steps: 'all' });
}, 300_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a STOP of 200 days ago on the published lists', () => {
  it('was on a published SMS list before, and is on none the next day, dropped for NO_SMS_CONSENT', async () => {
    expect(await smsListsHolding(D, stopped.contact_value)).not.toEqual([]);
    expect(await smsListsHolding(NEXT, stopped.contact_value)).toEqual([]);
    const { explanation } = await explainLocally({ home, loadDate: NEXT, payoffuid: stopped.payoffuid });
    const dropped = explanation.sets.flatMap((set) => set.dropped).filter((contact) => contact.contact_value === stopped.contact_value);
    expect(dropped.map((contact) => contact.reason)).toContain('NO_SMS_CONSENT');
  });

  it('stays in the register with the day it was first seen', async () => {
    const rows = await query<{ kind: string; first_event_date: string }>(
      `SELECT kind, CAST(first_event_date AS VARCHAR) AS first_event_date FROM optout_register WHERE as_of_date = DATE '${NEXT}' AND contact_value = '${stopped.contact_value}'`,
    );
    expect(rows).toEqual([{ kind: 'opt_out', first_event_date: STOP_DAY }]);
  });
});
