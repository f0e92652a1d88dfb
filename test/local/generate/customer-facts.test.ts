import { beforeAll, describe, expect, it } from 'vitest';
import { compileCampaigns } from '../../../domain/campaigns/engine.ts';
import type { ContactFacts, CustomerFacts } from '../../../domain/campaigns/facts.ts';
import { BUILT_IN_FIELDS, fieldRegistry } from '../../../domain/campaigns/fields.ts';
import { CONTACT_TYPES, RELATED_PARTY_TYPES, type CampaignConfig, type DataType } from '../../../domain/campaigns/schema.ts';
import { readCampaignConfigFile } from '../../../adapters/campaign-config-file.ts';
import { generateCustomerFacts } from '../../../local/generate/customer-facts.ts';

const LOAD_DATE = '2026-11-20';
let sample: CampaignConfig;
let book: CustomerFacts[];

beforeAll(async () => {
  const result = await readCampaignConfigFile();
  if (!result.ok) throw new Error(`sample configuration is invalid: ${JSON.stringify(result.problems)}`);
  sample = result.config;
  book = generateCustomerFacts({ seed: 42, customers: 20_000, loadDate: LOAD_DATE });
});

function share(predicate: (customer: CustomerFacts) => boolean): number {
  return book.filter(predicate).length / book.length;
}

/** Dates that lie ahead of the load date by nature: the next payment, the next workable day. */
const FUTURE_DATES = new Set(['next_payment_due_date', 'next_workable_date']);

function hasType(value: unknown, type: DataType, future = false): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && (future || value <= LOAD_DATE) && !Number.isNaN(Date.parse(value));
  }
}

/** Contacts that count as usable (facts.ts), by the sample's bad-number thresholds, each value once. */
function usableValues(contacts: readonly ContactFacts[], kind: 'phone' | 'email'): number {
  const { wrong_number_count: wrong, disconnected_count: disconnected } = sample.bad_number;
  return new Set(
    contacts
      .filter((c) => c.suppression_reason === null)
      .filter((c) =>
        kind === 'email'
          ? c.contact_type === 'email' && !c.opted_out && !c.bounced
          : c.contact_type !== 'email' && c.wrong_number_count_90d < wrong && c.disconnected_count_90d < disconnected,
      )
      .map((c) => c.contact_value),
  ).size;
}

describe('generateCustomerFacts', () => {
  it('is a function of (seed, customers, loadDate): customer i does not depend on how many follow it', () => {
    const options = { seed: 7, customers: 300, loadDate: LOAD_DATE };

    const first = generateCustomerFacts(options);
    const again = generateCustomerFacts(options);
    const fewer = generateCustomerFacts({ ...options, customers: 120 });
    const otherSeed = generateCustomerFacts({ ...options, seed: 8 });

    expect(again).toEqual(first);
    expect(fewer).toEqual(first.slice(0, 120));
    expect(otherSeed.map((c) => c.payoffuid)).not.toEqual(first.map((c) => c.payoffuid));
    expect(otherSeed.map((c) => c.loan)).not.toEqual(first.map((c) => c.loan));
  });

  it('gives every built-in and custom field of the sample registry a value of its type, or null', () => {
    const registry = fieldRegistry(sample.custom_fields);
    const wrong: string[] = [];

    for (const customer of book) {
      for (const field of [...BUILT_IN_FIELDS, ...registry.names('custom_field').map((name) => registry.lookup('custom_field', name)!)]) {
        const values =
          field.source === 'contact'
            ? customer.contacts.map((c) => c[field.name as keyof ContactFacts])
            : [
                field.record === 'top'
                  ? (customer as unknown as Record<string, unknown>)[field.name]
                  : field.source === 'custom_field'
                    ? customer.custom_fields[field.name]
                    : (customer[field.source as 'loan' | 'customer' | 'derived'] as unknown as Record<string, unknown>)[field.name],
              ];
        for (const value of values) {
          if (value !== null && !hasType(value, field.dataType, FUTURE_DATES.has(field.name)))
            wrong.push(`${customer.payoffuid} ${field.source}.${field.name}=${String(value)}`);
        }
      }
    }

    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('writes unique ids, valid contact kinds and feed entries naming sets and lists of the sample', () => {
    const listNames = new Set(sample.sets.flatMap((set) => [`${set.name}/`, ...set.lists.map((list) => `${set.name}/${list.name}`)]));

    const contacts = book.flatMap((c) => c.contacts);
    const feed = book.flatMap((c) => c.suppressions);

    expect(new Set(book.map((c) => c.payoffuid)).size).toBe(book.length);
    expect(new Set(book.map((c) => c.account_number)).size).toBe(book.length);
    expect(book.every((c) => /^\d{16}$/.test(c.account_number))).toBe(true);
    expect(contacts.every((c) => RELATED_PARTY_TYPES.includes(c.related_party_type) && CONTACT_TYPES.includes(c.contact_type))).toBe(true);
    expect(contacts.every((c) => (c.contact_type === 'email' ? /^[a-z0-9.]+@[a-z]+\.[a-z]+$/ : /^\+1[2-9]\d{2}[2-9]\d{6}$/).test(c.contact_value))).toBe(true);
    expect(feed.filter((e) => e.scope === 'GLOBAL').length).toBeGreaterThan(0);
    expect(feed.filter((e) => e.scope !== 'GLOBAL').length).toBeGreaterThan(0);
    expect(feed.filter((e) => e.scope !== 'GLOBAL').every((e) => listNames.has(`${e.set_name}/${e.list_name ?? ''}`))).toBe(true);
  });

  it('keeps the derived counters consistent with the contacts', () => {
    const inconsistent = book.filter(
      (c) =>
        c.derived.usable_phone_count !== usableValues(c.contacts, 'phone') ||
        c.derived.usable_email_count !== usableValues(c.contacts, 'email') ||
        c.derived.communications_last_7_days < c.derived.calls_last_7_days,
    );

    expect(inconsistent.map((c) => c.payoffuid)).toEqual([]);
  });

  it('draws a realistic book: dominant portfolios, a delinquent tail, states by population, a few contacts each', () => {
    const portfolio = (name: string | null) => share((c) => c.loan.portfolio === name);
    const contactCounts = book.map((c) => c.contacts.length).sort((a, b) => a - b);

    expect(portfolio('BLUE_FCU') + portfolio('USALLIANCE') + portfolio('SST')).toBeGreaterThan(0.9);
    expect(portfolio('DECLINE')).toBeGreaterThan(0.01);
    expect(portfolio('DECLINE')).toBeLessThan(0.06);
    expect(portfolio('OFAC')).toBeGreaterThan(0);
    expect(portfolio('OFAC')).toBeLessThan(0.01);
    expect(share((c) => c.loan.days_past_due === 0)).toBeGreaterThan(0.7);
    expect(share((c) => (c.loan.days_past_due ?? 0) >= 90)).toBeGreaterThan(0.01);
    expect(share((c) => (c.loan.days_past_due ?? 0) >= 90)).toBeLessThan(0.1);
    expect(share((c) => c.customer.state === 'CA')).toBeGreaterThan(5 * share((c) => c.customer.state === 'WY'));
    expect(contactCounts[Math.floor(book.length / 2)]).toBeGreaterThanOrEqual(1);
    expect(contactCounts[Math.floor(book.length / 2)]).toBeLessThanOrEqual(4);
    expect(share((c) => c.contacts.some((contact) => contact.related_party_type !== 'customer'))).toBeGreaterThan(0.1);
    expect(share((c) => new Set(c.contacts.map((contact) => contact.contact_value)).size < c.contacts.length)).toBeGreaterThan(0.005);
    expect(share((c) => c.derived.usable_phone_count === 0)).toBeGreaterThan(0.01);
    expect(share((c) => c.custom_fields.risk_score === null)).toBeGreaterThan(0);
  });

  it('puts customers on every active list of the sample configuration', () => {
    const engine = compileCampaigns(sample, { loadDate: LOAD_DATE });
    const assigned = new Map<string, number>();

    for (const customer of book) {
      for (const a of engine.evaluate(customer).assignments)
        assigned.set(`${a.set_name}/${a.list_name}`, (assigned.get(`${a.set_name}/${a.list_name}`) ?? 0) + 1);
    }

    const active = sample.sets.flatMap((set) => set.lists.filter((list) => list.active).map((list) => `${set.name}/${list.name}`));
    expect(active.filter((name) => !assigned.has(name))).toEqual([]);
  });
});
