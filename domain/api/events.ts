import { createHash } from 'node:crypto';
import { z } from 'zod';
import { accountSchema, phoneSchema, text } from './input-fields.ts';
import { easternDate } from '../values/load-date.ts';
import { schemaProblems } from '../values/schema-problems.ts';

/**
 * Dialer and SMS events (SPEC §9, docs/api.md "Events"): a call placed, an SMS STOP, an email unsubscribe, in
 * the local form `outbound events ingest` and `POST /v1/events` read and the cloud Lambda receives from the
 * event bus. Validated here and normalised the way the pipeline reads the same values (phones E.164, emails
 * trimmed and in lower case, instants in UTC); an event is identified by (type, account, phone or email, instant),
 * so the same event delivered twice is one event.
 */
const account = accountSchema;
const phone = phoneSchema;
const email = text('an email address')
  .transform((value) => value.trim().toLowerCase())
  .refine((value) => /^[^@\s]+@[^@\s]+$/.test(value), 'not an email address');
/** ISO-8601 with a Z or an offset, read as an instant. */
const at = text('an ISO-8601 date-time with offset')
  .pipe(z.iso.datetime({ offset: true, error: 'expected an ISO-8601 date-time with offset, e.g. 2026-11-20T10:15:00-05:00' }))
  .transform((value) => new Date(value).toISOString());

const localEventSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('call_attempt'),
      account,
      phone,
      at,
      list: text('a list name').trim().min(1, 'expected a list name').max(200, 'expected at most 200 characters'),
      conversation: z.boolean({ error: 'expected true or false' }),
    }),
    z.strictObject({ type: z.literal('sms_opt_out'), account, phone, at }),
    z.strictObject({ type: z.literal('email_opt_out'), account, email, at }),
  ],
  { error: 'expected call_attempt, sms_opt_out or email_opt_out' },
);

interface EventBase {
  /** sha256 of (type, account, phone or email, instant): the event's identity. */
  id: string;
  account: string;
  /** The instant, ISO-8601 UTC. */
  at: string;
  /** The servicer's day of the event: its date in America/New_York (the daily run's load date). */
  day: string;
}

export type CallAttemptEvent = EventBase & { type: 'call_attempt'; phone: string; list: string; conversation: boolean };
export type OptOutEvent = EventBase & ({ type: 'sms_opt_out'; phone: string } | { type: 'email_opt_out'; email: string });
export type DialerEvent = CallAttemptEvent | OptOutEvent;

/** Where an event that cannot be read is (its position in the batch, or its file line) and what is wrong, without its values. */
export interface EventRejection {
  position: number;
  problems: string[];
}

export interface ParsedEvents {
  events: DialerEvent[];
  rejected: EventRejection[];
}

/** Reads one event of the local form; its problems (field: message) when it cannot be read. */
export function parseEvent(input: unknown): { ok: true; event: DialerEvent } | { ok: false; problems: string[] } {
  const parsed = localEventSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: schemaProblems(parsed.error, 'event') };
  }
  const event = parsed.data;
  const contact = 'email' in event ? event.email : event.phone;
  const id = createHash('sha256').update([event.type, event.account, contact, event.at].join('\n')).digest('hex');
  return { ok: true, event: { ...event, id, day: easternDate(new Date(event.at)) } as DialerEvent };
}

/** Reads a batch of events; `positions[i]` is where `inputs[i]` is (default: its index from 0). */
export function parseEvents(inputs: readonly unknown[], positions: readonly number[] = inputs.map((_, index) => index)): ParsedEvents {
  const events: DialerEvent[] = [];
  const rejected: EventRejection[] = [];
  inputs.forEach((input, index) => {
    const result = parseEvent(input);
    if (result.ok) events.push(result.event);
    else rejected.push({ position: positions[index]!, problems: result.problems });
  });
  return { events, rejected };
}

/**
 * The events of a file: a JSON array, or JSON Lines (one event per non-blank line). A line that is not JSON is
 * rejected with its line number; positions are array indexes (from 0) or line numbers (from 1).
 */
export function parseEventsText(content: string): ParsedEvents {
  if (content.trimStart().startsWith('[')) {
    let array: unknown;
    try {
      array = JSON.parse(content);
    } catch {
      return { events: [], rejected: [{ position: 0, problems: ['file: not a valid JSON array'] }] };
    }
    return parseEvents(array as unknown[]);
  }
  const values: unknown[] = [];
  const lines: number[] = [];
  const notJson: EventRejection[] = [];
  content.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      values.push(JSON.parse(line));
      lines.push(index + 1);
    } catch {
      notJson.push({ position: index + 1, problems: ['line: not valid JSON'] });
    }
  });
  const parsed = parseEvents(values, lines);
  return { events: parsed.events, rejected: [...notJson, ...parsed.rejected].sort((a, b) => a.position - b.position) };
}

/** The contact value an opt-out event puts in the register (E.164 phone or lower-case email). */
export function optOutContactValue(event: OptOutEvent): string {
  return event.type === 'sms_opt_out' ? event.phone : event.email;
}
