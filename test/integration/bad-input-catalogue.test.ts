import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dailyFeeds } from '../../domain/feeds/daily-feeds.ts';
import type { ConsentTransformOutput, CustomerFactsOutput } from '../../domain/run/step-outputs.ts';
import { handler as buildCustomerFacts } from '../../lambdas/build-customer-facts/handler.ts';
import { handler as consentTransform } from '../../lambdas/consent-transform/handler.ts';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime/runtime.ts';
import { enrollment, nonfin, sandbox, supplfwd, writeFeeds, type Sandbox } from '../sql/fixtures.ts';
import { attempt, csv, loanRow, writeDailyFeeds } from '../facts/fixtures.ts';

/**
 * The bad-input catalogue (docs/bad-input.md): every kind of damaged input a feed can bring, each with the
 * outcome an operator sees — the run stops with an error naming the file (and the line where the engine can
 * tell), or the rows are set aside (quarantined) and counted in the step's result, which the run summary, the
 * CLI and the FeedRowsSetAside metric show, or the value is read conservatively and counted. None is silent.
 * The steps run on the local runtime (DuckDB, s3rver) over hand-made feeds of one load date.
 */
const D = '2026-11-20';
const A1 = '1000000000000001';
const A2 = '1000000000000002';

/** The day's attempts: 120 calls a minute apart (enough rows for the rate gates to judge). */
const DAY_OF_ATTEMPTS = Array.from({ length: 120 }, (_, minute) => {
  const row = attempt(minute % 2 ? 'p-1' : 'p-2', minute % 2 ? A1 : A2, 'call', minute % 2 ? '2125550142' : '2125550146', 'NO_ANSWER');
  row[4] = `${D}T${String(8 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00-05:00`;
  return row;
});

let box: Sandbox;
let runtime: LocalRuntime;
let consent: ConsentTransformOutput;
let facts: CustomerFactsOutput;
let attempts = 0;

/** Runs BuildCustomerFacts once more (a new attempt) on the landing zone as it is now. */
const buildFacts = () => buildCustomerFacts({ runId: 'r1', attempt: `a${++attempts}`, loadDate: D });

/** The landing-zone key of an extra file of `feed` for D, read beside the good one. */
function extraKey(feed: 'loan_tape' | 'contacts' | 'custom_fields' | 'suppressions' | 'dispositions'): string {
  const day = D.replaceAll('-', '');
  switch (feed) {
    case 'suppressions':
      // A newer snapshot dated D replaces the day's register for the run.
      return `suppressions/suppressions_${day}.csv.gz`;
    case 'dispositions':
      return `dispositions/date=${D}/dispositions_${day}_002.csv.gz`;
    case 'custom_fields':
      return `custom_fields/asof=${D}/custom_fields_${day}_002.jsonl.gz`;
    default:
      return `${feed}/asof=${D}/${feed}_${day}_002.csv.gz`;
  }
}

/** Writes `text` as an extra file of `feed`, runs the step, removes the file: the step's outcome. */
async function withExtraFile<T>(feed: Parameters<typeof extraKey>[0], text: string | Buffer, act: () => Promise<T>): Promise<T> {
  const file = join(box.data, extraKey(feed));
  await writeFile(file, typeof text === 'string' ? gzipSync(text) : text);
  try {
    return await act();
  } finally {
    await rm(file);
  }
}

/** The gzip of `text`, cut at 95 %: the stream ends before its CRC/length trailer. */
const cutShort = (text: string) => {
  const whole = gzipSync(text);
  return whole.subarray(0, Math.floor(whole.length * 0.95));
};

beforeAll(async () => {
  box = await sandbox();
  await writeFeeds(box.data, [
    {
      feed: 'NON-FIN-BDL',
      name: '20261120',
      rows: [
        nonfin(A1, '1', '2125550142'),
        nonfin(A2, '2', '2125550146'),
        // Consent exports: one row of each kind the bronze sets aside (reason in consent rejects).
        nonfin('100000000000001', '3', '2125550150'),
        ['4', `${A1}A`, 'AG', '123456789', 'Ana', 'Lee', '2125550151', 'CELL', 'ACTIVE', 'CLIENT', 'WIRELESS', '80', 'Y', '2026-10-01'],
        nonfin(A1, '5', '212555015'),
        nonfin(A1, '', '2125550153'),
        nonfin(A1, '7', '2125550154', 'Y', 'PAGER'),
        nonfin(A1, '8', '2125550155', 'Y', 'CELL', 'CLIENT', { status: 'GONE' }),
        nonfin(A1, '9', '2125550156', 'Y', 'CELL', 'FRIEND'),
        nonfin(A1, '10', '2125550157', 'Y', 'CELL', 'CLIENT', { technology: 'FAX' }),
        nonfin(A1, '11', '2125550158', 'Y', 'CELL', 'CLIENT', { quality: '101' }),
        nonfin(A1, '12', '2125550159', 'MAYBE'),
        nonfin(A1, '13', '2125550160', 'Y', 'CELL', 'CLIENT', { consentDate: '2026-12-31' }),
        nonfin(A1, '14', '(212) 555-O161'),
        nonfin(A1, '15', '+44 20 7946 0958'),
      ],
    },
    {
      feed: 'SUPPLFWD',
      name: '20261120',
      rows: [
        supplfwd(A1, '2125550162', 'Y', 'X', '2026-11-19'),
        supplfwd(A1, '2125550163', 'Y', 'N', '2026-11-21', 'CELL', 'CLIENT', { consentDate: '2026-11-01' }),
      ],
    },
    { feed: 'ENRLMT', name: '20261120', rows: [enrollment('12345', '2125550164', '2026-11-01')] },
  ]);
  await writeDailyFeeds(box.data, D, {
    loanTape: [loanRow('p-1', A1), loanRow('p-2', A2)],
    contacts: [
      ['p-1', 'customer', 'mobile', '2125550142', '2026-01-01'],
      ['p-2', 'customer', 'mobile', '2125550146', '2026-01-01'],
    ],
    dispositions: { [D]: DAY_OF_ATTEMPTS },
    suppressions: { '20261119': [['GLOBAL', '', '', 'payoffuid', 'p-9', 'FRAUD', '2026-01-01', '']] },
    customFields: ['{"account_number":"1000000000000001","fields":{"risk_score":12}}'],
  });
  runtime = await startLocalRuntime({ home: box.home, data: box.data });
  consent = (await consentTransform({ runId: 'r1', loadDate: D })) as ConsentTransformOutput;
  facts = await buildFacts();
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await box?.cleanup();
});

describe('bad-input catalogue: consent exports (§3.1; set aside, counted by reason in the run summary)', () => {
  it.each([
    ['an account that is not 16 digits and P', 'INVALID_ACCOUNT'],
    ['a consumer other than the primary (…A)', 'NOT_PRIMARY_CONSUMER'],
    ['a phone of 9 digits', 'PHONE_INVALID_LENGTH'],
    ['a NON-FIN-BDL row without cnsmr_phn_id', 'INVALID_PHONE_ID'],
    ['a phone type the layout does not know', 'INVALID_PHONE_TYPE'],
    ['a phone status the layout does not know', 'INVALID_PHONE_STATUS'],
    ['a phone source the layout does not know', 'INVALID_PHONE_SOURCE'],
    ['a phone technology the layout does not know', 'INVALID_PHONE_TECHNOLOGY'],
    ['a quality score above 100', 'INVALID_QUALITY_SCORE'],
    ['a consent flag other than Y, N or empty', 'INVALID_CONSENT_FLAG'],
    ['a consent date after the file date', 'INVALID_CONSENT_DATE'],
    ['a phone with a letter in it', 'PHONE_INVALID_CHARACTERS'],
    ['a phone outside the NANP', 'PHONE_NOT_NANP'],
    ['a SUPPLFWD soft-delete flag other than Y or N', 'INVALID_DELETE_FLAG'],
    ['an event dated after its file', 'INVALID_DATE'],
  ])('%s: %s', (_kind, reason) => {
    expect(consent.rejectsByReason[reason]).toBe(reason === 'INVALID_ACCOUNT' ? 2 : 1);
  });

  it('counts each rejected row once, as the summary shows it', () => {
    expect(consent.rows.rejects).toBe(Object.values(consent.rejectsByReason).reduce((sum, n) => sum + n, 0));
    expect(consent.rows.rejects).toBe(16);
  });
});

describe('bad-input catalogue: daily feeds that stop the run (error naming file and line)', () => {
  const suppressionsHeader = dailyFeeds.suppressions.columns;
  it.each([
    [
      'suppressions',
      'a scope that cannot be read',
      csv(suppressionsHeader, [['EVERYWHERE', '', '', 'payoffuid', 'p-1', 'FRAUD', '2026-01-01', '']]),
      /suppressions_20261120\.csv\.gz line 2: INVALID_SCOPE/,
    ],
    [
      'suppressions',
      'a key type that cannot be read',
      csv(suppressionsHeader, [['GLOBAL', '', '', 'loan', 'p-1', 'FRAUD', '2026-01-01', '']]),
      /line 2: INVALID_KEY_TYPE/,
    ],
    [
      'suppressions',
      'a SET entry without its set',
      csv(suppressionsHeader, [['SET', '', '', 'payoffuid', 'p-1', 'FRAUD', '2026-01-01', '']]),
      /line 2: MISSING_SET_NAME/,
    ],
    [
      'suppressions',
      'a LIST entry without its list',
      csv(suppressionsHeader, [['LIST', 'collections', '', 'payoffuid', 'p-1', 'FRAUD', '2026-01-01', '']]),
      /line 2: MISSING_LIST_NAME/,
    ],
    [
      'suppressions',
      'a short row (an entry cut short)',
      `${dailyFeeds.suppressions.columns.join('|')}\nGLOBAL||\n`,
      /suppressions_20261120\.csv\.gz line 2: TOO_FEW_FIELDS/,
    ],
    [
      'suppressions',
      'a | inside a field (the fields move one column)',
      csv(dailyFeeds.suppressions.columns, [['GLOBAL', '', '', 'payoffuid', 'p-1', 'FRAUD|CEASE', '2026-01-01', '']]),
      /suppressions_20261120\.csv\.gz line 2: TOO_MANY_FIELDS/,
    ],
    ['suppressions', 'another header', 'scope|key\nGLOBAL|p-1\n', /suppressions file suppressions\/suppressions_20261120\.csv\.gz: header/],
    [
      'custom_fields',
      'a broken line that names no account',
      '{"account_number":"1000000000000001","fields":{}}\n{"fields":{"hardship_plan":tr\n',
      /custom_fields_20261120_002\.jsonl\.gz line 2: INVALID_JSON/,
    ],
    ['custom_fields', 'a JSON line without account', '{"fields":{"hardship_plan":true}}\n', /custom_fields_20261120_002\.jsonl\.gz line 1: MISSING_ACCOUNT/],
    ['loan_tape', 'another header', 'payoffuid|account\np-3|1\n', /loan_tape file loan_tape\/asof=2026-11-20\/loan_tape_20261120_002\.csv\.gz: header/],
    ['contacts', 'another header', 'payoffuid|phone\np-1|2125550142\n', /contacts file contacts\/asof=2026-11-20\/contacts_20261120_002\.csv\.gz: header/],
    [
      'dispositions',
      'another header',
      'payoffuid|outcome\np-1|NO_ANSWER\n',
      /dispositions file dispositions\/date=2026-11-20\/dispositions_20261120_002\.csv\.gz: header/,
    ],
    [
      'dispositions',
      'the attempts of the day delivered again under another name',
      csv(dailyFeeds.dispositions.columns, DAY_OF_ATTEMPTS),
      /gate facts\.dispositions_repeated_rate failed: 120 of 240 attempts of the 7 days delivered again in another file/,
    ],
    [
      'dispositions',
      'a gzip cut short (95 % of it)',
      cutShort(
        csv(
          dailyFeeds.dispositions.columns,
          Array.from({ length: 2000 }, () => attempt('p-1', A1, 'call', '2125550142', 'NO_ANSWER')),
        ),
      ),
      /dispositions_20261120_002\.csv\.gz is cut short/,
    ],
    [
      'contacts',
      'a file that is not gzip',
      Buffer.from('payoffuid|related_party_type|contact_type|contact_value|created_at\n'),
      /contacts_20261120_002\.csv\.gz is not gzip data/,
    ],
    ['loan_tape', 'an empty file (0 bytes)', Buffer.alloc(0), /loan_tape_20261120_002\.csv\.gz is empty \(0 bytes\)/],
  ] as const)('%s: %s', async (feed, _kind, text, message) => {
    await expect(withExtraFile(feed, text, buildFacts)).rejects.toThrow(message);
  });
});

describe('bad-input catalogue: daily feeds whose rows are set aside or read conservatively (counted in the run summary)', () => {
  const cases: [string, string, Parameters<typeof extraKey>[0], string, { detail: string; count: number; setAside: boolean }][] = [
    [
      'loan_tape',
      'a row without payoffuid',
      'loan_tape',
      csv(dailyFeeds.loan_tape.columns, [loanRow('', '1000000000000003')]),
      { detail: 'MISSING_PAYOFFUID', count: 1, setAside: true },
    ],
    [
      'loan_tape',
      'a payoffuid of blanks',
      'loan_tape',
      csv(dailyFeeds.loan_tape.columns, [loanRow('   ', '1000000000000003')]),
      { detail: 'MISSING_PAYOFFUID', count: 1, setAside: true },
    ],
    [
      'loan_tape',
      'a NUL byte in a payoffuid',
      'loan_tape',
      csv(dailyFeeds.loan_tape.columns, [loanRow('p-1\u0000', '1000000000000003')]),
      { detail: 'INVALID_PAYOFFUID', count: 1, setAside: true },
    ],
    [
      'loan_tape',
      'an account number of 15 digits (its caps could not be counted)',
      'loan_tape',
      csv(dailyFeeds.loan_tape.columns, [loanRow('p-3', '100000000000003')]),
      { detail: 'INVALID_ACCOUNT_NUMBER', count: 1, setAside: true },
    ],
    [
      'loan_tape',
      'a customer twice, in another case',
      'loan_tape',
      csv(dailyFeeds.loan_tape.columns, [loanRow('P-1', A1)]),
      { detail: 'duplicate_rows', count: 1, setAside: true },
    ],
    [
      'loan_tape',
      "a customer's second loan (another account, fewer days past due)",
      'loan_tape',
      csv(dailyFeeds.loan_tape.columns, [loanRow('p-1', '1000000000000009', { days_past_due: '1' })]),
      { detail: 'other_loans', count: 1, setAside: false },
    ],
    [
      'loan_tape',
      'a row written with another delimiter',
      'loan_tape',
      `${dailyFeeds.loan_tape.columns.join('|')}\n${loanRow('p-3', '1000000000000003').join(',')}\n`,
      { detail: 'TOO_FEW_FIELDS', count: 1, setAside: true },
    ],
    [
      'loan_tape',
      'a | inside a field (the fields move one column)',
      'loan_tape',
      csv(dailyFeeds.loan_tape.columns, [loanRow('p-3', '1000000000000003', { last_name: 'Lee|Smith' })]),
      { detail: 'TOO_MANY_FIELDS', count: 1, setAside: true },
    ],
    [
      'contacts',
      'a short row',
      'contacts',
      `${dailyFeeds.contacts.columns.join('|')}\np-1|customer|mobile\n`,
      { detail: 'TOO_FEW_FIELDS', count: 1, setAside: true },
    ],
    [
      'contacts',
      'a | inside a field',
      'contacts',
      csv(dailyFeeds.contacts.columns, [['p-1', 'customer', 'mobile', '212|5550180', '2026-01-01']]),
      { detail: 'TOO_MANY_FIELDS', count: 1, setAside: true },
    ],
    [
      'dispositions',
      'a short row (counted toward its account all the same)',
      'dispositions',
      `${dailyFeeds.dispositions.columns.join('|')}\np-1|${A1}|call\n`,
      { detail: 'malformed_rows', count: 1, setAside: false },
    ],
    [
      'contacts',
      'a payoffuid not on the loan tape',
      'contacts',
      csv(dailyFeeds.contacts.columns, [['p-x', 'customer', 'mobile', '2125550170', '2026-01-01']]),
      { detail: 'UNKNOWN_CUSTOMER', count: 1, setAside: true },
    ],
    [
      'contacts',
      'a related party the feed does not define',
      'contacts',
      csv(dailyFeeds.contacts.columns, [['p-1', 'friend', 'mobile', '2125550171', '2026-01-01']]),
      { detail: 'INVALID_RELATED_PARTY_TYPE', count: 1, setAside: true },
    ],
    [
      'contacts',
      'a contact type the feed does not define',
      'contacts',
      csv(dailyFeeds.contacts.columns, [['p-1', 'customer', 'fax', '2125550172', '2026-01-01']]),
      { detail: 'INVALID_CONTACT_TYPE', count: 1, setAside: true },
    ],
    [
      'contacts',
      'a phone with letters',
      'contacts',
      csv(dailyFeeds.contacts.columns, [['p-1', 'customer', 'home', 'call me', '2026-01-01']]),
      { detail: 'PHONE_INVALID_CHARACTERS', count: 1, setAside: true },
    ],
    [
      'contacts',
      'a phone of 7 digits',
      'contacts',
      csv(dailyFeeds.contacts.columns, [['p-1', 'customer', 'home', '5550142', '2026-01-01']]),
      { detail: 'PHONE_INVALID_LENGTH', count: 1, setAside: true },
    ],
    [
      'contacts',
      'an empty phone',
      'contacts',
      csv(dailyFeeds.contacts.columns, [['p-1', 'customer', 'home', '', '2026-01-01']]),
      { detail: 'PHONE_EMPTY', count: 1, setAside: true },
    ],
    [
      'contacts',
      'an email without @',
      'contacts',
      csv(dailyFeeds.contacts.columns, [['p-1', 'customer', 'email', 'ann.example.com', '2026-01-01']]),
      { detail: 'INVALID_EMAIL', count: 1, setAside: true },
    ],
    [
      'contacts',
      'a created_at that is not a date',
      'contacts',
      csv(dailyFeeds.contacts.columns, [['p-1', 'customer', 'home', '2125550173', 'yesterday']]),
      { detail: 'INVALID_CREATED_AT', count: 1, setAside: true },
    ],
    [
      'dispositions',
      'an attempt on no known loan or customer',
      'dispositions',
      csv(dailyFeeds.dispositions.columns, [attempt('p-x', '1000000000000099', 'call', '2125550142', 'NO_ANSWER')]),
      { detail: 'attributed_by_unknown_loan', count: 1, setAside: true },
    ],
    [
      'dispositions',
      'a channel the feed does not define',
      'dispositions',
      csv(dailyFeeds.dispositions.columns, [attempt('p-1', A1, 'fax', '2125550142', 'DELIVERED')]),
      { detail: 'unknown_channel', count: 1, setAside: true },
    ],
    [
      'dispositions',
      'a wrong number on a value that is no phone',
      'dispositions',
      csv(dailyFeeds.dispositions.columns, [attempt('p-1', A1, 'call', 'n/a', 'WRONG_NUMBER')]),
      { detail: 'unreadable_outcome_value', count: 1, setAside: true },
    ],
    [
      'dispositions',
      'an empty account number (counted toward every loan of the customer)',
      'dispositions',
      csv(dailyFeeds.dispositions.columns, [attempt('p-1', '', 'call', '2125550142', 'NO_ANSWER')]),
      { detail: 'attributed_by_customer_no_account', count: 1, setAside: false },
    ],
    [
      'dispositions',
      'an account number not on the tape (counted toward the customer)',
      'dispositions',
      csv(dailyFeeds.dispositions.columns, [attempt('p-1', '100000000000001', 'call', '2125550142', 'NO_ANSWER')]),
      { detail: 'attributed_by_customer_account_not_on_tape', count: 1, setAside: false },
    ],
    [
      'suppressions',
      'an entry without key',
      'suppressions',
      csv(dailyFeeds.suppressions.columns, [['GLOBAL', '', '', 'payoffuid', '', 'FRAUD', '2026-01-01', '']]),
      { detail: 'MISSING_KEY', count: 1, setAside: true },
    ],
    [
      'suppressions',
      'a phone key that is no phone',
      'suppressions',
      csv(dailyFeeds.suppressions.columns, [['GLOBAL', '', '', 'phone', '555-0100', 'INTERNAL_DNC', '2026-01-01', '']]),
      { detail: 'PHONE_INVALID_LENGTH', count: 1, setAside: true },
    ],
    [
      'suppressions',
      'an email key without @',
      'suppressions',
      csv(dailyFeeds.suppressions.columns, [['GLOBAL', '', '', 'email', 'ann.example.com', 'INTERNAL_DNC', '2026-01-01', '']]),
      { detail: 'INVALID_EMAIL', count: 1, setAside: true },
    ],
    [
      'suppressions',
      'a start date that cannot be read (applies: fail closed)',
      'suppressions',
      csv(dailyFeeds.suppressions.columns, [['GLOBAL', '', '', 'payoffuid', 'p-1', 'FRAUD', 'someday', '']]),
      { detail: 'unreadable_date', count: 1, setAside: false },
    ],
    [
      'custom_fields',
      'a broken line of a known account (its fields unreadable)',
      'custom_fields',
      '{"account_number": "1000000000000002", "fields": {"hardship_plan": tru\n',
      { detail: 'unreadable_lines', count: 1, setAside: true },
    ],
    [
      'custom_fields',
      'a line of an account not on the tape',
      'custom_fields',
      '{"account_number":"9999999999999999","fields":{}}\n',
      { detail: 'unknown_account', count: 1, setAside: true },
    ],
    [
      'custom_fields',
      'a second line for one account',
      'custom_fields',
      '{"account_number":"1000000000000001","fields":{"risk_score":13}}\n',
      { detail: 'duplicate_lines', count: 1, setAside: true },
    ],
  ];

  it('the clean day sets nothing aside', () => {
    expect(facts.setAside).toEqual({
      loan_tape: 0,
      contacts: 0,
      dispositions: 0,
      suppressions: 0,
      custom_fields: 0,
      contact_rules: 0,
      payment_requests: 0,
      zip_suppressions: 0,
    });
  });

  it.each(cases)('%s: %s', async (feed, _kind, file, text, expected) => {
    const result = await withExtraFile(file, text, buildFacts);
    expect(result.counts[feed]![expected.detail]).toBe(expected.count);
    expect(result.setAside[feed as keyof CustomerFactsOutput['setAside']]).toBe(expected.setAside ? expected.count : 0);
  });
});
