import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_NUMBER } from '../../../domain/consent/consent.ts';
import { normalizePhone } from '../../../domain/values/phone.ts';
import { parseIsoDate } from '../../../local/generate/days.ts';
import { AREA_CODES, formatPhone, type PhoneStyle } from '../../../local/generate/phone-text.ts';
import { accountSpanAt, buildAccount, createWorld, payoffuidOf, snapshotConsent } from '../../../local/generate/population.ts';

const FROM = parseIsoDate('2020-01-01');
const TO = parseIsoDate('2030-12-31');
const worldArb = fc.record({ seed: fc.integer({ min: 0, max: 0xffffffff }), customers: fc.integer({ min: 1, max: 5000 }) });
const pointArb = worldArb.chain((w) =>
  fc.record({ w: fc.constant(w), slot: fc.integer({ min: 0, max: w.customers - 1 }), day: fc.integer({ min: FROM, max: TO }) }),
);

describe('population', () => {
  it('gives each slot a chain of adjacent accounts: the one on a day is enrolled on or before it and closed after it', () => {
    fc.assert(
      fc.property(pointArb, ({ w, slot, day }) => {
        const world = createWorld(w.seed, w.customers);

        const span = accountSpanAt(world, slot, day);
        const next = accountSpanAt(world, slot, span.closedDay);

        expect(span.enrolledDay).toBeLessThanOrEqual(day);
        expect(span.closedDay).toBeGreaterThan(day);
        expect(accountSpanAt(world, slot, span.enrolledDay)).toEqual(span);
        expect(accountSpanAt(world, slot, span.closedDay - 1)).toEqual(span);
        expect(next.enrolledDay).toBe(span.closedDay);
        expect(next.key).toBeGreaterThan(span.key);
      }),
      { numRuns: 300 },
    );
  });

  it('builds the same account every time, with valid numbers and well-ordered phone lives', () => {
    fc.assert(
      fc.property(pointArb, ({ w, slot, day }) => {
        const world = createWorld(w.seed, w.customers);
        const span = accountSpanAt(world, slot, day);

        const account = buildAccount(world, span);

        expect(buildAccount(world, span)).toEqual(account);
        expect(account.accountNumber).toMatch(ACCOUNT_NUMBER);
        expect(account.legacyId).toBe(`${account.accountNumber}P`);
        expect(account.ssn).toMatch(/^(?!000|666|9)\d{3}(?!00)\d{2}(?!0000)\d{4}$/);
        expect(account.firstName.length * account.lastName.length).toBeGreaterThan(0);
        expect(account.agencyId).not.toBe('');
        expect(account.phones.length).toBeGreaterThan(0);
        expect(new Set(account.phones.map((phone) => phone.id)).size).toBe(account.phones.length);
        expect(new Set(account.phones.map((phone) => phone.national)).size).toBe(account.phones.length);
        for (const phone of account.phones) {
          expect(normalizePhone(phone.national)).toEqual({ ok: true, e164: `+1${phone.national}` });
          expect(normalizePhone(phone.storedText)).toEqual({ ok: true, e164: `+1${phone.national}` });
          const days = phone.events.map((event) => event.day);
          expect(days).toEqual([...days].sort((a, b) => a - b));
          expect(new Set(days).size).toBe(days.length);
          expect(phone.events.every((event) => event.day >= span.enrolledDay && event.day < span.closedDay)).toBe(true);
          if (phone.enrollmentOnly) expect(phone.events).toEqual([]);
          else expect(phone.events[0].kind).toBe('ADD');
          if (phone.atEnrollment) expect(snapshotConsent(phone, span.enrolledDay)).toBeNull();
          expect(phone.qualityScore === null || (phone.qualityScore >= 1 && phone.qualityScore <= 100)).toBe(true);
          for (const event of phone.events) {
            expect(event.consentDay === null).toBe(event.consent === '');
            if (event.consentDay !== null) expect(event.consentDay).toBeLessThanOrEqual(event.day);
          }
          // Change records after a hard delete never bring the phone back into a snapshot.
          const deleted = phone.events.find((event) => event.kind === 'HARD_DELETE');
          for (const late of phone.events.filter((event) => event.kind === 'LATE_CHANGE')) {
            expect(deleted && late.day > deleted.day).toBe(true);
            expect(late.reported).toBe(true);
            expect(snapshotConsent(phone, late.day)).toBeNull();
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the consumer and the consent date stable: an account is built with the same SSN and names whatever the day, the date changes only with the answer', () => {
    const world = createWorld(42, 2000);
    let lateChanges = 0;
    for (let slot = 0; slot < world.customers; slot++) {
      const span = accountSpanAt(world, slot, parseIsoDate('2026-11-20'));
      const account = buildAccount(world, span);
      const again = buildAccount(world, accountSpanAt(world, slot, span.closedDay - 1));
      expect([again.ssn, again.firstName, again.lastName, again.agencyId]).toEqual([account.ssn, account.firstName, account.lastName, account.agencyId]);
      for (const phone of account.phones) {
        for (const [i, event] of phone.events.entries()) {
          const before = phone.events[i - 1];
          if (before && before.consent === event.consent && event.kind !== 'CONSENT') expect(event.consentDay).toBe(before.consentDay);
          if (event.kind === 'LATE_CHANGE') lateChanges++;
        }
      }
    }
    expect(lateChanges).toBeGreaterThan(0);
  });

  it('gives distinct account numbers and payoffuids to distinct accounts', () => {
    const world = createWorld(42, 20_000);
    const keys = new Set<number>();
    const numbers = new Set<string>();
    const payoffuids = new Set<string>();

    for (const day of [FROM, parseIsoDate('2026-11-20'), TO]) {
      for (let slot = 0; slot < world.customers; slot++) {
        const span = accountSpanAt(world, slot, day);
        if (keys.has(span.key)) continue;
        keys.add(span.key);
        numbers.add(buildAccount(world, span).accountNumber);
        payoffuids.add(payoffuidOf(world, span));
      }
    }

    expect(numbers.size).toBe(keys.size);
    expect(payoffuids.size).toBe(keys.size);
    for (const uid of [...payoffuids].slice(0, 100)) expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('uses area codes that are valid NANP, and every typing style normalises to the same number', () => {
    const styles: PhoneStyle[] = ['PLAIN', 'PAREN', 'PAREN_TIGHT', 'DASH', 'DOT', 'INTL_SPACE', 'E164', 'ELEVEN', 'ONE_DASH'];

    for (const area of AREA_CODES) {
      const national = `${area}2345678`;
      for (const style of styles) expect(normalizePhone(formatPhone(national, style)), `${area} ${style}`).toEqual({ ok: true, e164: `+1${national}` });
    }
    expect(new Set(AREA_CODES).size).toBe(AREA_CODES.length);
  });
});
