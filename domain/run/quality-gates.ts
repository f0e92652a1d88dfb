import { parseDocument } from 'yaml';
import { z } from 'zod';
import { qualityLayout } from './run-layout.ts';
import { schemaProblems } from '../values/schema-problems.ts';

/**
 * Data-quality gates (docs/quality-gates.md): after each layer of the daily run, `sql/quality/<layer>.sql`
 * measures the layer (one row per check: `check_name`, `observed`, `total`) and this module judges the
 * numbers against the thresholds of `config/quality-gates.yaml`. Pure: no I/O.
 */

export const QUALITY_LAYERS = ['consent_bronze', 'consent_silver', 'phone_consent', 'facts', 'lists'] as const;
export type QualityLayer = (typeof QUALITY_LAYERS)[number];

/**
 * - `row_count`: `observed` rows today, judged against the same check's figure of the previous accepted date
 *   (relative change within ±`max_change_pct`).
 * - `rate`: `observed` bad rows of `total` examined, judged as a percentage (≤ `max_pct`).
 * - `count`: `observed` bad things (e.g. duplicate keys), judged as a number (≤ `max`).
 */
export type CheckKind = 'row_count' | 'rate' | 'count';

interface CheckDefinition {
  kind: CheckKind;
  /** What `observed` counts, as the failure message says it: `3 duplicate payoffuid`, `12 of 400 customers with …`. */
  measure: string;
}

export const QUALITY_CHECKS = {
  consent_bronze: {
    reject_rate: { kind: 'rate', measure: 'bronze rows rejected' },
    rejects_without_source: { kind: 'count', measure: 'rejected bronze rows without their source file' },
    valid_without_key: { kind: 'count', measure: 'valid bronze rows without account, phone, event date or record key' },
  },
  consent_silver: {
    rows: { kind: 'row_count', measure: 'silver rows' },
    phones_in_newest_snapshot: { kind: 'row_count', measure: 'silver rows listed in the newest NON-FIN-BDL snapshot' },
    account_number_invalid: { kind: 'rate', measure: 'silver rows whose account_number is not 16 digits' },
    phone_number_not_e164: { kind: 'rate', measure: 'silver rows whose phone_number is not E.164 (+1NXXNXXXXXX)' },
  },
  phone_consent: {
    rows: { kind: 'row_count', measure: 'phone_consent rows' },
    account_number_invalid: { kind: 'rate', measure: 'phone_consent rows whose account_number is not 16 digits' },
    phone_number_not_e164: { kind: 'rate', measure: 'phone_consent rows whose phone_number is not E.164 (+1NXXNXXXXXX)' },
    phone_source_invalid: { kind: 'rate', measure: 'phone_consent rows without a known phone_source' },
    delete_inconsistent: { kind: 'count', measure: 'phone_consent rows whose is_deleted, delete_type and deleted_at disagree' },
  },
  facts: {
    customers_rows: { kind: 'row_count', measure: 'customers' },
    loan_tape_duplicate_rate: { kind: 'rate', measure: 'loan tape rows repeating a loan of their customer (set aside)' },
    suppressions_reject_rate: { kind: 'rate', measure: 'suppression entries set aside (key unreadable)' },
    custom_fields_unreadable_rate: { kind: 'rate', measure: 'custom-field lines that are not JSON' },
    dispositions_unknown_loan_rate: { kind: 'rate', measure: 'attempts that match no loan (set aside)' },
    dispositions_unknown_channel_rate: { kind: 'rate', measure: 'attempts whose channel is not call, sms or email' },
    dispositions_malformed_rate: { kind: 'rate', measure: 'attempt rows with too few or too many fields' },
    dispositions_repeated_rate: { kind: 'rate', measure: 'attempts of the 7 days delivered again in another file' },
    loan_tape_reject_rate: { kind: 'rate', measure: 'loan tape rows set aside (payoffuid missing or unreadable, account number not 16 digits)' },
    customers_state_invalid: { kind: 'rate', measure: 'customers whose state is missing or not two capital letters' },
    customers_zip_invalid: { kind: 'rate', measure: 'customers whose zip is missing or not NNNNN[-NNNN]' },
    customers_loan_tape_asofdate_invalid: { kind: 'rate', measure: 'customers whose loan_tape_asofdate is missing or not an ISO date' },
    customers_days_past_due_missing: { kind: 'rate', measure: 'customers whose days_past_due is missing or not an integer' },
    contacts_rows: { kind: 'row_count', measure: 'usable contacts' },
    contacts_reject_rate: { kind: 'rate', measure: 'contact records rejected' },
    contacts_phone_not_e164: { kind: 'rate', measure: 'usable phone contacts not in E.164 (+1NXXNXXXXXX)' },
    contacts_email_malformed: { kind: 'rate', measure: 'usable email contacts not shaped name@domain.tld' },
    contact_rules_unreadable_rate: { kind: 'rate', measure: 'contact rules with a Y/N flag or a date that cannot be read (applied fail closed)' },
    contact_rules_unknown_customer_rate: { kind: 'rate', measure: 'contact rules of customers not on the loan tape (set aside)' },
    payment_requests_reject_rate: { kind: 'rate', measure: 'payment request rows set aside (fields, payoffuid, request type, customer not on the tape)' },
    payment_requests_unreadable_rate: { kind: 'rate', measure: 'payment requests with a status or date that cannot be read (applied fail closed)' },
    zip_suppressions_unreadable_rate: { kind: 'rate', measure: 'ZIP suppression entries with a date that cannot be read (applied as open)' },
  },
  lists: {
    lists_rows: { kind: 'row_count', measure: 'rpt_outbound_lists rows' },
    lists_key_unique: { kind: 'count', measure: 'duplicate (set_name, list_name, payoffuid) in rpt_outbound_lists' },
    lists_account_number_invalid: { kind: 'rate', measure: 'rpt_outbound_lists rows whose account_number is missing or not 16 digits' },
    lists_state_unknown: { kind: 'rate', measure: 'rpt_outbound_lists rows whose state is not a state of the census reference' },
    lists_loan_tape_asofdate_missing: { kind: 'rate', measure: 'rpt_outbound_lists rows without loan_tape_asofdate' },
    contacts_rows: { kind: 'row_count', measure: 'rpt_outbound_list_contacts rows' },
    contacts_key_unique: { kind: 'count', measure: 'duplicate (set_name, list_name, payoffuid, contact_value) in rpt_outbound_list_contacts' },
    contacts_phone_not_e164: { kind: 'rate', measure: 'phone contacts not in E.164 (+1NXXNXXXXXX)' },
    contacts_email_malformed: { kind: 'rate', measure: 'email contacts not shaped name@domain.tld' },
    contacts_window_invalid: { kind: 'rate', measure: 'phone contacts without a time zone or with an empty calling window' },
    suppressions_rows: { kind: 'row_count', measure: 'rpt_outbound_lists_suppression rows' },
  },
} as const satisfies Record<QualityLayer, Record<string, CheckDefinition>>;

/** Layers whose accepted figures are written when their gate passes (the consent partitions are keyed by date). */
const ACCEPTED_ON_PASS: ReadonlySet<QualityLayer> = new Set(['consent_bronze', 'consent_silver', 'phone_consent']);

/** True when a passing gate of `layer` makes its figures the ones the next date compares with; else Finalize's publication does. */
export function acceptedOnPass(layer: QualityLayer): boolean {
  return ACCEPTED_ON_PASS.has(layer);
}

// ---------------------------------------------------------------------------------------------------------------
// Thresholds

const thresholdSchemas = {
  row_count: z.strictObject({ max_change_pct: z.number().nonnegative() }),
  rate: z.strictObject({ max_pct: z.number().min(0).max(100) }),
  count: z.strictObject({ max: z.number().int().nonnegative() }),
} as const;

export type RowCountThreshold = z.infer<typeof thresholdSchemas.row_count>;
export type RateThreshold = z.infer<typeof thresholdSchemas.rate>;
export type CountThreshold = z.infer<typeof thresholdSchemas.count>;
export type Threshold = RowCountThreshold | RateThreshold | CountThreshold;

const layerSchemas = Object.fromEntries(
  QUALITY_LAYERS.map((layer) => {
    const checks: Record<string, CheckDefinition> = QUALITY_CHECKS[layer];
    return [layer, z.strictObject(Object.fromEntries(Object.entries(checks).map(([name, { kind }]) => [name, thresholdSchemas[kind]])))];
  }),
) as unknown as Record<QualityLayer, z.ZodType<Record<string, Threshold>>>;

const thresholdsSchema = z.strictObject({
  /**
   * Rates with a threshold above 0 and day-over-day changes are judged only over at least this many rows
   * (today's rows examined; yesterday's row count): a percentage of a handful of rows says nothing.
   */
  min_rows: z.number().int().positive(),
  ...layerSchemas,
});

export type QualityThresholds = { min_rows: number } & Record<QualityLayer, Record<string, Threshold>>;

export class QualityConfigError extends Error {
  override name = 'QualityConfigError';
}

/** Validates parsed thresholds; every problem is listed with its path (`facts.customers_rows.max_change_pct: …`). */
export function parseQualityThresholds(input: unknown, source: string): QualityThresholds {
  const parsed = thresholdsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = schemaProblems(parsed.error, '(file)');
    throw new QualityConfigError(`invalid data-quality gate thresholds in ${source}: ${problems.join('; ')}`);
  }
  return parsed.data as QualityThresholds;
}

/** Reads the thresholds file's text: JSON when the name ends in `.json`, else YAML. */
export function loadQualityThresholdsText(text: string, source: string): QualityThresholds {
  let input: unknown;
  if (source.toLowerCase().endsWith('.json')) {
    try {
      input = JSON.parse(text);
    } catch (error) {
      throw new QualityConfigError(`invalid data-quality gate thresholds in ${source}: JSON syntax error: ${(error as Error).message}`);
    }
  } else {
    const document = parseDocument(text);
    const [error] = document.errors;
    if (error) {
      const where = error.linePos ? ` at line ${error.linePos[0].line}` : '';
      throw new QualityConfigError(`invalid data-quality gate thresholds in ${source}: YAML syntax error${where}: ${error.message.split('\n')[0]}`);
    }
    input = document.toJS();
  }
  return parseQualityThresholds(input, source);
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

/** One row of a `sql/quality/<layer>.sql` result. */
export interface CheckRow {
  check_name: string;
  observed: number;
  /** Rows examined (rate checks); null otherwise. */
  total: number | null;
}

/** A layer's measured numbers on one date: what tomorrow's row-count checks compare with. */
export interface LayerFigures {
  layer: QualityLayer;
  load_date: string;
  checks: Record<string, { observed: number; total: number | null }>;
}

export interface CheckResult {
  /** `<layer>.<check>`, the gate's name in messages, logs and docs. */
  gate: string;
  status: 'passed' | 'failed' | 'skipped';
  observed: number;
  total: number | null;
  threshold: Threshold;
  /** Why it failed or was skipped; the numbers, for a pass. */
  message: string;
}

export interface LayerEvaluation {
  layer: QualityLayer;
  results: CheckResult[];
  failures: CheckResult[];
  figures: LayerFigures;
}

export class QualityGateFailedError extends Error {
  override name = 'QualityGateFailedError';
  constructor(
    readonly layer: QualityLayer,
    readonly failures: readonly string[],
  ) {
    super(`${failures.length} data-quality gate(s) of layer ${layer} failed: ${failures.join('; ')}`);
  }
}

/**
 * Judges one layer's check rows. `previous` is the layer's figures of the last accepted date before
 * `loadDate` (null when there is none, e.g. the first run): row-count checks without it are skipped.
 * A row missing from or unknown to the catalogue is an error of the SQL, not a failed gate.
 */
export function evaluateLayer(
  layer: QualityLayer,
  loadDate: string,
  rows: readonly CheckRow[],
  thresholds: QualityThresholds,
  previous: LayerFigures | null,
): LayerEvaluation {
  const definitions: Record<string, CheckDefinition> = QUALITY_CHECKS[layer];
  const byName = new Map<string, CheckRow>();
  for (const row of rows) {
    if (!(row.check_name in definitions)) throw new Error(`sql/quality/${layer}.sql returned an unknown check ${JSON.stringify(row.check_name)}`);
    if (byName.has(row.check_name)) throw new Error(`sql/quality/${layer}.sql returned check ${row.check_name} twice`);
    byName.set(row.check_name, row);
  }
  const results: CheckResult[] = [];
  const figures: LayerFigures = { layer, load_date: loadDate, checks: {} };
  for (const [name, definition] of Object.entries(definitions)) {
    const row = byName.get(name);
    if (!row) throw new Error(`sql/quality/${layer}.sql returned no row for check ${name}`);
    const observed = count(row.observed, `${layer}.${name} observed`);
    const total = row.total === null ? null : count(row.total, `${layer}.${name} total`);
    figures.checks[name] = { observed, total };
    const threshold = thresholds[layer][name]!;
    const judged = judge(
      definition,
      observed,
      total,
      threshold,
      thresholds.min_rows,
      previous?.checks[name] ? { date: previous.load_date, ...previous.checks[name]! } : null,
    );
    results.push({ gate: `${layer}.${name}`, observed, total, threshold, ...judged, message: `gate ${layer}.${name} ${judged.status}: ${judged.message}` });
  }
  return { layer, results, failures: results.filter((result) => result.status === 'failed'), figures };
}

function judge(
  definition: CheckDefinition,
  observed: number,
  total: number | null,
  threshold: Threshold,
  minRows: number,
  previous: { date: string; observed: number } | null,
): { status: CheckResult['status']; message: string } {
  const { measure } = definition;
  switch (definition.kind) {
    case 'count': {
      const { max } = threshold as CountThreshold;
      return { status: observed > max ? 'failed' : 'passed', message: `${observed} ${measure} (threshold ${max})` };
    }
    case 'rate': {
      const { max_pct: maxPct } = threshold as RateThreshold;
      if (total === null) throw new Error(`rate check without a total (${measure})`);
      const pct = total === 0 ? 0 : (observed / total) * 100;
      const numbers = `${observed} of ${total} ${measure} (${formatPct(pct)}%, threshold ${maxPct}%)`;
      if (maxPct > 0 && total < minRows) return { status: 'skipped', message: `${numbers}; rates are judged over at least min_rows ${minRows} rows` };
      return { status: pct > maxPct ? 'failed' : 'passed', message: numbers };
    }
    case 'row_count': {
      const { max_change_pct: maxChange } = threshold as RowCountThreshold;
      if (previous === null) return { status: 'skipped', message: `${observed} ${measure}; no figures of an earlier date to compare with (first run)` };
      if (previous.observed < minRows) {
        return {
          status: 'skipped',
          message: `${observed} ${measure}, ${previous.observed} on ${previous.date}: fewer than min_rows ${minRows} to compare with`,
        };
      }
      const change = ((observed - previous.observed) / previous.observed) * 100;
      const sign = change > 0 ? '+' : '';
      return {
        status: Math.abs(change) > maxChange ? 'failed' : 'passed',
        message: `${observed} ${measure}, ${previous.observed} on ${previous.date} (${sign}${formatPct(change)}%, threshold ±${maxChange}%)`,
      };
    }
  }
}

function count(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${what} is not a row count: ${JSON.stringify(value)}`);
  return value;
}

function formatPct(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** The date of an accepted-figures key, or null for another key. */
export function acceptedDate(layer: QualityLayer, key: string): string | null {
  const prefix = qualityLayout.acceptedPrefix(layer);
  const match = /^load_date=(\d{4}-\d{2}-\d{2})\.json$/.exec(key.startsWith(prefix) ? key.slice(prefix.length) : '');
  return match ? match[1]! : null;
}
