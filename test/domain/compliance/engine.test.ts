import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCampaigns } from '../../../domain/campaigns/engine.ts';
import type { ContactFacts } from '../../../domain/campaigns/facts.ts';
import { dailyContactFilters } from '../../../domain/compliance/filters.ts';
import { zoneNames } from '../../../domain/compliance/reference-data.ts';
import { buildConfig, contact, customerFacts } from '../campaigns/fixtures.ts';
import { reference, shippedRules } from './helpers.ts';

/** The compliance filters through the real engine, with the shipped rule table and reference data. */

const LOAD_DATE = '2026-03-10';
const always = { source: 'loan', field: 'days_past_due', operator: 'is_not_null' } as const;
const config = buildConfig({
  version: 'compliance-e2e',
  sets: [
    { name: 'COLLECTIONS_CALL', channel: 'call', lists: [{ name: 'PAST_DUE', priority: 1, purpose: 'collections', conditions: always }] },
    { name: 'MARKETING_SMS', channel: 'sms', lists: [{ name: 'OFFER', priority: 1, purpose: 'marketing', conditions: always }] },
  ],
});
const engine = compileCampaigns(config, { loadDate: LOAD_DATE, contactFilters: dailyContactFilters(shippedRules, reference) });
const counters = { attempts_last_7_days: 0, communications_last_24h: 0 };

describe('compliance through compileCampaigns', () => {
  it('gives every contact the window common to the address and all the phones', () => {
    const decision = engine.evaluate(
      customerFacts({
        customer: { state: 'NY', zip: '10001' },
        derived: counters,
        contacts: [contact({ contact_type: 'mobile', contact_value: '+12125550101' }), contact({ contact_type: 'home', contact_value: '+12135550101' })],
      }),
    );
    const window = { timezone: 'America/New_York', window_start_utc: '2026-03-10T15:00:00.000Z', window_end_utc: '2026-03-11T01:00:00.000Z' };
    expect(decision.assignments.map(({ list_name, suppressed, contacts }) => ({ list_name, suppressed, contacts }))).toEqual([
      {
        list_name: 'PAST_DUE',
        suppressed: false,
        contacts: [
          { related_party_type: 'customer', contact_type: 'mobile', contact_value: '+12125550101', contact_rank: 1, ...window },
          { related_party_type: 'customer', contact_type: 'home', contact_value: '+12135550101', contact_rank: 2, ...window },
        ],
      },
      {
        list_name: 'OFFER',
        suppressed: false,
        contacts: [{ related_party_type: 'customer', contact_type: 'mobile', contact_value: '+12125550101', contact_rank: 1, ...window }],
      },
    ]);
  });

  it('suppresses a Massachusetts customer at its cap from collections calls only, with the drops explained', () => {
    const explanation = engine.explain(
      customerFacts({
        customer: { state: 'MA', zip: '02139' },
        derived: { ...counters, communications_last_7_days: 2 },
        contacts: [contact({ contact_type: 'mobile', contact_value: '+16175550101' })],
      }),
    );
    const [collections, marketing] = explanation.sets;
    expect(collections!.suppressions).toEqual([{ type: 'LIST', reason: 'NO_CONTACTABLE_POINT', origin: 'contact_selection' }]);
    expect(collections!.dropped).toEqual([{ related_party_type: 'customer', contact_type: 'mobile', contact_value: '+16175550101', reason: 'FREQUENCY_CAP' }]);
    expect(marketing!.contacts.map((selected) => selected.contact_value)).toEqual(['+16175550101']);
  });

  it("records each assignment's calls_allowed_today, 0 for a customer the caps leave without a contact", () => {
    const decision = (derived: Partial<typeof counters & { calls_last_7_days: number; communications_last_7_days: number; last_conversation_date: string }>) =>
      engine
        .evaluate(
          customerFacts({
            customer: { state: 'MA', zip: '02139' },
            derived: { ...counters, ...derived },
            contacts: [contact({ contact_type: 'mobile', contact_value: '+16175550101' })],
          }),
        )
        .assignments.map(({ list_name, suppressed, calls_allowed_today }) => ({ list_name, suppressed, calls_allowed_today }));
    expect(decision({ calls_last_7_days: 1, communications_last_7_days: 1 })).toEqual([
      { list_name: 'PAST_DUE', suppressed: false, calls_allowed_today: 1 },
      { list_name: 'OFFER', suppressed: false, calls_allowed_today: null },
    ]);
    expect(decision({ communications_last_7_days: 0, last_conversation_date: '2026-03-08' })[0]).toEqual({
      list_name: 'PAST_DUE',
      suppressed: true,
      calls_allowed_today: 0,
    });
  });

  it('drops a contact without any known zone, after the facts filters', () => {
    const decision = engine.evaluate(
      customerFacts({
        customer: { state: null, zip: null },
        derived: counters,
        contacts: [contact({ contact_type: 'mobile', contact_value: '+12635550101', opted_out: true })],
      }),
    );
    expect(decision.assignments.map((assignment) => assignment.dropped.map((drop) => drop.reason))).toEqual([['NO_CALL_WINDOW'], ['NO_SMS_CONSENT']]);
  });
});

describe('every window lies within 08:00-21:00 local at every known location', () => {
  const states = [...reference.stateZones.keys()];
  const areaCodes = [...reference.areaCodes.keys(), '263', '999'];
  const phone = fc.record({
    related_party_type: fc.constantFrom('customer', 'reference_customer_parent') as fc.Arbitrary<ContactFacts['related_party_type']>,
    contact_type: fc.constantFrom('mobile', 'home', 'work') as fc.Arbitrary<ContactFacts['contact_type']>,
    contact_value: fc.constantFrom(...areaCodes).map((npa) => `+1${npa}5550101`),
  });
  const day = fc.integer({ min: 0, max: 730 }).map((offset) => new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10));
  const local = (instant: string, zone: string) =>
    new Intl.DateTimeFormat('sv-SE', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(instant));

  it('for collections and marketing calls, any state, area codes and day', () => {
    fc.assert(
      fc.property(day, fc.option(fc.constantFrom(...states)), fc.array(phone, { minLength: 1, maxLength: 4 }), (loadDate, state, phones) => {
        const engineOfDay = compileCampaigns(config, { loadDate, contactFilters: dailyContactFilters(shippedRules, reference) });
        const facts = customerFacts({
          customer: { state, zip: null },
          derived: counters,
          contacts: phones.map((fields, index) => contact({ ...fields, contact_value: fields.contact_value.replace('0101', String(1000 + index)) })),
        });
        const customerZones =
          (state === null ? 0 : reference.stateZones.get(state)!) |
          facts.contacts
            .filter((candidate) => candidate.related_party_type === 'customer')
            .reduce((zones, candidate) => zones | (reference.areaCodes.get(candidate.contact_value.slice(2, 5))?.zones ?? 0), 0);
        for (const assignment of engineOfDay.evaluate(facts).assignments) {
          for (const selected of assignment.contacts) {
            const zones = zoneNames(reference, customerZones | (reference.areaCodes.get(selected.contact_value.slice(2, 5))?.zones ?? 0));
            expect(zones.length).toBeGreaterThan(0);
            for (const zone of zones) {
              expect(local(selected.window_start_utc!, zone) >= `${loadDate} 08:00`).toBe(true);
              expect(local(selected.window_end_utc!, zone) <= `${loadDate} 21:00`).toBe(true);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
