import { z } from 'zod';
import type { DerivedFacts } from '../campaigns/facts.ts';
import { CHANNELS, PURPOSES, type Channel, type Purpose } from '../campaigns/schema.ts';
import { isIsoDate } from '../values/load-date.ts';
import { DataFileError, parseDataFile, type DataFileProblem } from './data-file.ts';
import { parseClockTime } from './local-time.ts';

/**
 * The compliance rule table (SPEC §6.1): config/compliance/rules.csv, one row per rule ×
 * jurisdiction × channel × purpose, with its legal source and effective dates. docs/compliance.md
 * describes every column and row. The filters read the rows that apply to a list on the load date;
 * no code branches on a jurisdiction except through this table.
 */

export const RULE_TABLE_COLUMNS = [
  'rule_id',
  'version',
  'kind',
  'jurisdiction',
  'channel',
  'purpose',
  'effective_from',
  'effective_to',
  'window_start',
  'window_end',
  'sunday_window',
  'holiday_window',
  'cap_max',
  'cap_period',
  'cap_counts',
  'pause_days',
  'enforced_by',
  'source',
  'note',
] as const;

export const RULE_KINDS = ['window', 'frequency_cap', 'conversation_pause', 'delegated'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

/** Filters that enforce `delegated` rows (the facts filters of domain/campaigns/contact-filters.ts, and the window filter). */
export const DELEGATE_FILTERS = ['sms_consent', 'email_status', 'contact_window'] as const;
export type DelegateFilter = (typeof DELEGATE_FILTERS)[number];

/**
 * The derived counter each (period, counted channels) of a frequency cap compares with its maximum.
 * A combination without a counter is refused when the table is loaded.
 */
export const CAP_COUNTERS = {
  '7d:call': 'calls_last_7_days',
  '7d:call+sms': 'communications_last_7_days',
  '7d:call+sms+email': 'attempts_last_7_days',
  '24h:call+sms': 'communications_last_24h',
} as const satisfies Record<string, keyof DerivedFacts>;
export type CapCounter = (typeof CAP_COUNTERS)[keyof typeof CAP_COUNTERS];

/** A local time span [start, end) in minutes of the day; empty when start >= end. */
export interface LocalWindow {
  start: number;
  end: number;
}

interface RuleBase {
  rule_id: string;
  version: number;
  /** `US` (federal) or `US-XX` (a state, district or territory by its USPS code). */
  jurisdiction: string;
  /** The USPS code of a state jurisdiction, null for `US`. */
  state: string | null;
  channel: Channel;
  purpose: Purpose;
  effective_from: string;
  /** Exclusive; null = open. */
  effective_to: string | null;
  source: string;
  note: string;
  /** Line in the rule table file, for messages. */
  line: number;
}

export interface WindowRule extends RuleBase {
  kind: 'window';
  window: LocalWindow;
  /** `same` = the window of the other days; `none` = no contact on Sunday. */
  sunday: LocalWindow | 'same' | 'none';
  /** `none`: no contact on the jurisdiction's public holidays. */
  holidays: 'ignored' | 'none';
}

export interface FrequencyCapRule extends RuleBase {
  kind: 'frequency_cap';
  /** Blocked when the counter has reached this many. */
  cap_max: number;
  cap_period: string;
  cap_counts: string;
  counter: CapCounter;
}

export interface ConversationPauseRule extends RuleBase {
  kind: 'conversation_pause';
  /** Days blocked counting the conversation's day as day 1. */
  pause_days: number;
}

export interface DelegatedRule extends RuleBase {
  kind: 'delegated';
  enforced_by: DelegateFilter;
}

export type ComplianceRule = WindowRule | FrequencyCapRule | ConversationPauseRule | DelegatedRule;

export interface RuleTable {
  readonly file: string;
  readonly rules: readonly ComplianceRule[];
}

const JURISDICTION = /^US(?:-([A-Z]{2}))?$/;
const KIND_COLUMNS: Record<RuleKind, readonly string[]> = {
  window: ['window_start', 'window_end', 'sunday_window', 'holiday_window'],
  frequency_cap: ['cap_max', 'cap_period', 'cap_counts'],
  conversation_pause: ['pause_days'],
  delegated: ['enforced_by'],
};
const REQUIRED_COLUMNS: Record<RuleKind, readonly string[]> = {
  window: ['window_start', 'window_end'],
  frequency_cap: ['cap_max', 'cap_period', 'cap_counts'],
  conversation_pause: ['pause_days'],
  delegated: ['enforced_by'],
};

const text = z.string();
const isoDate = z.string().refine(isIsoDate, 'expected a date YYYY-MM-DD');
const positiveInteger = z
  .string()
  .regex(/^[1-9]\d*$/, 'expected a positive integer')
  .transform(Number);
const clock = (value: string) => parseClockTime(value) !== null;

const rowSchema = z
  .strictObject({
    rule_id: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected an identifier in capitals (A-Z, 0-9, _)'),
    version: positiveInteger,
    kind: z.enum(RULE_KINDS, `expected one of ${RULE_KINDS.join(', ')}`),
    jurisdiction: z.string().regex(JURISDICTION, 'expected US or US-XX (a USPS state code)'),
    channel: z.enum(CHANNELS, `expected one of ${CHANNELS.join(', ')}`),
    purpose: z.enum(PURPOSES, `expected one of ${PURPOSES.join(', ')}`),
    effective_from: isoDate,
    effective_to: z.union([z.literal(''), isoDate]),
    window_start: z.string().refine((value) => value === '' || clock(value), 'expected HH:MM'),
    window_end: z.string().refine((value) => value === '' || clock(value), 'expected HH:MM'),
    sunday_window: z
      .string()
      .regex(/^(|none|\d{2}:\d{2}-\d{2}:\d{2})$/, 'expected empty (as other days), none, or HH:MM-HH:MM')
      .refine((value) => !value.includes('-') || value.split('-').every(clock), 'expected HH:MM-HH:MM with valid times'),
    holiday_window: z.enum(['', 'none'], 'expected empty (holidays ignored) or none'),
    cap_max: z.union([z.literal(''), positiveInteger]),
    cap_period: z.enum(['', '7d', '24h'], 'expected 7d or 24h'),
    cap_counts: z.enum(['', 'call', 'call+sms', 'call+sms+email'], 'expected call, call+sms or call+sms+email'),
    pause_days: z.union([z.literal(''), positiveInteger]),
    enforced_by: z.enum(['', ...DELEGATE_FILTERS], `expected one of ${DELEGATE_FILTERS.join(', ')}`),
    source: text.min(1, 'the legal source is required'),
    note: text,
  })
  .superRefine((row, context) => {
    for (const column of KIND_COLUMNS[row.kind]) {
      if (REQUIRED_COLUMNS[row.kind].includes(column) && row[column as keyof typeof row] === '') {
        context.addIssue({ code: 'custom', path: [column], message: `required for kind ${row.kind}` });
      }
    }
    for (const [kind, columns] of Object.entries(KIND_COLUMNS)) {
      if (kind === row.kind) continue;
      for (const column of columns) {
        if (row[column as keyof typeof row] !== '') context.addIssue({ code: 'custom', path: [column], message: `must be empty for kind ${row.kind}` });
      }
    }
    if (row.effective_to !== '' && row.effective_to <= row.effective_from) {
      context.addIssue({ code: 'custom', path: ['effective_to'], message: 'must be after effective_from' });
    }
    if (row.kind === 'window' && row.window_start !== '' && row.window_end !== '' && parseClockTime(row.window_start)! >= parseClockTime(row.window_end)!) {
      context.addIssue({ code: 'custom', path: ['window_end'], message: 'must be after window_start' });
    }
    if (row.kind === 'frequency_cap' && row.cap_period !== '' && row.cap_counts !== '' && !(`${row.cap_period}:${row.cap_counts}` in CAP_COUNTERS)) {
      context.addIssue({
        code: 'custom',
        path: ['cap_counts'],
        message: `no derived counter for ${row.cap_counts} over ${row.cap_period}; counted: ${Object.keys(CAP_COUNTERS).join(', ')}`,
      });
    }
  });

type Row = z.output<typeof rowSchema>;

function toRule(row: Row, line: number): ComplianceRule {
  const base: RuleBase = {
    rule_id: row.rule_id,
    version: row.version,
    jurisdiction: row.jurisdiction,
    state: JURISDICTION.exec(row.jurisdiction)![1] ?? null,
    channel: row.channel,
    purpose: row.purpose,
    effective_from: row.effective_from,
    effective_to: row.effective_to === '' ? null : row.effective_to,
    source: row.source,
    note: row.note,
    line,
  };
  const span = (start: string, end: string): LocalWindow => ({ start: parseClockTime(start)!, end: parseClockTime(end)! });
  switch (row.kind) {
    case 'window': {
      const sunday = row.sunday_window;
      return {
        ...base,
        kind: 'window',
        window: span(row.window_start, row.window_end),
        sunday: sunday === '' ? 'same' : sunday === 'none' ? 'none' : span(...(sunday.split('-') as [string, string])),
        holidays: row.holiday_window === 'none' ? 'none' : 'ignored',
      };
    }
    case 'frequency_cap':
      return {
        ...base,
        kind: 'frequency_cap',
        cap_max: row.cap_max as number,
        cap_period: row.cap_period,
        cap_counts: row.cap_counts,
        counter: CAP_COUNTERS[`${row.cap_period}:${row.cap_counts}` as keyof typeof CAP_COUNTERS],
      };
    case 'conversation_pause':
      return { ...base, kind: 'conversation_pause', pause_days: row.pause_days as number };
    case 'delegated':
      return { ...base, kind: 'delegated', enforced_by: row.enforced_by as DelegateFilter };
  }
}

/**
 * Parses and validates the rule table. Besides each row's columns, two versions of one rule for the
 * same jurisdiction, channel and purpose may not be in force on the same day.
 */
export function parseRuleTable(content: string, file: string): RuleTable {
  const rules = parseDataFile(content, file, RULE_TABLE_COLUMNS, rowSchema).map(({ line, value }) => toRule(value, line));
  const problems: DataFileProblem[] = [];
  rules.forEach((rule, index) => {
    for (const earlier of rules.slice(0, index)) {
      const same =
        earlier.rule_id === rule.rule_id && earlier.jurisdiction === rule.jurisdiction && earlier.channel === rule.channel && earlier.purpose === rule.purpose;
      if (!same) continue;
      if (earlier.version === rule.version) {
        problems.push({
          file,
          line: rule.line,
          column: 'version',
          message: `version ${rule.version} of ${rule.rule_id} for ${rule.jurisdiction}/${rule.channel}/${rule.purpose} is already on line ${earlier.line}`,
        });
      } else if (overlaps(earlier, rule)) {
        problems.push({
          file,
          line: rule.line,
          column: 'effective_from',
          message: `in force on the same days as version ${earlier.version} on line ${earlier.line}`,
        });
      }
    }
  });
  if (problems.length > 0) throw new DataFileError(problems);
  return { file, rules };
}

function overlaps(a: RuleBase, b: RuleBase): boolean {
  return (a.effective_to === null || b.effective_from < a.effective_to) && (b.effective_to === null || a.effective_from < b.effective_to);
}

/** The rules in force on `loadDate` (effective_from <= loadDate < effective_to) for a list's channel and purpose. */
export function rulesInForce(table: RuleTable, loadDate: string, channel: Channel, purpose: Purpose): ComplianceRule[] {
  return table.rules.filter(
    (rule) =>
      rule.channel === channel && rule.purpose === purpose && rule.effective_from <= loadDate && (rule.effective_to === null || loadDate < rule.effective_to),
  );
}
