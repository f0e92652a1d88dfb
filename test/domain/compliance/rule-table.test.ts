import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../../domain/compliance/data-file.ts';
import { parseRuleTable, RULE_TABLE_COLUMNS, rulesInForce } from '../../../domain/compliance/rule-table.ts';
import { shippedRules } from './helpers.ts';

/** The rule table: the shipped rows cover SPEC §6.1; a malformed table is refused with line and column. */

const HEADER = RULE_TABLE_COLUMNS.join('|');
const WINDOW = 'HOURS|1|window|US|call|servicing|2020-01-01||08:00|21:00||||||||Test source|';

function problems(...rows: string[]): string[] {
  try {
    parseRuleTable([HEADER, ...rows].join('\n'), 't.csv');
  } catch (error) {
    if (error instanceof DataFileError)
      return error.problems.map(({ line, column, message }) => `${line}${column === undefined ? '' : ` ${column}`}: ${message}`);
    throw error;
  }
  return [];
}

describe('the shipped rule table', () => {
  const ids = (channel: 'call' | 'sms' | 'email', purpose: 'collections' | 'servicing' | 'marketing') =>
    rulesInForce(shippedRules, '2026-03-10', channel, purpose)
      .map((rule) => `${rule.rule_id}@${rule.jurisdiction}`)
      .sort();

  it('holds every rule of §6.1 for collections calls, with its source', () => {
    expect(ids('call', 'collections')).toEqual([
      'MA_CALL_FREQUENCY@US-MA',
      'REGF_CALL_FREQUENCY@US',
      'REGF_CONFLICTING_LOCATIONS@US',
      'REGF_INCONVENIENT_TIME@US',
      'REGF_POST_CONVERSATION@US',
      'WA_COMMUNICATION_FREQUENCY@US-WA',
    ]);
    expect(shippedRules.rules.every((rule) => rule.source.length > 0)).toBe(true);
  });

  it('holds the marketing call rules: TCPA and the state rules', () => {
    expect(ids('call', 'marketing')).toEqual([
      'FL_SOLICITATION_FREQUENCY@US-FL',
      'FL_SOLICITATION_HOURS@US-FL',
      'LA_SOLICITATION_HOURS@US-LA',
      'MD_SOLICITATION_FREQUENCY@US-MD',
      'MD_SOLICITATION_HOURS@US-MD',
      'OK_SOLICITATION_FREQUENCY@US-OK',
      'OK_SOLICITATION_HOURS@US-OK',
      'TCPA_CALLING_HOURS@US',
      'TX_SOLICITATION_HOURS@US-TX',
      'UT_SOLICITATION_HOURS@US-UT',
    ]);
  });

  it('references the SMS consent and email opt-out filters as delegated rows', () => {
    expect(ids('sms', 'servicing')).toEqual(['FCC_24_24_REVOCATION@US', 'SERVICING_HOURS@US']);
    expect(ids('email', 'marketing')).toEqual(['CAN_SPAM_OPT_OUT@US']);
  });

  it('maps each frequency cap to its derived counter', () => {
    const counters = Object.fromEntries(shippedRules.rules.flatMap((rule) => (rule.kind === 'frequency_cap' ? [[rule.rule_id, rule.counter]] : [])));
    expect(counters).toEqual({
      REGF_CALL_FREQUENCY: 'calls_last_7_days',
      MA_CALL_FREQUENCY: 'communications_last_7_days',
      WA_COMMUNICATION_FREQUENCY: 'attempts_last_7_days',
      FL_SOLICITATION_FREQUENCY: 'communications_last_24h',
      OK_SOLICITATION_FREQUENCY: 'communications_last_24h',
      MD_SOLICITATION_FREQUENCY: 'communications_last_24h',
    });
  });

  it('puts Maryland in force from 2024-01-01 only', () => {
    const maryland = (date: string) => rulesInForce(shippedRules, date, 'call', 'marketing').some((rule) => rule.jurisdiction === 'US-MD');
    expect([maryland('2023-12-31'), maryland('2024-01-01')]).toEqual([false, true]);
  });
});

describe('validation with line and column', () => {
  it('accepts a well-formed row', () => {
    expect(problems(WINDOW)).toEqual([]);
  });

  it('names the column of a malformed value', () => {
    expect(problems('HOURS|1|window|US|call|servicing|2020-01-01||8am|21:00||||||||Test source|')).toEqual(['2 window_start: expected HH:MM']);
    expect(problems('HOURS|1|window|US|fax|servicing|2020-01-01||08:00|21:00||||||||Test source|')).toEqual([
      '2 channel: expected one of call, sms, email, mail',
    ]);
    expect(problems('HOURS|1|window|US|call|servicing|2020-02-30||08:00|21:00||||||||Test source|')).toEqual(['2 effective_from: expected a date YYYY-MM-DD']);
    expect(problems('HOURS|1|window|US|call|servicing|2020-01-01||08:00|21:00||||||||| ')).toEqual(['2 source: the legal source is required']);
  });

  it('requires the columns of the row kind and refuses the others', () => {
    expect(problems('CAP|1|frequency_cap|US|call|collections|2020-01-01||08:00||||7|7d||||Test|')).toEqual([
      '2 cap_counts: required for kind frequency_cap',
      '2 window_start: must be empty for kind frequency_cap',
    ]);
  });

  it('refuses a cap whose period and channels have no derived counter', () => {
    expect(problems('CAP|1|frequency_cap|US|call|collections|2020-01-01||||||3|24h|call|||Test|')[0]).toMatch(
      /^2 cap_counts: no derived counter for call over 24h/,
    );
  });

  it('refuses inverted windows and dates', () => {
    expect(problems('HOURS|1|window|US|call|servicing|2020-01-01|2019-01-01|21:00|08:00||||||||Test source|')).toEqual([
      '2 effective_to: must be after effective_from',
      '2 window_end: must be after window_start',
    ]);
  });

  it('refuses two versions of a rule in force on the same day, and a repeated version', () => {
    expect(problems(WINDOW, 'HOURS|2|window|US|call|servicing|2025-01-01||08:00|20:00||||||||Test source|')).toEqual([
      '3 effective_from: in force on the same days as version 1 on line 2',
    ]);
    expect(problems(WINDOW, WINDOW)).toEqual(['3 version: version 1 of HOURS for US/call/servicing is already on line 2']);
  });

  it('refuses a wrong header and a wrong number of fields', () => {
    expect(() => parseRuleTable('rule_id|kind\n', 't.csv')).toThrow(/t\.csv line 1: expected the header rule_id\|version/);
    expect(problems('HOURS|1|window')).toEqual(['2: expected 19 fields, found 3']);
  });
});
