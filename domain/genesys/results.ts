import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { PURPOSES } from '../campaigns/schema.ts';
import { localDateTime } from '../compliance/local-time.ts';
import { dailyFeeds } from '../feeds/daily-feeds.ts';
import { normalizePhone } from '../values/phone.ts';
import type { ListMismatch } from '../run/step-outputs.ts';

/**
 * The results loop (SPEC §7 "Genesys Cloud round trip", docs/genesys.md "The results loop"): the day's
 * outbound conversations of Genesys Cloud become rows of the dispositions feed, wrap-up codes mapped to our
 * dispositions; the numbers agents put on the DNC list during the day become opt-outs; each contact list is
 * reconciled with the customers exported to it.
 */

/** The dispositions of the feed (docs/feeds.md "Dispositions") a wrap-up code may map to; NOT_DIALED: no attempt was made. */
export const MAPPED_DISPOSITIONS = [
  'RIGHT_PARTY_CONTACT',
  'REFUSED',
  'NO_ANSWER',
  'VOICEMAIL',
  'BUSY',
  'THIRD_PARTY',
  'WRONG_NUMBER',
  'DISCONNECTED',
  'DELIVERED',
  'UNDELIVERED',
  'OPT_OUT',
  'NOT_DIALED',
] as const;
export type MappedDisposition = (typeof MAPPED_DISPOSITIONS)[number];

/** A conversation whose wrap-up code has no mapping: still an attempt (fail closed), under this disposition, and counted. */
export const UNMAPPED_DISPOSITION = 'UNMAPPED';

/** `config/genesys-wrap-up-codes.yaml`: wrap-up code name → disposition; what an SMS conversation without a wrap-up code is. */
export const wrapUpMappingSchema = z.strictObject({
  codes: z.record(z.string().min(1), z.enum(MAPPED_DISPOSITIONS)),
  sms_without_wrap_up: z.enum(MAPPED_DISPOSITIONS),
});
export type WrapUpMapping = z.infer<typeof wrapUpMappingSchema>;

/** Reads the mapping file's text; a problem names the file and the path in it. */
export function parseWrapUpMapping(text: string, where: string): WrapUpMapping {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new Error(`${where}: not YAML: ${(error as Error).message}`);
  }
  const parsed = wrapUpMappingSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${where}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The parts of an analytics conversation detail record (`/api/v2/analytics/conversations/details/jobs/{id}/results`) read here. */
const segmentSchema = z.looseObject({ segmentType: z.string().optional(), segmentEnd: z.string().optional(), wrapUpCode: z.string().optional() });
const sessionSchema = z.looseObject({
  mediaType: z.string().optional(),
  dnis: z.string().optional(),
  outboundContactId: z.string().optional(),
  outboundContactListId: z.string().optional(),
  segments: z.array(segmentSchema).default([]),
});
export const analyticsConversationSchema = z.looseObject({
  conversationId: z.string().min(1),
  conversationStart: z.iso.datetime({ offset: true }),
  participants: z.array(z.looseObject({ purpose: z.string().optional(), sessions: z.array(sessionSchema).default([]) })).default([]),
});
export type AnalyticsConversation = z.infer<typeof analyticsConversationSchema>;

/** One customer record of a list file exported today: its account and its phone numbers with their own zones. */
export interface ExportedContact {
  accountNumber: string;
  /** E.164 → IANA zone of the number (the export's `phone_N_timezone`). */
  phones: ReadonlyMap<string, string>;
}

/** A list exported today that went to a Genesys contact list. */
export interface PulledList {
  setName: string;
  listName: string;
  channel: 'call' | 'sms';
  purpose: (typeof PURPOSES)[number];
  contactListId: string;
  /** payoffuid (the contact id) → the exported record. */
  contacts: ReadonlyMap<string, ExportedContact>;
}

export type DispositionRow = Record<(typeof dailyFeeds.dispositions.columns)[number], string>;

export interface ConversationResults {
  rows: DispositionRow[];
  /** Conversations of the lists that made no attempt (mapped to NOT_DIALED). */
  notDialed: number;
  /** Wrap-up code (name, or the id when Genesys knows no name) → attempts written as UNMAPPED. */
  unmapped: Record<string, number>;
  /** Conversations of the lists whose contact id is not a customer exported to that list today: written with their customer, without account. */
  notExported: number;
}

/** The zone a number's attempt is written in when the record does not hold the dialled number. */
const FALLBACK_ZONE = 'America/New_York';

/**
 * The dispositions of the day's outbound conversations of `lists` (one row per conversation, in a total order):
 * the customer's outbound session gives the contact list, the contact id (payoffuid) and the dialled number; the
 * wrap-up code is the last one given (agent or system), mapped through `wrapUpNames` (id → name) and `mapping`.
 */
export function conversationResults(
  conversations: readonly AnalyticsConversation[],
  lists: readonly PulledList[],
  wrapUpNames: ReadonlyMap<string, string>,
  mapping: WrapUpMapping,
): ConversationResults {
  const byListId = new Map(lists.map((list) => [list.contactListId, list]));
  const result: ConversationResults = { rows: [], notDialed: 0, unmapped: {}, notExported: 0 };
  for (const conversation of conversations) {
    const session = conversation.participants
      .flatMap((participant) => participant.sessions)
      .find((candidate) => candidate.outboundContactListId !== undefined && byListId.has(candidate.outboundContactListId) && candidate.outboundContactId);
    if (!session) continue;
    const list = byListId.get(session.outboundContactListId!)!;
    const payoffuid = session.outboundContactId!;
    const contact = list.contacts.get(payoffuid);
    if (!contact) result.notExported += 1;
    const code = lastWrapUpCode(conversation);
    const name = code === undefined ? undefined : (wrapUpNames.get(code) ?? code);
    const mapped = name === undefined ? (list.channel === 'sms' ? mapping.sms_without_wrap_up : undefined) : mapping.codes[name];
    if (mapped === 'NOT_DIALED') {
      result.notDialed += 1;
      continue;
    }
    if (mapped === undefined) {
      const key = name ?? '(no wrap-up code)';
      result.unmapped[key] = (result.unmapped[key] ?? 0) + 1;
    }
    const dialled = normalizePhone(session.dnis?.replace(/^tel:/, ''));
    const phone = dialled.ok ? dialled.e164 : '';
    const agentJoined = conversation.participants.some((participant) => participant.purpose === 'agent');
    const disposition = mapped ?? UNMAPPED_DISPOSITION;
    result.rows.push({
      payoffuid,
      account_number: contact?.accountNumber ?? '',
      channel: list.channel,
      contact_value: phone,
      attempted_at: localDateTime(Date.parse(conversation.conversationStart), contact?.phones.get(phone) || FALLBACK_ZONE),
      disposition,
      // A conversation for Regulation F; an unmapped code on a call an agent joined may have been one (fail closed).
      is_conversation: disposition === 'RIGHT_PARTY_CONTACT' || disposition === 'REFUSED' || (mapped === undefined && agentJoined) ? 'Y' : 'N',
      purpose: list.purpose,
    });
  }
  result.rows.sort(compareRows);
  return result;
}

/** The wrap-up code given last in the conversation (by segment end, then code), if any. */
function lastWrapUpCode(conversation: AnalyticsConversation): string | undefined {
  const wrapUps = conversation.participants
    .flatMap((participant) => participant.sessions.flatMap((session) => session.segments))
    .filter((segment) => segment.wrapUpCode)
    .map((segment) => ({ end: segment.segmentEnd ?? '', code: segment.wrapUpCode! }))
    .sort((a, b) => (a.end === b.end ? (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) : a.end < b.end ? -1 : 1));
  return wrapUps.at(-1)?.code;
}

const ROW_ORDER = dailyFeeds.dispositions.columns;
function compareRows(a: DispositionRow, b: DispositionRow): number {
  for (const column of ROW_ORDER) if (a[column] !== b[column]) return a[column] < b[column] ? -1 : 1;
  return 0;
}

/**
 * The rows as a §3.2 feed file's text (docs/feeds.md): the header, `|`-delimited, `\n` line ends, no quoting. A
 * value holding `|` or a line end cannot be written so: it fails, naming the row and the column (not the value).
 */
export function dispositionsFeedText(rows: readonly DispositionRow[]): string {
  const lines = [ROW_ORDER.join('|')];
  rows.forEach((row, index) => {
    const bad = ROW_ORDER.find((column) => /[|\r\n]/.test(row[column]));
    if (bad) throw new Error(`disposition row ${index + 1}: ${bad} holds a | or a line end, which the feed cannot carry`);
    lines.push(ROW_ORDER.map((column) => row[column]).join('|'));
  });
  return `${lines.join('\n')}\n`;
}

/** A number exported today that is on the DNC list at the end of the day, with every customer whose call record holds it. */
export interface DncOptOut {
  phone: string;
  accounts: string[];
}

/**
 * The numbers put on the DNC list during the day (by an agent or a wrap-up rule): the morning's push took every
 * number exported today off the list (domain/genesys/dnc.ts), so an exported number found on it now was added
 * since. Each becomes an opt-out of its customers, or the next push would take it off again.
 */
export function dncOptOuts(lists: readonly PulledList[], dncNow: readonly string[]): DncOptOut[] {
  const accounts = new Map<string, Set<string>>();
  for (const list of lists) {
    if (list.channel !== 'call') continue;
    for (const contact of list.contacts.values()) {
      for (const phone of contact.phones.keys()) {
        if (!accounts.has(phone)) accounts.set(phone, new Set());
        accounts.get(phone)!.add(contact.accountNumber);
      }
    }
  }
  return [...new Set(dncNow)]
    .filter((phone) => accounts.has(phone))
    .sort()
    .map((phone) => ({ phone, accounts: [...accounts.get(phone)!].sort() }));
}

/** The reconciliation of one list: exported customers (contact ids) against the contact list's; undefined when they match. */
export function reconcileList(list: PulledList, contactIds: readonly string[]): ListMismatch | undefined {
  const imported = new Set(contactIds);
  const missing = [...list.contacts.keys()].filter((id) => !imported.has(id)).length;
  const extra = [...imported].filter((id) => !list.contacts.has(id)).length;
  if (missing === 0 && extra === 0) return undefined;
  return {
    setName: list.setName,
    listName: list.listName,
    contactListId: list.contactListId,
    exported: list.contacts.size,
    imported: imported.size,
    missing,
    extra,
  };
}
