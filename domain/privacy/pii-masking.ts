import { maskPhone } from '../values/phone.ts';

/**
 * THE masking rule of everything the application logs (docs/observability.md): applied by the logger
 * itself (adapters/logger.ts) to the message and every attribute, nested objects and arrays included.
 * - Text anywhere: e-mail addresses → `***@***`; phone numbers (E.164 `+` and 8–15 digits, and the US
 *   10/11-digit forms with or without `( ) . - space` separators) → maskPhone (last two digits kept).
 *   A US form must stand alone (no letter or digit touching it), so identifiers such as hex run ids and
 *   payoffuids are left intact.
 * - Values under a person-name key (a key ending in `name` or `names`, case and `_`/`-` ignored, except the technical
 *   names of TECHNICAL_NAME_KEYS such as set_name or function_name) → `***`.
 * - Values under a contact key (a key containing `phone` or `email`, or ending in `contact_value`) → masked whole
 *   even when they are not well-formed: digits → maskPhone, anything else → `***`. Numbers under such keys
 *   are masked when they have 7 digits or more (a phone number stored as a number); counts stay.
 */
const EMAIL = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/g;
const E164 = /(?<![0-9+])\+[1-9][0-9]{7,14}(?![0-9])/g;
const US_PHONE = /(?<![A-Za-z0-9+])(?:\+?1[ .-]?)?(?:\([0-9]{3}\)|[0-9]{3})[ .-]?[0-9]{3}[ .-]?[0-9]{4}(?![A-Za-z0-9])/g;

const MASKED_EMAIL = '***@***';
const MASKED_TEXT = '***';
/** Output of this module (or of maskPhone) that must stay as it is when masked again. */
const ALREADY_MASKED = /^(?:\*+[0-9]{0,2}|\*\*\*@\*\*\*)$/;

/** Keys ending in `name` that name things, not people (normalized: lower case, letters and digits only, no plural `s`). */
const TECHNICAL_NAME_KEYS: ReadonlySet<string> = new Set([
  'setname',
  'listname',
  'functionname',
  'servicename',
  'executionname',
  'statename',
  'stepname',
  'errorname',
  'filename',
  'tablename',
  'viewname',
  'columnname',
  'fieldname',
  'bucketname',
  'feedname',
  'metricname',
  'rulename',
  'checkname',
  'testname',
  'queuename',
  'topicname',
  'secretname',
  'hostname',
  'pathname',
]);

type KeyKind = 'person-name' | 'contact' | 'plain';

function keyKind(key: string): KeyKind {
  const normalized = key
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/s$/, '');
  if (normalized.includes('phone') || normalized.includes('email') || normalized.endsWith('contactvalue')) return 'contact';
  if (normalized.endsWith('name') && !TECHNICAL_NAME_KEYS.has(normalized)) return 'person-name';
  return 'plain';
}

/** Masks the e-mail addresses and phone numbers found in free text. */
export function maskPiiText(text: string): string {
  return text.replace(EMAIL, MASKED_EMAIL).replace(E164, maskPhone).replace(US_PHONE, maskPhone);
}

/**
 * A deep copy of `value` with PII masked. Errors are turned into plain records by `formatError` (the
 * logger passes its own) and then masked like any record, except their `name` (a class name).
 */
export function maskPii(value: unknown, formatError: (error: Error) => unknown = plainError): unknown {
  return mask(value, 'plain', formatError, new WeakSet());
}

function mask(value: unknown, kind: KeyKind, formatError: (error: Error) => unknown, ancestors: WeakSet<object>): unknown {
  if (typeof value === 'string') return maskString(value, kind);
  if (typeof value === 'number' || typeof value === 'bigint') {
    return kind !== 'plain' && String(value).replace(/[^0-9]/g, '').length >= 7 ? maskString(String(value), kind) : value;
  }
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  if (ancestors.has(value)) return '[Circular]';
  ancestors.add(value);
  try {
    if (value instanceof Error) return maskError(value, formatError(value), kind, formatError, ancestors);
    if (Array.isArray(value)) return value.map((item) => mask(item, kind, formatError, ancestors));
    const toJson = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJson === 'function') return mask(toJson.call(value), kind, formatError, ancestors);
    const masked: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const own = keyKind(key);
      masked[key] = mask(item, own === 'plain' ? kind : own, formatError, ancestors);
    }
    return masked;
  } finally {
    ancestors.delete(value);
  }
}

/** A formatted error keeps its `name` (a class name), and so does its formatted `cause`, at any depth. */
function maskError(error: Error, formatted: unknown, kind: KeyKind, formatError: (error: Error) => unknown, ancestors: WeakSet<object>): unknown {
  if (typeof formatted !== 'object' || formatted === null) return mask(formatted, kind, formatError, ancestors);
  const { name, cause, ...rest } = formatted as Record<string, unknown>;
  const maskedCause = error.cause instanceof Error ? maskError(error.cause, cause, kind, formatError, ancestors) : mask(cause, kind, formatError, ancestors);
  return { name, ...(mask(rest, kind, formatError, ancestors) as Record<string, unknown>), ...(cause === undefined ? {} : { cause: maskedCause }) };
}

function maskString(text: string, kind: KeyKind): string {
  if (kind === 'plain') return maskPiiText(text);
  if (text === '' || ALREADY_MASKED.test(text)) return text;
  if (kind === 'person-name') return MASKED_TEXT;
  if (text.includes('@')) return MASKED_EMAIL;
  return /[0-9]/.test(text) ? maskPhone(text) : MASKED_TEXT;
}

function plainError(error: Error): Record<string, unknown> {
  return { name: error.name, message: error.message, stack: error.stack, ...(error.cause === undefined ? {} : { cause: error.cause }) };
}
