import { describe, expect, it } from 'vitest';
import { maskPhone, normalizePhone } from '../../../domain/values/phone.ts';

describe('phone normalisation (docs/phone-normalization.md)', () => {
  it.each([
    ['(212) 555-0142', 'parentheses and dash'],
    ['212.555.0142', 'dots'],
    ['+1 212 555 0142', 'international with spaces'],
    ['12125550142', 'eleven digits with the country code'],
    ['2125550142', 'ten digits'],
    ['212-555-0142', 'dashes'],
    ['1-212-555-0142', 'country code and dashes'],
    ['+1(212)555-0142', 'international, no spaces'],
    ['  212 555 0142  ', 'stray spaces'],
  ])('normalises %j (%s) to E.164', (input) => {
    expect(normalizePhone(input)).toEqual({ ok: true, e164: '+12125550142' });
  });

  it.each([
    ['', 'EMPTY'],
    ['   ', 'EMPTY'],
    [null, 'EMPTY'],
    ['555-0142', 'INVALID_LENGTH'],
    ['212555014', 'INVALID_LENGTH'],
    ['22125550142', 'INVALID_LENGTH'],
    ['212-555-0142 x12', 'INVALID_CHARACTERS'],
    ['N/A', 'INVALID_CHARACTERS'],
    ['212+555+0142', 'INVALID_CHARACTERS'],
    ['+44 20 7946 0958', 'NOT_NANP'],
    ['+2125550142', 'NOT_NANP'],
    ['(112) 555-0142', 'NOT_NANP'],
    ['(212) 155-0142', 'NOT_NANP'],
    ['(911) 555-0142', 'NOT_NANP'],
  ] as const)('rejects %j with %s', (input, reason) => {
    expect(normalizePhone(input)).toEqual({ ok: false, reason });
  });

  it('masks all but the last two digits for logs', () => {
    expect(maskPhone('+12125550142')).toBe('*********42');
    expect(maskPhone('7')).toBe('**');
  });
});
