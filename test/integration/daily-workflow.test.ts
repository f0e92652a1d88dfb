import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { metricSteps } from '../../config/metrics.ts';
import { decideSms, type PhoneConsentRow } from '../../domain/consent/consent.ts';
import type { RunSummary } from '../../domain/run/run-summary.ts';
import { runDailyLocally } from '../../local/runtime/daily-run.ts';
import { explainLocally, type LocalExplanation } from '../../local/cli/explain.ts';
import { generateFeeds } from '../../local/generate/feeds.ts';
import { metricsIn } from '../support/emf.ts';
import { publishedDay } from './published-day.ts';

/**
 * The whole daily workflow, locally, on generated feeds: every step of the state machine, then the §7
 * tables checked against the invariants of SPEC §6, explain checked against the tables, and a re-run of
 * the date checked to publish identical rows.
 */
const DATE = '2026-11-20';

let root: string;
let home: string;
let data: string;
let summary: RunSummary;

/** Queries the published tables; with `feeds`, also the day's raw feeds (`dispositions_raw` …), read independently of the run. */
async function query<T>(sql: string, options: { feeds?: boolean } = {}): Promise<T[]> {
  const engine = await DuckDbEngine.open({ home, dataDir: data });
  try {
    if (options.feeds) await engine.registerFeeds(DATE);
    return await engine.query<T>(sql);
  } finally {
    await engine.close();
  }
}

const listRows = () =>
  query<Record<string, unknown>>(
    `SELECT set_name, list_name, payoffuid, account_number, suppression_flag, channel, purpose, ab_group, run_id
     FROM rpt_outbound_lists WHERE load_date = DATE '${DATE}' ORDER BY set_name, payoffuid`,
  );
const contactRows = () =>
  query<Record<string, unknown>>(
    `SELECT set_name, list_name, payoffuid, contact_value, contact_rank, CAST(window_start_utc AS VARCHAR) AS window_start_utc
     FROM rpt_outbound_list_contacts WHERE load_date = DATE '${DATE}' ORDER BY set_name, payoffuid, contact_rank`,
  );

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-daily-'));
  data = join(root, 'data');
  home = join(root, 'home');
  await generateFeeds({ out: data, date: DATE, customers: 400, seed: 77 });
  summary = await runDailyLocally({ data, date: DATE, home, steps: 'all' });
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the published day', () => {
  it('reports every list of the configuration with its counts and exports', () => {
    expect(summary.lists?.customers).toBeGreaterThan(300);
    expect(summary.lists?.perList.length).toBeGreaterThan(15);
    expect(summary.lists?.perList.some((list) => list.exported !== null && list.exported > 0)).toBe(true);
  });

  it('writes the metrics of the run to <home>/metrics/<execution>.jsonl, not to stdout', async () => {
    const files = await readdir(join(home, 'metrics'));
    expect(files).toHaveLength(1);
    const metrics = metricsIn(await readFile(join(home, 'metrics', files[0]!), 'utf8'));
    const named = (name: string) => metrics.filter((metric) => metric.name === name);

    expect(new Set(named('StepDurationSeconds').map((metric) => metric.dimensions.step))).toEqual(new Set(metricSteps));
    expect(named('CustomersEvaluated').reduce((sum, metric) => sum + metric.value, 0)).toBe(summary.lists!.customers);
    expect(named('RunSucceeded').map((metric) => metric.value)).toEqual([1]);
    expect(named('RunDurationSeconds')[0]!.value).toBeGreaterThan(0);
    expect(named('LoanTapeAgeDays').map((metric) => metric.value)).toEqual([0]);
    // The first published day has no history: no list can be an anomaly.
    expect(named('ListVolumeAnomalies').map((metric) => metric.value)).toEqual([0]);
    expect(named('ListAssigned').map((metric) => [metric.dimensions.set, metric.dimensions.list, metric.value])).toEqual(
      summary.lists!.perList.map((list) => [list.set_name, list.list_name, list.assigned]),
    );
  });

  it('puts a customer on at most one list per set', async () => {
    const repeated = await query('SELECT set_name, payoffuid FROM rpt_outbound_lists GROUP BY 1, 2 HAVING count(*) > 1');

    expect(repeated).toEqual([]);
  });

  it('exports no contact of a suppressed customer, and gives every suppression a reason', async () => {
    const suppressedWithContacts = await query(
      `SELECT c.payoffuid FROM rpt_outbound_list_contacts c JOIN rpt_outbound_lists l
         ON l.load_date = c.load_date AND l.set_name = c.set_name AND l.payoffuid = c.payoffuid WHERE l.suppression_flag`,
    );
    const suppressedWithoutReason = await query(
      `SELECT l.payoffuid FROM rpt_outbound_lists l WHERE l.suppression_flag AND NOT EXISTS (
         SELECT 1 FROM rpt_outbound_lists_suppression s
         WHERE s.payoffuid = l.payoffuid AND s.set_name = l.set_name AND s.suppression_type <> 'CONTACT' AND s.suppression_reason <> '')`,
    );

    expect(suppressedWithContacts).toEqual([]);
    expect(suppressedWithoutReason).toEqual([]);
  });

  it('lists no collections call contact for an account at its Regulation F (7 calls in 7 days) or Massachusetts (2 calls or texts) cap', async () => {
    // Counted here from the raw dispositions feed, not from the run's facts: the 7 days ending on the load date.
    const attempts = `SELECT account_number,
         sum(CASE WHEN channel = 'call' THEN 1 ELSE 0 END) AS calls,
         sum(CASE WHEN channel IN ('call', 'sms') THEN 1 ELSE 0 END) AS calls_and_texts
       FROM dispositions_raw WHERE CAST(attempt_date AS DATE) BETWEEN DATE '${DATE}' - INTERVAL 6 DAY AND DATE '${DATE}'
       GROUP BY account_number`;
    const collectionsCalls = (onList: boolean) => `
      SELECT l.payoffuid, l.state, a.calls, a.calls_and_texts
      FROM rpt_outbound_lists l JOIN (${attempts}) a ON a.account_number = l.account_number
      WHERE l.load_date = DATE '${DATE}' AND l.channel = 'call' AND l.purpose = 'collections' AND ${onList ? '' : 'NOT'} EXISTS (
        SELECT 1 FROM rpt_outbound_list_contacts c
        WHERE c.load_date = l.load_date AND c.set_name = l.set_name AND c.list_name = l.list_name AND c.payoffuid = l.payoffuid)`;
    const atCap = "calls >= 7 OR (state = 'MA' AND calls_and_texts >= 2)";

    const listedAtCap = await query(`SELECT * FROM (${collectionsCalls(true)}) WHERE ${atCap}`, { feeds: true });
    const keptOffAtCap = await query(`SELECT * FROM (${collectionsCalls(false)}) WHERE ${atCap}`, { feeds: true });

    expect(listedAtCap).toEqual([]);
    // The generated history does put assigned accounts at their caps: the check above is not vacuous.
    expect(keptOffAtCap.length).toBeGreaterThan(0);
  });

  it('lists only SMS contacts that can_send_sms allows (the §4 rule over the gold phone_consent of the day)', async () => {
    const smsContacts = await query<{
      account_number: string;
      contact_value: string;
      phone_source: PhoneConsentRow['phone_source'];
      is_deleted: boolean;
      has_sms_consent: boolean | null;
      found: boolean;
    }>(
      `SELECT l.account_number, c.contact_value, g.phone_source, g.is_deleted, g.has_sms_consent, g.phone_number IS NOT NULL AS found
       FROM rpt_outbound_list_contacts c
       JOIN rpt_outbound_lists l ON l.load_date = c.load_date AND l.set_name = c.set_name AND l.list_name = c.list_name AND l.payoffuid = c.payoffuid
       LEFT JOIN phone_consent g ON g.as_of_date = DATE '${DATE}' AND g.account_number = l.account_number AND g.phone_number = c.contact_value
       WHERE c.load_date = DATE '${DATE}' AND l.channel = 'sms'`,
    );

    expect(smsContacts.length).toBeGreaterThan(0);
    const refused = smsContacts.filter((row) => !decideSms(row.found ? row : undefined).canSendSms);
    expect(refused.map((row) => row.account_number)).toEqual([]);
  });

  it("keeps every call window inside 08:00–21:00 local time of the contact's zone", async () => {
    const windows = await query<{ timezone: string; start_utc: string; end_utc: string }>(
      `SELECT c.timezone, strftime(window_start_utc, '%Y-%m-%dT%H:%M:%SZ') AS start_utc, strftime(window_end_utc, '%Y-%m-%dT%H:%M:%SZ') AS end_utc
       FROM rpt_outbound_list_contacts c
       JOIN rpt_outbound_lists l ON l.load_date = c.load_date AND l.set_name = c.set_name AND l.list_name = c.list_name AND l.payoffuid = c.payoffuid
       WHERE c.load_date = DATE '${DATE}' AND l.channel = 'call'`,
    );
    const localTime = (utc: string, timeZone: string) =>
      new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(utc));

    expect(windows.length).toBeGreaterThan(0);
    const outside = windows.filter(
      ({ timezone, start_utc, end_utc }) => localTime(start_utc, timezone) < '08:00' || localTime(end_utc, timezone) > '21:00' || end_utc <= start_utc,
    );
    expect(outside).toEqual([]);
  });
});

describe('outbound explain', () => {
  it('agrees with the tables for every customer on a list (list, suppression flag, contacts in rank order)', async () => {
    const lists = await listRows();
    const contacts = await contactRows();
    const customers = [...new Set(lists.map((row) => row.payoffuid as string))].slice(0, 25);

    for (const payoffuid of customers) {
      const explained: LocalExplanation = await explainLocally({ home, loadDate: DATE, payoffuid });
      const cut = new Set(explained.capacityCuts.map((entry) => entry.set_name));
      const fromExplain = explained.explanation.decision.assignments
        .map((assignment) => ({
          set_name: assignment.set_name,
          list_name: assignment.list_name,
          suppression_flag: assignment.suppressed || cut.has(assignment.set_name),
          contacts: assignment.suppressed || cut.has(assignment.set_name) ? [] : assignment.contacts.map((contact) => contact.contact_value),
        }))
        .sort((a, b) => (a.set_name < b.set_name ? -1 : a.set_name > b.set_name ? 1 : 0));
      const fromTables = lists
        .filter((row) => row.payoffuid === payoffuid)
        .map((row) => ({
          set_name: row.set_name,
          list_name: row.list_name,
          suppression_flag: row.suppression_flag,
          contacts: contacts.filter((contact) => contact.payoffuid === payoffuid && contact.set_name === row.set_name).map((contact) => contact.contact_value),
        }));

      expect(fromExplain).toEqual(fromTables);
    }
  }, 120_000);
});

describe('a re-run of the date', () => {
  it('publishes identical rows in all three §7 tables', async () => {
    const before = await publishedDay(home, DATE);

    const again = await runDailyLocally({ data, date: DATE, home, steps: 'all' });
    const after = await publishedDay(home, DATE);

    expect(again.runId).toBe(summary.runId);
    expect(Object.values(before.rows).every((rows) => rows.length > 0)).toBe(true);
    expect(after.rows).toEqual(before.rows);
  }, 180_000);
});
