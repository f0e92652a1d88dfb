import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * US phone normalisation, shared rule of the pipeline (SQL `sql/fragments/phone_normalization.sql`) and the API.
 * The rule is written down in docs/phone-normalization.md; a property test checks that the SQL
 * and this function agree on every input.
 */
export type PhoneRejectReason = 'EMPTY' | 'INVALID_CHARACTERS' | 'INVALID_LENGTH' | 'NOT_NANP';

export type NormalizedPhone = { ok: true; e164: string } | { ok: false; reason: PhoneRejectReason };

const ALLOWED = /^\+?[0-9 ().-]+$/;
const NANP_NATIONAL = /^[2-9][0-9]{2}[2-9][0-9]{6}$/;

export function normalizePhone(input: string | null | undefined): NormalizedPhone {
  const text = (input ?? '').trim();
  if (text === '') return { ok: false, reason: 'EMPTY' };
  if (!ALLOWED.test(text)) return { ok: false, reason: 'INVALID_CHARACTERS' };
  let digits = text.replace(/[^0-9]/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  else if (text.startsWith('+')) return { ok: false, reason: 'NOT_NANP' };
  if (digits.length !== 10) return { ok: false, reason: 'INVALID_LENGTH' };
  if (!NANP_NATIONAL.test(digits) || digits.slice(1, 3) === '11') return { ok: false, reason: 'NOT_NANP' };
  const parsed = parsePhoneNumberFromString(digits, 'US');
  if (parsed?.countryCallingCode !== '1' || parsed.nationalNumber !== digits) {
    return { ok: false, reason: 'NOT_NANP' };
  }
  return { ok: true, e164: parsed.number };
}

/** Masks a phone number for logs: keeps the last two digits only. */
export function maskPhone(value: string): string {
  const digits = value.replace(/[^0-9]/g, '');
  return digits.length <= 2 ? '**' : `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}
