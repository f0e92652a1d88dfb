import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyContactFilters } from '../../../domain/compliance/filters.ts';
import { parseRuleTable, RULE_TABLE_COLUMNS } from '../../../domain/compliance/rule-table.ts';
import { addDays } from '../campaigns/fixtures.ts';
import { dropped, kept, reference, runBudget, runChecks, shippedRules, type Scenario } from './helpers.ts';

/** The compliance filters at the boundaries of each rule of SPEC §6.1, with the shipped rule table and reference data. */

const NY = { state: 'NY', zip: '10001' };
const NY_PHONE = '+12125550101';
const LA_CA_PHONE = '+12135550101';
const TUESDAY = '2026-03-10';

const collectionsCall = (fields: Partial<Scenario> = {}): Scenario => ({
  loadDate: TUESDAY,
  channel: 'call',
  purpose: 'collections',
  customer: { customer: NY },
  contact: { contact_value: NY_PHONE },
  ...fields,
});

describe('Regulation F call frequency, 12 CFR 1006.14(b)(2)', () => {
  it('allows the 7th call in 7 days and blocks the 8th', () => {
    expect(runChecks(collectionsCall({ customer: { customer: NY, derived: { calls_last_7_days: 6 } } })).reason).toBeNull();
    expect(runChecks(collectionsCall({ customer: { customer: NY, derived: { calls_last_7_days: 7 } } }))).toEqual(dropped('FREQUENCY_CAP'));
  });

  it('blocks days 6 and 7 after a conversation (its day is day 1) and allows day 8', () => {
    const onDay = (day: number) =>
      runChecks(
        collectionsCall({
          customer: { customer: NY, derived: { last_conversation_date: addDays(TUESDAY, 1 - day) } },
        }),
      ).reason;
    expect([onDay(6), onDay(7), onDay(8)]).toEqual(['FREQUENCY_CAP', 'FREQUENCY_CAP', null]);
  });

  it('does not cap marketing or servicing calls, nor collections texts', () => {
    const busy = { customer: NY, derived: { calls_last_7_days: 20, last_conversation_date: TUESDAY } };
    expect(
      runChecks(collectionsCall({ purpose: 'marketing', customer: { ...busy, derived: { ...busy.derived, communications_last_24h: 0 } } })).reason,
    ).toBeNull();
    expect(runChecks(collectionsCall({ purpose: 'servicing', customer: busy })).reason).toBeNull();
    expect(runChecks(collectionsCall({ channel: 'sms', customer: busy })).reason).toBeNull();
  });
});

describe('Massachusetts 940 CMR 7.04(1)(f): 2 calls or texts per 7 days', () => {
  const ma = (count: number, channel: 'call' | 'sms' = 'call') =>
    runChecks(
      collectionsCall({
        channel,
        customer: { customer: { state: 'MA', zip: '02139' }, derived: { communications_last_7_days: count } },
        contact: { contact_value: '+16175550101' },
      }),
    ).reason;

  it('allows a customer in Massachusetts with 1 and blocks at 2, calls and texts alike', () => {
    expect([ma(1), ma(2), ma(1, 'sms'), ma(2, 'sms')]).toEqual([null, 'FREQUENCY_CAP', null, 'FREQUENCY_CAP']);
  });

  it('applies through a Massachusetts area code when the address is elsewhere, not otherwise', () => {
    const busy = { customer: NY, derived: { communications_last_7_days: 2 } };
    expect(runChecks(collectionsCall({ customer: busy, contact: { contact_value: '+16175550101' } })).reason).toBe('FREQUENCY_CAP');
    expect(runChecks(collectionsCall({ customer: busy })).reason).toBeNull();
  });
});

describe('Washington RCW 19.16.250: 3 communications per week', () => {
  const wa = (count: number, channel: 'call' | 'email') =>
    runChecks(
      collectionsCall({
        channel,
        customer: { customer: { state: 'WA', zip: '98101' }, derived: { attempts_last_7_days: count } },
        contact: channel === 'email' ? { contact_type: 'email', contact_value: 'ann@example.com' } : { contact_value: '+12065550101' },
      }),
    ).reason;

  it('allows 2 and blocks at 3, on every channel', () => {
    expect([wa(2, 'call'), wa(3, 'call'), wa(2, 'email'), wa(3, 'email')]).toEqual([null, 'FREQUENCY_CAP', null, 'FREQUENCY_CAP']);
  });

  it('refuses a facts record without the counter it needs, naming it', () => {
    expect(() => runChecks(collectionsCall({ customer: { customer: { state: 'WA', zip: '98101' } }, contact: { contact_value: '+12065550101' } }))).toThrow(
      /derived\.attempts_last_7_days is missing; WA_COMMUNICATION_FREQUENCY \(rules\.csv line \d+\)/,
    );
  });
});

describe('Florida, Oklahoma, Maryland marketing: 3 per 24 hours', () => {
  it('allows 2 and blocks at 3 for a Florida address', () => {
    const fl = (count: number) =>
      runChecks({
        loadDate: TUESDAY,
        channel: 'sms',
        purpose: 'marketing',
        customer: { customer: { state: 'FL', zip: '33101' }, derived: { communications_last_24h: count } },
        contact: { contact_value: '+13055550101' },
      }).reason;
    expect([fl(2), fl(3)]).toEqual([null, 'FREQUENCY_CAP']);
  });
});

describe('calls_allowed_today: what the caps leave the account today (SPEC §7)', () => {
  const ny = (derived: Partial<Scenario['customer'] & object>['derived'], fields: Partial<Scenario> = {}) =>
    collectionsCall({ customer: { customer: NY, derived: { attempts_last_7_days: 0, ...derived } }, ...fields });

  it('Regulation F: 7 calls in 7 days less those placed; none in the 7 days of a conversation', () => {
    expect(runBudget(ny({ calls_last_7_days: 5 }))).toBe(2);
    expect(runBudget(ny({ calls_last_7_days: 0 }))).toBe(7);
    expect(runBudget(ny({ calls_last_7_days: 2, last_conversation_date: addDays(TUESDAY, -3) }))).toBe(0);
    // The conversation's day is day 1: 7 days before the load date it no longer blocks.
    expect(runBudget(ny({ calls_last_7_days: 2, last_conversation_date: addDays(TUESDAY, -7) }))).toBe(5);
  });

  it('the smallest remainder over the states of the customer: Massachusetts 2 per 7 days, Washington 3 per week', () => {
    const ma = { customer: { state: 'MA', zip: '02139' }, derived: { calls_last_7_days: 1, communications_last_7_days: 1, attempts_last_7_days: 1 } };
    expect(runBudget(collectionsCall({ customer: ma, contact: { contact_value: '+16175550101' } }))).toBe(1);
    const wa = { customer: { state: 'WA', zip: '98101' }, derived: { calls_last_7_days: 1, communications_last_7_days: 1, attempts_last_7_days: 2 } };
    expect(runBudget(collectionsCall({ customer: wa, contact: { contact_value: '+12065550101' } }))).toBe(1);
  });

  it("adds the state of a kept reference party's phone, and not that of a phone it does not keep", () => {
    const maReference = { related_party_type: 'reference_customer_parent' as const, contact_value: '+16175550101' };
    const scenario = ny({ calls_last_7_days: 1, communications_last_7_days: 1 }, { others: [maReference] });
    expect(runBudget(scenario)).toBe(1);
    expect(runBudget(scenario, 'none')).toBe(6);
  });

  it('SMS lists: the budget the SMS caps leave (Massachusetts); none capped outside those states', () => {
    const sms = (state: string, zip: string, phone: string) =>
      runBudget({
        loadDate: TUESDAY,
        channel: 'sms',
        purpose: 'collections',
        contact: { contact_value: phone },
        customer: { customer: { state, zip }, derived: { calls_last_7_days: 6, communications_last_7_days: 1, attempts_last_7_days: 1 } },
      });
    expect(sms('MA', '02139', '+16175550101')).toBe(1);
    expect(sms('NY', '10001', NY_PHONE)).toBeNull();
  });

  it('a list that is not collections gets the caps of its purpose: Florida marketing 3 per 24 hours, servicing none', () => {
    const florida = { customer: { state: 'FL', zip: '33101' }, derived: { calls_last_7_days: 9, communications_last_24h: 1 } };
    expect(runBudget({ loadDate: TUESDAY, channel: 'call', purpose: 'marketing', customer: florida, contact: { contact_value: '+13055550101' } })).toBe(2);
    expect(
      runBudget({
        loadDate: TUESDAY,
        channel: 'call',
        purpose: 'marketing',
        customer: { customer: NY, derived: { communications_last_24h: 1 } },
        contact: { contact_value: NY_PHONE },
      }),
    ).toBeNull();
    expect(runBudget({ loadDate: TUESDAY, channel: 'call', purpose: 'servicing', customer: florida, contact: { contact_value: '+13055550101' } })).toBeNull();
  });

  it('property: never negative, never more than any single cap leaves, and 0 exactly when the caps drop the contact', () => {
    const states = [
      ['NY', '10001', NY_PHONE],
      ['MA', '02139', '+16175550101'],
      ['WA', '98101', '+12065550101'],
    ] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...states),
        fc.nat(12),
        fc.nat(12),
        fc.nat(12),
        fc.option(fc.integer({ min: -12, max: 0 }), { nil: null }),
        ([state, zip, phone], calls, communications, attempts, conversationDay) => {
          const scenario = collectionsCall({
            customer: {
              customer: { state, zip },
              derived: {
                calls_last_7_days: calls,
                communications_last_7_days: communications,
                attempts_last_7_days: attempts,
                last_conversation_date: conversationDay === null ? null : addDays(TUESDAY, conversationDay),
              },
            },
            contact: { contact_value: phone },
          });
          const budget = runBudget(scenario)!;
          expect(budget).toBeGreaterThanOrEqual(0);
          expect(budget).toBeLessThanOrEqual(Math.max(0, 7 - calls));
          if (state === 'MA') expect(budget).toBeLessThanOrEqual(Math.max(0, 2 - communications));
          if (state === 'WA') expect(budget).toBeLessThanOrEqual(Math.max(0, 3 - attempts));
          if (conversationDay !== null && conversationDay > -7) expect(budget).toBe(0);
          expect(budget === 0).toBe(runChecks(scenario).reason === 'FREQUENCY_CAP');
        },
      ),
    );
  });
});

describe('calling windows in IANA zones (DST-correct, UTC instants)', () => {
  it('places 08:00-21:00 New York on the spring-forward day 2026-03-08', () => {
    expect(runChecks(collectionsCall({ loadDate: '2026-03-08' }))).toEqual(kept('America/New_York', '2026-03-08T12:00:00.000Z', '2026-03-09T01:00:00.000Z'));
  });

  it('places 08:00-21:00 New York on the fall-back day 2026-11-01', () => {
    expect(runChecks(collectionsCall({ loadDate: '2026-11-01' }))).toEqual(kept('America/New_York', '2026-11-01T13:00:00.000Z', '2026-11-02T02:00:00.000Z'));
  });

  it('intersects the address zone and a phone in another zone: NY address, 213 phone → 11:00-21:00 Eastern', () => {
    expect(runChecks(collectionsCall({ contact: { contact_value: LA_CA_PHONE } }))).toEqual(
      kept('America/New_York', '2026-03-10T15:00:00.000Z', '2026-03-11T01:00:00.000Z'),
    );
  });

  it('counts every phone of the customer as a location, not only the one called', () => {
    expect(runChecks(collectionsCall({ others: [{ contact_type: 'home', contact_value: LA_CA_PHONE }] }))).toEqual(
      kept('America/New_York', '2026-03-10T15:00:00.000Z', '2026-03-11T01:00:00.000Z'),
    );
  });

  it("adds a reference party's phone zone only when that phone is called", () => {
    const reference = { related_party_type: 'reference_customer_parent' as const, contact_type: 'mobile' as const, contact_value: LA_CA_PHONE };
    expect(runChecks(collectionsCall({ others: [reference] }))).toEqual(kept('America/New_York', '2026-03-10T12:00:00.000Z', '2026-03-11T01:00:00.000Z'));
    expect(runChecks(collectionsCall({ contact: reference }))).toEqual(kept('America/New_York', '2026-03-10T15:00:00.000Z', '2026-03-11T01:00:00.000Z'));
  });

  it('uses every zone of a state that spans several (Florida: Eastern and Central)', () => {
    expect(runChecks(collectionsCall({ customer: { customer: { state: 'FL', zip: '32501' } }, contact: { contact_value: '+13055550101' } }))).toEqual(
      kept('America/New_York', '2026-03-10T13:00:00.000Z', '2026-03-11T01:00:00.000Z'),
    );
  });

  it('computes the window of a collections email in the address zone', () => {
    expect(runChecks(collectionsCall({ channel: 'email', contact: { contact_type: 'email', contact_value: 'ann@example.com' } }))).toEqual(
      kept('America/New_York', '2026-03-10T12:00:00.000Z', '2026-03-11T01:00:00.000Z'),
    );
  });

  it('leaves servicing and marketing emails without a window', () => {
    for (const purpose of ['servicing', 'marketing'] as const) {
      expect(runChecks(collectionsCall({ channel: 'email', purpose, contact: { contact_type: 'email', contact_value: 'ann@example.com' } }))).toEqual({
        reason: null,
        timezone: null,
        window_start_utc: null,
        window_end_utc: null,
      });
    }
  });
});

describe('unknown locations', () => {
  it('uses the address when the area code is unknown or toll-free', () => {
    const window = kept('America/New_York', '2026-03-10T12:00:00.000Z', '2026-03-11T01:00:00.000Z');
    expect(runChecks(collectionsCall({ contact: { contact_value: '+12635550101' } }))).toEqual(window);
    expect(runChecks(collectionsCall({ contact: { contact_value: '+18005550101' } }))).toEqual(window);
  });

  it('uses the ZIP prefix when the state is missing', () => {
    expect(runChecks(collectionsCall({ customer: { customer: { state: null, zip: '90012' } }, contact: { contact_value: '+12635550101' } }))).toEqual(
      kept('America/Los_Angeles', '2026-03-10T15:00:00.000Z', '2026-03-11T04:00:00.000Z'),
    );
  });

  it('uses the phone when the address is unknown', () => {
    expect(runChecks(collectionsCall({ customer: { customer: { state: null, zip: null } }, contact: { contact_value: LA_CA_PHONE } }))).toEqual(
      kept('America/Los_Angeles', '2026-03-10T15:00:00.000Z', '2026-03-11T04:00:00.000Z'),
    );
  });

  it('drops the contact when no zone is known at all, never defaulting to Eastern', () => {
    expect(runChecks(collectionsCall({ customer: { customer: { state: null, zip: null } }, contact: { contact_value: '+12635550101' } }))).toEqual(
      dropped('NO_CALL_WINDOW'),
    );
    expect(
      runChecks(
        collectionsCall({
          channel: 'email',
          customer: { customer: { state: null, zip: null } },
          contact: { contact_type: 'email', contact_value: 'ann@example.com' },
        }),
      ),
    ).toEqual(dropped('NO_CALL_WINDOW'));
  });

  it('drops the contact when the zones share no hour (Guam and New York)', () => {
    expect(runChecks(collectionsCall({ contact: { contact_value: '+16715550101' } }))).toEqual(dropped('NO_CALL_WINDOW'));
  });
});

describe('state marketing windows (the address state and the area-code states)', () => {
  const SUNDAY = '2026-03-15';
  const MONDAY = '2026-03-16';
  const marketing = (loadDate: string, state: string, zip: string, phone: string, channel: 'call' | 'sms' = 'call') =>
    runChecks({
      loadDate,
      channel,
      purpose: 'marketing',
      customer: { customer: { state, zip }, derived: { communications_last_24h: 0 } },
      contact: { contact_value: phone },
    });

  it('Texas: noon to 21:00 on Sunday, 09:00 to 21:00 on other days, in both Texas zones', () => {
    expect(marketing(SUNDAY, 'TX', '75201', '+12145550101')).toEqual(kept('America/Chicago', '2026-03-15T18:00:00.000Z', '2026-03-16T02:00:00.000Z'));
    expect(marketing(MONDAY, 'TX', '75201', '+12145550101')).toEqual(kept('America/Chicago', '2026-03-16T15:00:00.000Z', '2026-03-17T02:00:00.000Z'));
  });

  it('Louisiana and Utah: no sales call on Sunday; Louisiana 08:00-20:00 on Monday', () => {
    expect(marketing(SUNDAY, 'LA', '70112', '+15045550101')).toEqual(dropped('NO_CALL_WINDOW'));
    expect(marketing(SUNDAY, 'UT', '84101', '+18015550101')).toEqual(dropped('NO_CALL_WINDOW'));
    expect(marketing(MONDAY, 'LA', '70112', '+15045550101')).toEqual(kept('America/Chicago', '2026-03-16T13:00:00.000Z', '2026-03-17T01:00:00.000Z'));
  });

  it('Louisiana: no sales call on a state holiday (Mardi Gras 2026-02-17), the usual window the next day', () => {
    expect(marketing('2026-02-17', 'LA', '70112', '+15045550101')).toEqual(dropped('NO_CALL_WINDOW'));
    expect(marketing('2026-02-18', 'LA', '70112', '+15045550101')).toEqual(kept('America/Chicago', '2026-02-18T14:00:00.000Z', '2026-02-19T02:00:00.000Z'));
  });

  it('Louisiana rules are for calls: a Sunday text gets the TCPA window', () => {
    expect(marketing(SUNDAY, 'LA', '70112', '+15045550101', 'sms')).toEqual(kept('America/Chicago', '2026-03-15T13:00:00.000Z', '2026-03-16T02:00:00.000Z'));
  });

  it('applies the phone area-code state too: a California address with a Louisiana phone on Sunday', () => {
    expect(marketing(SUNDAY, 'CA', '90012', '+15045550101')).toEqual(dropped('NO_CALL_WINDOW'));
  });
});

describe('effective dates', () => {
  const header = RULE_TABLE_COLUMNS.join('|');
  const table = parseRuleTable(
    [
      header,
      'EARLY_CLOSE|1|window|US|call|servicing|2026-04-01|2026-05-01|08:00|17:00||||||||Test source|Not yet in force in March',
      'EARLY_CLOSE|2|window|US|call|servicing|2026-05-01||08:00|18:00||||||||Test source|Replaces version 1',
    ].join('\n'),
    'test-rules.csv',
  );
  const servicing = (loadDate: string) =>
    runChecks({ loadDate, channel: 'call', purpose: 'servicing', customer: { customer: NY }, contact: { contact_value: NY_PHONE }, rules: table })
      .window_end_utc;

  it('ignores a rule not yet in force, applies it from effective_from, and stops at effective_to (exclusive)', () => {
    expect(servicing('2026-03-31')).toBeNull();
    expect(servicing('2026-04-01')).toBe('2026-04-01T21:00:00.000Z');
    expect(servicing('2026-04-30')).toBe('2026-04-30T21:00:00.000Z');
    expect(servicing('2026-05-01')).toBe('2026-05-01T22:00:00.000Z');
  });
});

describe('the daily pipeline', () => {
  it('runs the facts filters first and the compliance filters after them, and every delegated row names one of them', () => {
    expect(dailyContactFilters(shippedRules, reference).map((filter) => filter.name)).toEqual([
      'suppression_feed',
      'bad_number',
      'sms_consent',
      'email_status',
      'frequency_cap',
      'contact_window',
    ]);
  });

  it('refuses a rule for a jurisdiction the reference data does not know', () => {
    const table = parseRuleTable(
      [RULE_TABLE_COLUMNS.join('|'), 'X_HOURS|1|window|US-ZZ|call|marketing|2020-01-01||08:00|20:00||||||||Test|'].join('\n'),
      'bad.csv',
    );
    expect(() => dailyContactFilters(table, reference)).toThrow('bad.csv line 2: jurisdiction US-ZZ is not in the reference data');
  });
});
