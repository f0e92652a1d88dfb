import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { normalizePhone } from '../../../domain/values/phone.ts';
import { generateFeeds, type GenerateFeedsOptions, type GenerateFeedsSummary } from '../../../local/generate/feeds.ts';
import { stateOfAreaCode } from '../../../local/generate/geography.ts';
import { AREA_CODES } from '../../../local/generate/phone-text.ts';
import { readFeeds } from './feed-reader.ts';
import { readLandingFeed, rowsOf, type FeedFileContent } from './landing-reader.ts';

const DATE = '2026-11-20';
const roots: string[] = [];

async function generate(options: Omit<GenerateFeedsOptions, 'out' | 'date'> & { date?: string }, out?: string) {
  const dir = out ?? (await mkdtemp(path.join(tmpdir(), 'outbound-feeds-')));
  if (!out) roots.push(dir);
  const summary = await generateFeeds({ out: dir, date: DATE, ...options });
  return { dir, summary };
}

/** Every file under `dir` (consent excluded), by relative path, with its bytes. */
async function snapshotDir(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const key = path.relative(dir, full).split(path.sep).join('/');
    if (entry.isFile() && !key.startsWith('consent/')) files.set(key, await readFile(full));
  }
  return files;
}

const e164 = (text: string): string => {
  const phone = normalizePhone(text);
  if (!phone.ok) throw new Error(`not a phone: ${text}`);
  return phone.e164;
};
const valueKey = (type: string, value: string): string => (type === 'email' ? value.toLowerCase() : e164(value));
const dayOf = (date: string, delta: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + delta * 86_400_000).toISOString().slice(0, 10);
const onDate = (files: FeedFileContent[], date: string) =>
  rowsOf(files.filter((file) => file.key.includes(date) || file.key.includes(date.replaceAll('-', ''))));

describe('generateFeeds on 1,000 customers', () => {
  let dir: string;
  let summary: GenerateFeedsSummary;
  let tape: Record<string, string>[];
  let contacts: FeedFileContent[];
  let dispositions: Record<string, string>[];
  let suppressions: Record<string, string>[];

  beforeAll(async () => {
    ({ dir, summary } = await generate({ customers: 1000, seed: 7 }));
    tape = onDate(await readLandingFeed(dir, 'loan_tape'), DATE);
    contacts = await readLandingFeed(dir, 'contacts');
    dispositions = rowsOf(await readLandingFeed(dir, 'dispositions'));
    suppressions = onDate(await readLandingFeed(dir, 'suppressions'), DATE);
  });

  it('lays the feeds out as §3.2 and docs/feeds.md say, with their headers', async () => {
    const keys = [...(await snapshotDir(dir)).keys()].sort();
    const headers = Object.fromEntries(
      await Promise.all(['loan_tape', 'contacts', 'dispositions', 'suppressions'].map(async (feed) => [feed, (await readLandingFeed(dir, feed))[0].header])),
    );

    expect(keys.filter((key) => !key.startsWith('dispositions/'))).toEqual([
      ...['2026-11-18', '2026-11-19', '2026-11-20'].map((d) => `contact_rules/asof=${d}/contact_rules_${d.replaceAll('-', '')}.csv.gz`),
      ...['2026-11-18', '2026-11-19', '2026-11-20'].map((d) => `contacts/asof=${d}/contacts_${d.replaceAll('-', '')}.csv.gz`),
      ...['2026-11-18', '2026-11-19', '2026-11-20'].map((d) => `custom_fields/asof=${d}/custom_fields_${d.replaceAll('-', '')}.jsonl.gz`),
      ...['2026-11-18', '2026-11-19', '2026-11-20'].map((d) => `loan_tape/asof=${d}/loan_tape_${d.replaceAll('-', '')}.csv.gz`),
      ...['2026-11-18', '2026-11-19', '2026-11-20'].map((d) => `payment_requests/date=${d}/payment_requests_${d.replaceAll('-', '')}.csv.gz`),
      'reference/zip_suppressions.csv.gz',
      ...['20261118', '20261119', '20261120'].map((d) => `suppressions/suppressions_${d}.csv.gz`),
    ]);
    const dispositionKeys = keys.filter((key) => key.startsWith('dispositions/'));
    expect(dispositionKeys).toHaveLength(90);
    expect(dispositionKeys[0]).toBe('dispositions/date=2026-08-22/dispositions_20260822.csv.gz');
    expect(dispositionKeys.at(-1)).toBe('dispositions/date=2026-11-19/dispositions_20261119.csv.gz');
    expect(headers).toEqual({
      loan_tape:
        'payoffuid|account_number|loan_id|portfolio|loan_status|days_past_due|amount_due|principal_balance|origination_date|' +
        'next_payment_due_date|charge_off_date|recoveries_paid_to_date|payment_mode|placement_status|next_workable_date|' +
        'last_collections_contact_date|first_name|last_name|address_1|address_2|city|state|zip|loan_tape_asofdate',
      contacts: 'payoffuid|related_party_type|contact_type|contact_value|created_at',
      dispositions: 'payoffuid|account_number|channel|contact_value|attempted_at|disposition|is_conversation|purpose',
      suppressions: 'scope|set_name|list_name|key_type|key|reason|start_date|end_date',
    });
    expect(summary.files.map((file) => file.path).sort()).toEqual(keys);
  });

  it('writes well-formed values: ids, amounts, dates, ISO-8601 attempt times with an offset, in contact hours, on their partition date', async () => {
    const badTape = tape.filter(
      (row) =>
        !/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(row.payoffuid) ||
        !/^\d{16}$/.test(row.account_number) ||
        !/^\d+$/.test(row.days_past_due) ||
        !/^\d+\.\d{2}$/.test(row.amount_due) ||
        !/^\d+\.\d{2}$/.test(row.principal_balance) ||
        !/^\d{5}$/.test(row.zip) ||
        !/^[A-Z]{2}$/.test(row.state) ||
        row.loan_tape_asofdate !== DATE,
    );
    const badAttempts = (await readLandingFeed(dir, 'dispositions')).flatMap((file) => {
      const date = /date=(\d{4}-\d{2}-\d{2})/.exec(file.key)![1];
      return file.rows.filter((row) => {
        const hour = Number(row.attempted_at.slice(11, 13));
        const [from, to] = row.channel === 'email' ? [6, 22] : [8, 21];
        return (
          !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(row.attempted_at) ||
          Number.isNaN(Date.parse(row.attempted_at)) ||
          row.attempted_at.slice(0, 10) !== date ||
          hour < from ||
          hour >= to ||
          !['Y', 'N'].includes(row.is_conversation) ||
          !['call', 'sms', 'email'].includes(row.channel) ||
          !['collections', 'servicing', 'marketing'].includes(row.purpose)
        );
      });
    });

    expect(badTape).toEqual([]);
    expect(badAttempts).toEqual([]);
    // Local offsets of the US zones, summer and winter time (the history spans the November DST change).
    const offsets = new Set(dispositions.map((row) => row.attempted_at.slice(19)));
    for (const offset of offsets) expect(['-04:00', '-05:00', '-06:00', '-07:00', '-08:00', '-09:00', '-10:00']).toContain(offset);
    expect(offsets).toContain('-04:00');
    expect(offsets).toContain('-05:00');
    const custom = (await readLandingFeed(dir, 'custom_fields')).flatMap((file) => file.json) as { account_number: string; fields: Record<string, unknown> }[];
    for (const record of custom) {
      expect(Object.keys(record.fields)).toEqual(['risk_score', 'propensity_to_pay', 'last_research_date', 'hardship_plan']);
      expect(typeof record.fields.hardship_plan).toBe('boolean');
      expect(record.fields.last_research_date === null || /^\d{4}-\d{2}-\d{2}$/.test(String(record.fields.last_research_date))).toBe(true);
    }
  });

  it('puts every open account of the consent world on the tape, and each NON-FIN phone of the day among its customer contacts', async () => {
    const accountOf = new Map(tape.map((row) => [row.payoffuid, row.account_number]));
    const payoffuidOf = new Map(tape.map((row) => [row.account_number, row.payoffuid]));
    const today = onDate(contacts, DATE);
    const customerPhones = new Set(
      today.filter((row) => row.related_party_type === 'customer' && row.contact_type !== 'email').map((row) => `${row.payoffuid}|${e164(row.contact_value)}`),
    );
    const nonFin = (await readFeeds(dir)).filter((file) => file.feed === 'NON-FIN-BDL' && file.fileDate === '2026-11-20').flatMap((file) => file.rows);
    const valid = nonFin.filter(
      (row) => /^\d{16}P$/.test(row.cnsmr_idntfr_lgcy_txt) && normalizePhone(row.cnsmr_phn_nmbr_txt).ok && row.cnsmr_phn_id.length < 12,
    );

    expect(valid.length).toBeGreaterThan(1000);
    expect(tape).toHaveLength(1000);
    expect(accountOf.size).toBe(1000);
    expect(payoffuidOf.size).toBe(1000);
    for (const row of valid) {
      const payoffuid = payoffuidOf.get(row.cnsmr_idntfr_lgcy_txt.slice(0, 16));
      expect(payoffuid, row.cnsmr_idntfr_lgcy_txt).toBeDefined();
      expect(customerPhones.has(`${payoffuid}|${e164(row.cnsmr_phn_nmbr_txt)}`)).toBe(true);
    }
    for (const row of today) expect(accountOf.has(row.payoffuid)).toBe(true);
    for (const row of suppressions.filter((entry) => entry.key_type === 'payoffuid')) expect(accountOf.has(row.key)).toBe(true);
    const custom = (await readLandingFeed(dir, 'custom_fields')).filter((file) => file.key.includes(DATE)).flatMap((file) => file.json) as {
      account_number: string;
    }[];
    for (const record of custom) expect(payoffuidOf.has(record.account_number)).toBe(true);
  });

  it('dials, texts and mails only the contacts of the account on that day', async () => {
    for (const date of [dayOf(DATE, -2), dayOf(DATE, -1)]) {
      const points = new Set(onDate(contacts, date).map((row) => `${row.payoffuid}|${valueKey(row.contact_type, row.contact_value)}`));
      const accounts = new Map(onDate(await readLandingFeed(dir, 'loan_tape'), date).map((row) => [row.payoffuid, row.account_number]));
      const attempts = dispositions.filter((row) => row.attempted_at.startsWith(date));

      expect(attempts.length).toBeGreaterThan(50);
      for (const row of attempts) {
        expect(accounts.get(row.payoffuid)).toBe(row.account_number);
        expect(points.has(`${row.payoffuid}|${valueKey(row.channel === 'email' ? 'email' : 'phone', row.contact_value)}`), row.payoffuid).toBe(true);
      }
    }
  });

  it('evolves the tape day to day: days past due grow by one while unpaid, cures and roll-backs lower them', async () => {
    const yesterday = new Map(onDate(await readLandingFeed(dir, 'loan_tape'), dayOf(DATE, -1)).map((row) => [row.account_number, row]));
    let increments = 0;
    let delinquent = 0;
    for (const row of tape.filter((r) => r.loan_status === 'Delinquent')) {
      const before = yesterday.get(row.account_number);
      if (!before) continue;
      delinquent++;
      const [now, then] = [Number(row.days_past_due), Number(before.days_past_due)];
      if (now === then + 1) increments++;
      else expect(now < then || (now === 1 && before.loan_status === 'Current'), row.account_number).toBe(true);
    }
    expect(increments / delinquent).toBeGreaterThan(0.95);
  });

  it('has every dialing situation of the compliance rules in the week before the load date', () => {
    const weekStart = dayOf(DATE, -6);
    const week = dispositions.filter((row) => row.attempted_at.slice(0, 10) >= weekStart);
    const perAccount = (rows: Record<string, string>[]) => {
      const counts = new Map<string, number>();
      for (const row of rows) counts.set(row.account_number, (counts.get(row.account_number) ?? 0) + 1);
      return counts;
    };
    const stateOf = new Map(tape.map((row) => [row.account_number, row.state]));
    const calls = perAccount(week.filter((row) => row.channel === 'call'));
    const phoneTouches = perAccount(week.filter((row) => row.channel !== 'email'));
    const lastDay = dispositions.filter((row) => row.attempted_at.startsWith(dayOf(DATE, -1)) && row.purpose === 'marketing' && row.channel !== 'email');
    const perNumber = (disposition: string) => {
      const counts = new Map<string, number>();
      for (const row of dispositions.filter((r) => r.disposition === disposition)) {
        const key = `${row.account_number}|${e164(row.contact_value)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return Math.max(...counts.values());
    };

    expect([...calls.values()].some((count) => count >= 7)).toBe(true);
    expect(week.some((row) => row.disposition === 'RIGHT_PARTY_CONTACT' && row.is_conversation === 'Y')).toBe(true);
    expect([...phoneTouches].some(([account, count]) => stateOf.get(account) === 'MA' && count >= 2)).toBe(true);
    expect([...phoneTouches].some(([account, count]) => stateOf.get(account) === 'WA' && count >= 3)).toBe(true);
    expect([...perAccount(lastDay)].some(([account, count]) => ['FL', 'OK', 'MD'].includes(stateOf.get(account)!) && count >= 3)).toBe(true);
    expect(perNumber('WRONG_NUMBER')).toBeGreaterThanOrEqual(2);
    expect(perNumber('DISCONNECTED')).toBeGreaterThanOrEqual(3);
    const outcomes = new Set(dispositions.map((row) => `${row.channel}/${row.disposition}`));
    for (const outcome of ['sms/OPT_OUT', 'email/BOUNCED', 'email/OPT_OUT', 'sms/DELIVERED', 'email/DELIVERED', 'call/VOICEMAIL', 'call/NO_ANSWER']) {
      expect(outcomes, outcome).toContain(outcome);
    }
  });

  it('has the loan, contact and suppression situations the rules read', async () => {
    const config = parse(await readFile('config/campaigns.yaml', 'utf8')) as { sets: { name: string; lists: { name: string }[] }[] };
    const lists = new Set(config.sets.flatMap((set) => [set.name, ...set.lists.map((list) => `${set.name}/${list.name}`)]));
    const today = onDate(contacts, DATE);
    const seen = new Map<string, string[]>();
    for (const row of today) {
      const key = `${row.payoffuid}|${valueKey(row.contact_type, row.contact_value)}`;
      seen.set(key, [...(seen.get(key) ?? []), row.created_at]);
    }

    expect(new Set(tape.map((row) => row.loan_status))).toEqual(new Set(['Current', 'Delinquent', 'Charge off', 'Paid in Full', 'Sold']));
    expect(new Set(tape.map((row) => row.portfolio))).toEqual(new Set(['BLUE_FCU', 'USALLIANCE', 'MSU_FCU', 'SST', 'DECLINE', 'OFAC']));
    expect(new Set(today.map((row) => row.related_party_type))).toEqual(new Set(['customer', 'reference_customer_parent', 'reference_customer_other']));
    expect(new Set(today.map((row) => row.contact_type))).toEqual(new Set(['mobile', 'home', 'work', 'email']));
    expect([...seen.values()].some((dates) => dates.length > 1 && new Set(dates).size === dates.length)).toBe(true);
    expect(today.some((row) => row.contact_type === 'email' && row.contact_value !== row.contact_value.toLowerCase())).toBe(true);
    expect(new Set(today.filter((row) => row.contact_type !== 'email').map((row) => row.contact_value.trim().replace(/\d/g, '9'))).size).toBeGreaterThan(4);
    for (const reason of ['CEASE_AND_DESIST', 'BANKRUPTCY', 'DECEASED', 'LITIGATION', 'FRAUD', 'ATTORNEY_REPRESENTED']) {
      expect(
        suppressions.some((row) => row.scope === 'GLOBAL' && row.key_type === 'payoffuid' && row.reason === reason),
        reason,
      ).toBe(true);
    }
    expect(suppressions.some((row) => row.key_type === 'phone' && row.reason === 'INTERNAL_DNC')).toBe(true);
    expect(suppressions.some((row) => row.key_type === 'email' && row.reason === 'INTERNAL_DNC')).toBe(true);
    expect(suppressions.some((row) => row.end_date !== '' && row.end_date < DATE)).toBe(true);
    expect(suppressions.some((row) => row.start_date > DATE)).toBe(true);
    expect(suppressions.some((row) => row.scope === 'SET')).toBe(true);
    expect(suppressions.some((row) => row.scope === 'LIST')).toBe(true);
    for (const row of suppressions.filter((entry) => entry.scope !== 'GLOBAL')) {
      expect(lists, `${row.set_name}/${row.list_name}`).toContain(row.scope === 'SET' ? row.set_name : `${row.set_name}/${row.list_name}`);
    }
  });
});

describe('generateFeeds determinism', () => {
  it('gives byte-identical files for the same seed, and a day is the same whether written alone or among others', async () => {
    const first = await snapshotDir((await generate({ customers: 300, seed: 3, days: 2, historyDays: 10 })).dir);
    const again = await snapshotDir((await generate({ customers: 300, seed: 3, days: 2, historyDays: 10 })).dir);
    const alone = await snapshotDir((await generate({ customers: 300, seed: 3, days: 1, historyDays: 1 })).dir);
    const other = await snapshotDir((await generate({ customers: 300, seed: 4, days: 2, historyDays: 10 })).dir);

    expect(first.size).toBe(23);
    expect(again).toEqual(first);
    expect(alone.size).toBe(8);
    for (const [name, bytes] of alone) expect(first.get(name)?.equals(bytes), name).toBe(true);
    // 300 accounts hold no §5.1 program slot (program.ts): both ZIP registers are the header alone.
    for (const [name, bytes] of other) if (name !== 'reference/zip_suppressions.csv.gz') expect(bytes.equals(first.get(name)!), name).toBe(false);
  });

  it('adds the next day in a later call, keeping the disposition days already written', async () => {
    const { dir } = await generate({ customers: 200, days: 1, historyDays: 5 });
    const before = await snapshotDir(dir);

    const { summary } = await generate({ customers: 200, days: 1, historyDays: 5, date: '2026-11-21' }, dir);
    const after = await snapshotDir(dir);

    expect(summary.keptDispositionDays).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19']);
    expect(summary.files.filter((file) => file.feed === 'dispositions').map((file) => file.date)).toEqual(['2026-11-20']);
    for (const [name, bytes] of before) expect(after.get(name)?.equals(bytes), name).toBe(true);
    expect(after.has('dispositions/date=2026-11-20/dispositions_20261120.csv.gz')).toBe(true);
    expect(after.has('loan_tape/asof=2026-11-21/loan_tape_20261121.csv.gz')).toBe(true);
  });

  it('writes the consent feeds only when asked', async () => {
    const { dir, summary } = await generate({ customers: 50, days: 1, feeds: 'consent' });

    expect(await readdir(dir)).toEqual(['consent']);
    expect(summary.files).toEqual([]);
  });
});

describe('geography', () => {
  it('maps every area code of the generator to its state as the areacodes package does', () => {
    const data = createRequire(import.meta.url)('areacodes/lib/data.json') as Record<string, { stateCode: string }>;

    for (const code of AREA_CODES) expect(stateOfAreaCode(code), String(code)).toBe(data[String(code)].stateCode);
  });
});

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});
