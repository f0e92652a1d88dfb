import { z } from 'zod';
import { ACCOUNT_NUMBER } from '../consent/consent.ts';
import { normalizePhone } from '../values/phone.ts';

/** The fields requests and events share, validated with messages that say what is expected and never echo the value. */
export const text = (what: string) => z.string({ error: (issue) => (issue.input === undefined ? 'required' : `expected ${what} as a string`) });

export const accountSchema = text('16 digits').trim().regex(ACCOUNT_NUMBER, 'expected 16 digits');

/** A phone in any common US format, normalised to E.164 as the pipeline does (domain/values/phone.ts). */
export const phoneSchema = text('a US phone number').transform((value, ctx) => {
  const normalized = normalizePhone(value);
  if (normalized.ok) return normalized.e164;
  ctx.addIssue({ code: 'custom', message: `not a valid US phone number (${normalized.reason})` });
  return z.NEVER;
});
