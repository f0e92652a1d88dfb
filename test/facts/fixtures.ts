import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { consentFeedLayout } from '../../domain/consent-feeds.ts';
import { dailyFeeds } from '../../domain/daily-feeds.ts';

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
}

/** A loan-tape row with the given values over defaults. */
export function loanRow(payoffuid: string, accountNumber: string, values: Partial<Record<(typeof dailyFeeds.loan_tape.columns)[number], string>> = {}): string[] {
  const row: Record<string, string> = {
    payoffuid, account_number: accountNumber, portfolio: 'BLUE_FCU', loan_status: 'DELINQUENT', days_past_due: '35', amount_due: '120.50',
    principal_balance: '2400.00', state: 'NY', zip: '10001', first_name: 'Ann', last_name: 'Lee', loan_tape_asofdate: '2026-11-20', ...values,
  };
  return dailyFeeds.loan_tape.columns.map((column) => row[column]!);
}

/** A disposition row: payoffuid, account, channel, value, outcome, conversation flag. */
export function attempt(payoffuid: string, account: string, channel: string, value: string, disposition: string, conversation = 'N', date = '2026-11-20'): string[] {
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
    cnsmr_phn_typ_val_txt: 'CELL', cnsmr_phn_stts_val_txt: 'ACTIVE', cnsmr_phn_src_val_txt: 'CLIENT',
    cnsmr_phn_tchnlgy_typ_val_txt: 'WIRELESS', cnsmr_phn_qlty_score_nmbr: '80', ...values,
  };
  return consentFeedLayout(feed).columns.map((column) => row[column] ?? '');
}
