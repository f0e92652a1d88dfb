import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { consentFeedLayout } from '../../domain/consent/consent-feeds.ts';
import { dailyFeeds } from '../../domain/feeds/daily-feeds.ts';
import { DEFAULT_CAMPAIGN_CONFIG, readCampaignConfigFile } from '../../adapters/campaign-config-file.ts';
import { putLakeJson } from '../../adapters/lake-store.ts';
import { runLayout } from '../../domain/run/run-layout.ts';

/**
 * The configuration snapshot PrepareRun writes for an attempt (the facts step reads its list-history facts):
 * `config` as given, else config/campaigns.yaml. Needs the local runtime's S3.
 */
export async function putConfigSnapshot(loadDate: string, attempt: string, config?: unknown): Promise<void> {
  let snapshot = config;
  if (snapshot === undefined) {
    const loaded = await readCampaignConfigFile(DEFAULT_CAMPAIGN_CONFIG);
    if (!loaded.ok) throw new Error(`config/campaigns.yaml is invalid: ${loaded.problems.map((problem) => problem.message).join('; ')}`);
    snapshot = loaded.config;
  }
  await putLakeJson(runLayout.configSnapshot(loadDate, attempt), snapshot);
}

/** Hand-made §3.2 feeds for the customer-facts tests, written as the landing zone lays them out (docs/feeds.md). */
export interface DailyFeedFixture {
  /** Rows in the loan tape column order, written to loan_tape/asof=D/. */
  loanTape?: string[][];
  contacts?: string[][];
  /** Disposition rows by the day they were made (date= folder). */
  dispositions?: Record<string, string[][]>;
  /** Suppression snapshots by their file date YYYYMMDD. */
  suppressions?: Record<string, string[][]>;
  /** Custom-field JSON lines. */
  customFields?: string[];
  /** Contact-rule rows of contact_rules/asof=D/ (absent: a header-only file, as a day without rules is delivered). */
  contactRules?: string[][];
  /** Payment-request rows by delivery date (date= folder); D gets a header-only file when absent. */
  paymentRequests?: Record<string, string[][]>;
  /** Rows of reference/zip_suppressions.csv.gz (absent: a header-only file). */
  zipSuppressions?: string[][];
  /** Leave the contact rules, payment requests of D and the ZIP register out altogether. */
  withoutServicingFeeds?: boolean;
}

const compact = (date: string) => date.replaceAll('-', '');

async function writeGzip(file: string, text: string): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, gzipSync(text));
}

/** A pipe-delimited file's text: the header, then the rows. */
export const csv = (columns: readonly string[], rows: string[][]) => `${[columns.join('|'), ...rows.map((row) => row.join('|'))].join('\n')}\n`;

export async function writeDailyFeeds(dataDir: string, loadDate: string, fixture: DailyFeedFixture): Promise<void> {
  const day = compact(loadDate);
  if (fixture.loanTape) {
    await writeGzip(join(dataDir, `loan_tape/asof=${loadDate}/loan_tape_${day}.csv.gz`), csv(dailyFeeds.loan_tape.columns, fixture.loanTape));
  }
  if (fixture.contacts) {
    await writeGzip(join(dataDir, `contacts/asof=${loadDate}/contacts_${day}.csv.gz`), csv(dailyFeeds.contacts.columns, fixture.contacts));
  }
  for (const [date, rows] of Object.entries(fixture.dispositions ?? {})) {
    await writeGzip(join(dataDir, `dispositions/date=${date}/dispositions_${compact(date)}.csv.gz`), csv(dailyFeeds.dispositions.columns, rows));
  }
  for (const [fileDate, rows] of Object.entries(fixture.suppressions ?? {})) {
    await writeGzip(join(dataDir, `suppressions/suppressions_${fileDate}.csv.gz`), csv(dailyFeeds.suppressions.columns, rows));
  }
  if (fixture.customFields) {
    await writeGzip(join(dataDir, `custom_fields/asof=${loadDate}/custom_fields_${day}.jsonl.gz`), fixture.customFields.map((line) => `${line}\n`).join(''));
  }
  if (fixture.withoutServicingFeeds) return;
  await writeGzip(
    join(dataDir, `contact_rules/asof=${loadDate}/contact_rules_${day}.csv.gz`),
    csv(dailyFeeds.contact_rules.columns, fixture.contactRules ?? []),
  );
  const requests = { [loadDate]: [], ...fixture.paymentRequests };
  for (const [date, rows] of Object.entries(requests)) {
    await writeGzip(join(dataDir, `payment_requests/date=${date}/payment_requests_${compact(date)}.csv.gz`), csv(dailyFeeds.payment_requests.columns, rows));
  }
  await writeGzip(join(dataDir, 'reference/zip_suppressions.csv.gz'), csv(dailyFeeds.zip_suppressions.columns, fixture.zipSuppressions ?? []));
}

/** A contact-rule row: the flags (cease_and_desist, bankruptcy, suppress_phone, suppress_text, suppress_letter, suppress_email) over N. */
export function contactRuleRow(
  payoffuid: string,
  flags: Partial<Record<'cease_and_desist' | 'bankruptcy' | 'suppress_phone' | 'suppress_text' | 'suppress_letter' | 'suppress_email', string>>,
  start: string,
  end = '',
): string[] {
  const row: Record<string, string> = {
    payoffuid,
    cease_and_desist: 'N',
    bankruptcy: 'N',
    suppress_phone: 'N',
    suppress_text: 'N',
    suppress_letter: 'N',
    suppress_email: 'N',
    rule_start_date: start,
    rule_end_date: end,
    ...flags,
  };
  return dailyFeeds.contact_rules.columns.map((column) => row[column]!);
}

/** A loan-tape row with the given values over defaults. */
export function loanRow(
  payoffuid: string,
  accountNumber: string,
  values: Partial<Record<(typeof dailyFeeds.loan_tape.columns)[number], string>> = {},
): string[] {
  const row: Record<string, string> = {
    payoffuid,
    account_number: accountNumber,
    loan_id: `PL${accountNumber.slice(-9)}`,
    portfolio: 'BLUE_FCU',
    loan_status: 'Delinquent',
    days_past_due: '35',
    amount_due: '120.50',
    principal_balance: '2400.00',
    origination_date: '2024-03-01',
    next_payment_due_date: '2026-11-24',
    charge_off_date: '',
    recoveries_paid_to_date: '',
    payment_mode: 'Manual',
    placement_status: '',
    next_workable_date: '',
    last_collections_contact_date: '2026-11-18',
    first_name: 'Ann',
    last_name: 'Lee',
    address_1: '1 Main St',
    address_2: '',
    city: 'New York',
    state: 'NY',
    zip: '10001',
    loan_tape_asofdate: '2026-11-20',
    ...values,
  };
  return dailyFeeds.loan_tape.columns.map((column) => row[column]!);
}

/** A disposition row: payoffuid, account, channel, value, outcome, conversation flag. */
export function attempt(
  payoffuid: string,
  account: string,
  channel: string,
  value: string,
  disposition: string,
  conversation = 'N',
  date = '2026-11-20',
): string[] {
  return [payoffuid, account, channel, value, `${date}T14:00:00-05:00`, disposition, conversation, 'collections'];
}

type PhoneRecordFeed = 'NON-FIN-BDL' | 'SUPPLFWD';
type ConsentColumn<F extends PhoneRecordFeed> = Extract<ReturnType<typeof consentFeedLayout>, { feed: F }>['columns'][number];

/**
 * A consent phone record (§3.1) of a NON-FIN-BDL or SUPPLFWD export, in the feed's column order: the given
 * values over an active, wireless CLIENT phone of quality 80 with no consent answer; every other field empty.
 */
export function consentRow<F extends PhoneRecordFeed>(feed: F, values: Partial<Record<ConsentColumn<F>, string>>): string[] {
  const row: Record<string, string> = {
    cnsmr_phn_typ_val_txt: 'CELL',
    cnsmr_phn_stts_val_txt: 'ACTIVE',
    cnsmr_phn_src_val_txt: 'CLIENT',
    cnsmr_phn_tchnlgy_typ_val_txt: 'WIRELESS',
    cnsmr_phn_qlty_score_nmbr: '80',
    ...values,
  };
  return consentFeedLayout(feed).columns.map((column) => row[column] ?? '');
}
