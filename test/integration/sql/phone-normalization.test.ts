import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rm } from 'node:fs/promises';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { normalizePhone } from '../../../domain/values/phone.ts';
import { loadSql, sqlDate } from '../../../sql/sql-files.ts';
import { registerConsentExports } from '../../../lambdas/consent-transform/transform.ts';
import { resources } from '../../../config/resources.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import { consentFiles, enrollment, sandbox, writeFeeds, type Sandbox } from '../../sql/fixtures.ts';

/**
 * The phone rule exists twice: normalizePhone (API) and the SQL of consent_bronze.sql (pipeline).
 * Random and adversarial phone texts go through both; the outcome (E.164 or reason) must be identical.
 * Fields cannot hold the delimiter or a line break, so those characters are not generated.
 */
const interesting = [
  ...'0123456789'.split(''),
  ...' ().-+'.split(''),
  '\t',
  '\v',
  '\f',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
  '\u180e',
  '\u200b',
  'x',
  'e',
  '#',
  '/',
  '*',
  '٣',
  '１',
  '𝟙',
  'é',
  "'",
  '"',
  ',',
  ';',
];
const char = fc.constantFrom(...interesting);
const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'.split('')), { minLength: n, maxLength: n }).map((d) => d.join(''));
const separator = fc.constantFrom('', ' ', '-', '.', ') ', '(', '  ', '\u00a0', '\t');
const whitespace = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.constantFrom(
        ' ',
        '\t',
        '\v',
        '\f',
        '\u00a0',
        '\u1680',
        '\u2000',
        '\u2005',
        '\u200a',
        '\u2028',
        '\u2029',
        '\u202f',
        '\u205f',
        '\u3000',
        '\ufeff',
        '\u180e',
        '\u200b',
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((c) => c.join('')),
);
/** Area codes and exchanges biased towards the boundaries of the NANP rule (N11, leading 0/1). */
const block3 = fc.oneof(digits(3), fc.constantFrom('211', '911', '411', '011', '111', '112', '200', '299', '100', '555'));

/** Phone-like texts: optional +, optional 1, area code, exchange, line, random separators and padding. */
const phoneLike = fc
  .tuple(whitespace, fc.constantFrom('', '+', '+1', '1', '+1 ', '1-', '+44 '), separator, block3, separator, block3, separator, digits(4), whitespace)
  .map((parts) => parts.join(''));
const noise = fc.array(char, { minLength: 0, maxLength: 18 }).map((chars) => chars.join(''));
const printable = fc.string({ maxLength: 20 }).filter((text) => !/[|\r\n]/.test(text));
const phoneText = fc.oneof(phoneLike, noise, printable, digits(10), digits(11));

let box: Sandbox;
let runtime: LocalRuntime;
let engine: DuckDbEngine;
beforeAll(async () => {
  box = await sandbox();
  // The run's list of exports travels through the lake (registerConsentExports).
  runtime = await startLocalRuntime({ home: box.home, data: box.data });
  engine = await DuckDbEngine.open({ home: box.home, dataDir: box.data, memoryLimit: '256MB' });
});
afterAll(async () => {
  await engine.close();
  await runtime.stop();
  await box.cleanup();
});

async function normalizeInSql(phones: string[]): Promise<{ e164: string | null; reason: string | null }[]> {
  await rm(box.data, { recursive: true, force: true });
  await writeFeeds(box.data, [
    {
      feed: 'ENRLMT',
      name: '20261101',
      rows: phones.map((phone, index) => enrollment(String(index + 1).padStart(16, '0'), phone, '2026-11-01')),
    },
  ]);
  await registerConsentExports(engine, await consentFiles(box.data), { lakeBucket: resources.buckets.lake, asOfDate: '2026-11-01' });
  const bronze = await loadSql('consent/consent_bronze.sql', { as_of_date: sqlDate('2026-11-01') });
  const rows = await engine.query<{ e164: string | null; reason: string | null }>(
    `SELECT CASE WHEN phone_key IS NOT NULL THEN '+1' || CAST(phone_key AS VARCHAR) END AS e164,
       CASE WHEN reject_reason LIKE 'PHONE_%' THEN substr(reject_reason, 7) END AS reason
     FROM (${bronze}) b
     ORDER BY coalesce(account_key, CAST(substr(raw_fields, 1, 16) AS BIGINT))`,
  );
  return rows.map((row) => ({ e164: row.e164, reason: row.reason }));
}

function expected(phone: string): { e164: string | null; reason: string | null } {
  const result = normalizePhone(phone);
  return result.ok ? { e164: result.e164, reason: null } : { e164: null, reason: result.reason };
}

describe('phone normalisation: SQL (DuckDB) and normalizePhone agree', () => {
  it('on known formats and edge cases', async () => {
    // Prepare
    const phones = [
      '(212) 555-0142',
      '212.555.0142',
      '+1 212 555 0142',
      '12125550142',
      '2125550142',
      ' 212-555-0142 ',
      '\u00a0212 555 0142\ufeff',
      '+44 20 7946 0958',
      '+12125550142',
      '+2125550142',
      '112125550142',
      '(112) 555-0142',
      '(211) 555-0142',
      '(212) 155-0142',
      '(212) 055-0142',
      '555-0142',
      '',
      '   ',
      'call me',
      '212-555-0142 x12',
      '1 (800) 555-0100',
      '(911) 555-0100',
      '212 411 0142',
      '+',
      '++12125550142',
      '٣١٢٥٥٥٠١٠٠',
    ];
    // Act
    const actual = await normalizeInSql(phones);
    // Assess
    expect(actual).toEqual(phones.map(expected));
  });

  it('on random and adversarial texts', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(phoneText, { minLength: 1, maxLength: 150 }), async (phones) => {
        expect(await normalizeInSql(phones)).toEqual(phones.map(expected));
      }),
      { numRuns: 25 },
    );
  });
});
