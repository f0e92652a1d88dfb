import { describe, expect, it } from 'vitest';
import { checkDailyInputs, dailyInputKeys } from '../../domain/feeds/daily-inputs.ts';

const complete = [
  'loan_tape/asof=2026-11-20/loan_tape_20261120.csv.gz',
  'contacts/asof=2026-11-20/contacts_20261120.csv.gz',
  'custom_fields/asof=2026-11-20/custom_fields_20261120.jsonl.gz',
  'dispositions/date=2026-11-19/dispositions_20261119.csv.gz',
  'suppressions/suppressions_20261118.csv.gz',
  'contact_rules/asof=2026-11-20/contact_rules_20261120.csv.gz',
  'payment_requests/date=2026-11-20/payment_requests_20261120.csv.gz',
  'reference/zip_suppressions.csv.gz',
];

describe('checkDailyInputs', () => {
  it("accepts the feeds of the load date, yesterday's dispositions and an older suppression snapshot", () => {
    const { problems } = checkDailyInputs(complete, '2026-11-20');

    expect(problems).toEqual([]);
  });

  it('names every missing or stale feed, with the newest loan tape it found', () => {
    const keys = ['loan_tape/asof=2026-11-19/loan_tape_20261119.csv.gz', 'suppressions/suppressions_20261121.csv.gz'];

    const { problems } = checkDailyInputs(keys, '2026-11-20');

    expect(problems).toEqual([
      'loan_tape: nothing under loan_tape/asof=2026-11-20/ (newest: 2026-11-19)',
      'contacts: nothing under contacts/asof=2026-11-20/ (newest: none)',
      'custom_fields: nothing under custom_fields/asof=2026-11-20/ (newest: none)',
      'contact_rules: nothing under contact_rules/asof=2026-11-20/ (newest: none)',
      'dispositions: nothing under dispositions/date=2026-11-19/',
      'suppressions: no suppressions_YYYYMMDD.csv.gz dated on or before 2026-11-20',
      'payment_requests: nothing under payment_requests/date=2026-11-20/',
      'zip_suppressions: no reference/zip_suppressions.csv.gz',
    ]);
  });
});

describe('dailyInputKeys', () => {
  it("keeps the load date's feeds, 90 days of dispositions ending on the load date and the newest snapshot not after it", () => {
    const keys = [
      ...complete,
      'loan_tape/asof=2026-11-19/loan_tape_20261119.csv.gz',
      'dispositions/date=2026-08-23/dispositions_20260823.csv.gz',
      'dispositions/date=2026-08-22/dispositions_20260822.csv.gz',
      'dispositions/date=2026-11-21/dispositions_20261121.csv.gz',
      'suppressions/suppressions_20261120.csv.gz',
      'suppressions/suppressions_20261121.csv.gz',
      'contact_rules/asof=2026-11-19/contact_rules_20261119.csv.gz',
      'payment_requests/date=2026-08-23/payment_requests_20260823.csv.gz',
      'payment_requests/date=2026-08-22/payment_requests_20260822.csv.gz',
      'payment_requests/date=2026-11-21/payment_requests_20261121.csv.gz',
      'reference/other.csv.gz',
    ];

    const kept = dailyInputKeys(keys, '2026-11-20');

    expect(kept.sort()).toEqual([
      'contact_rules/asof=2026-11-20/contact_rules_20261120.csv.gz',
      'contacts/asof=2026-11-20/contacts_20261120.csv.gz',
      'custom_fields/asof=2026-11-20/custom_fields_20261120.jsonl.gz',
      'dispositions/date=2026-08-23/dispositions_20260823.csv.gz',
      'dispositions/date=2026-11-19/dispositions_20261119.csv.gz',
      'loan_tape/asof=2026-11-20/loan_tape_20261120.csv.gz',
      'payment_requests/date=2026-08-23/payment_requests_20260823.csv.gz',
      'payment_requests/date=2026-11-20/payment_requests_20261120.csv.gz',
      'reference/zip_suppressions.csv.gz',
      'suppressions/suppressions_20261120.csv.gz',
    ]);
  });
});
