import { z } from 'zod';
import { LOAN_TAPE_COLUMNS } from '../feeds/loan-tape.ts';

/**
 * The campaign configuration (§5) as a zod schema: the structural contract of `config/campaigns.yaml`.
 * The same schema emits the JSON Schema for editors (`outbound config schema`). What structure alone
 * cannot say (field names, value types per field, unique names, references between sets and lists)
 * is checked by `parseCampaignConfig` (validate.ts) against the field registry.
 */

export const CHANNELS = ['call', 'sms', 'email', 'mail'] as const;
export const PURPOSES = ['collections', 'servicing', 'marketing'] as const;
export const SOURCES = ['loan', 'customer', 'contact', 'custom_field', 'derived', 'list_history'] as const;
export const DATA_TYPES = ['string', 'number', 'date', 'boolean'] as const;
export const OPERATORS = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  'in',
  'not_in',
  'between',
  'like',
  'is_null',
  'is_not_null',
  'days_since >',
  'days_since <',
] as const;
export const RELATED_PARTY_TYPES = ['customer', 'reference_customer_parent', 'reference_customer_other'] as const;
/** What a contact rule may ask for: a related party, or every reference party at once. */
export const RELATED_PARTY_SELECTORS = [...RELATED_PARTY_TYPES, 'reference_customer_all'] as const;
/** `address`: the customer's postal address (loan tape), the one contact point of a `mail` list. */
export const CONTACT_TYPES = ['mobile', 'home', 'work', 'email', 'address'] as const;
export const CONTACT_TYPE_SELECTORS = [...CONTACT_TYPES, 'all'] as const;
export const DISTRIBUTIONS = ['census_state'] as const;
/** Days of the week, as `derived.load_weekday` and a list's `active_weekdays` name them. */
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export type Channel = (typeof CHANNELS)[number];
export type Purpose = (typeof PURPOSES)[number];
export type Source = (typeof SOURCES)[number];
export type DataType = (typeof DATA_TYPES)[number];
export type Operator = (typeof OPERATORS)[number];
export type RelatedPartyType = (typeof RELATED_PARTY_TYPES)[number];
export type RelatedPartySelector = (typeof RELATED_PARTY_SELECTORS)[number];
export type ContactType = (typeof CONTACT_TYPES)[number];
export type ContactTypeSelector = (typeof CONTACT_TYPE_SELECTORS)[number];
export type Weekday = (typeof WEEKDAYS)[number];

/** The contact types a list of each channel can use; a contact rule's `contact_type: all` means all of them. */
export const CHANNEL_CONTACT_TYPES: Record<Channel, readonly ContactType[]> = {
  call: ['mobile', 'home', 'work'],
  sms: ['mobile'],
  email: ['email'],
  mail: ['address'],
};

/** Names become table values and export file names: letters, digits, `_`, `-`, `.`, `+` and spaces (§5.1: `DPD90+`). */
const name = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.+\- ]*$/, 'expected a name of letters, digits, _ - . + or spaces, starting with a letter or digit')
  .max(100);
/** Reason codes are written into the suppression table: upper snake case. */
const reasonCode = z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected an upper-case reason code such as PORTFOLIO_OFAC');

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const conditionLeafSchema = z.strictObject({
  source: z.enum(SOURCES),
  field: z.string().min(1),
  operator: z.enum(OPERATORS),
  /**
   * Compare one character of a string field instead of the whole value: its 1-based position in the value
   * as delivered, lower-cased (§5.1: "the 16th character of payoffuid"). A value too short has no such character (null).
   */
  character: z.number().int().min(1).max(1000).optional(),
  /** Absent for `is_null` / `is_not_null`; a list for `in` / `not_in`; `[low, high]` for `between`; days for `days_since`. */
  value: z.union([scalar, z.array(scalar)]).optional(),
});

export type ConditionLeaf = z.infer<typeof conditionLeafSchema>;
/**
 * `any_contact`: one of the customer's contacts meets the whole nested condition (its leaves read that contact).
 * A bare `contact` leaf elsewhere holds when any contact meets that leaf alone.
 */
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | { any_contact: Condition } | ConditionLeaf;

export const conditionSchema: z.ZodType<Condition> = z
  .union([
    z.strictObject({
      get all() {
        return z.array(conditionSchema).min(1, 'an `all` group needs at least one condition');
      },
    }),
    z.strictObject({
      get any() {
        return z.array(conditionSchema).min(1, 'an `any` group needs at least one condition');
      },
    }),
    z.strictObject({
      get not() {
        return conditionSchema;
      },
    }),
    z.strictObject({
      get any_contact() {
        return conditionSchema;
      },
    }),
    conditionLeafSchema,
  ])
  .meta({
    id: 'Condition',
    description:
      'A condition tree: `all`, `any`, `not`, `any_contact` (one contact meets the nested condition), or a leaf {source, field, operator, value, character}.',
  });

export const customFieldSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a snake_case field name'),
  data_type: z.enum(DATA_TYPES),
  description: z.string().min(1),
});

export const suppressionRuleSchema = z.strictObject({
  name: name,
  reason: reasonCode,
  description: z.string().optional(),
  /**
   * Set and list rules: not recorded for a customer a global rule or global suppression-feed entry already
   * suppresses (§5.1: the DNC reasons). Without it every applicable reason is recorded (§6 step 2).
   */
  unless_suppressed_globally: z.boolean().default(false),
  conditions: conditionSchema,
});

/**
 * A list-history fact (§5.1): `list_history.<name>` is the number of days from the load date back to the latest
 * earlier run date on which the customer was kept (on the list and not suppressed) on one of `lists`, looking
 * back at most `lookback_days`; null when it was not kept on any of them in that time.
 */
export const listHistorySchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a snake_case fact name'),
  description: z.string().optional(),
  /** Lists as `SET/LIST` or a list name unique in the configuration. */
  lists: z.array(z.string().min(1)).min(1, 'a list-history fact needs at least one list'),
  lookback_days: z.number().int().min(1).max(400).default(31),
});

const contactOutputSchema = z.strictObject({
  related_party_type: z.enum(RELATED_PARTY_SELECTORS),
  contact_type: z.enum(CONTACT_TYPE_SELECTORS),
});

export const contactRuleSchema = z.strictObject({
  rule_priority: z.number().int().nonnegative(),
  description: z.string().optional(),
  /** Absent: the rule always holds (a fallback). */
  conditions: conditionSchema.optional(),
  /**
   * `contact` leaves only, tested on each contact the outputs take: a contact for which they do not hold
   * is not selected. They do not decide whether the rule holds.
   */
  contact_conditions: conditionSchema.optional(),
  /** In rank order. One output may be written as an object. */
  outputs: z.union([contactOutputSchema.transform((output) => [output]), z.array(contactOutputSchema).min(1)]),
});

export const abTestSchema = z.strictObject({
  name: name,
  /** Share of customers in group A, strictly between 0 and 1. */
  split: z.number().gt(0, 'split must be strictly between 0 and 1').lt(1, 'split must be strictly between 0 and 1'),
});

/** Fields of the published list row an export column may show (rpt_outbound_lists, SPEC §7). */
export const EXPORT_LIST_FIELDS = [
  'payoffuid',
  'account_number',
  'load_date',
  'set_name',
  'list_name',
  'channel',
  'purpose',
  'ab_group',
  'calls_allowed_today',
] as const;
/** Columns of the decision's loan-tape row (§3.2) an export column may show, as delivered: every column of the tape. */
export const EXPORT_LOAN_FIELDS = LOAN_TAPE_COLUMNS;
/** `genesys`: a Genesys Cloud contact list (§7: ≤ 50 columns, names of letters, digits and `_`, the dial-time columns); `file`: a partner's or print vendor's CSV. */
export const EXPORT_FORMATS = ['genesys', 'file'] as const;
export type ExportListField = (typeof EXPORT_LIST_FIELDS)[number];
export type ExportLoanField = (typeof EXPORT_LOAN_FIELDS)[number];

const bucketRangeSchema = z.strictObject({
  /** Inclusive bounds; an absent bound is open. */
  from: z.number().optional(),
  to: z.number().optional(),
  label: z.string().min(1),
});

/** Where an export column's value comes from: one of these keys. */
export const exportValueSchema = z.union([
  z.strictObject({ list: z.enum(EXPORT_LIST_FIELDS) }),
  z.strictObject({ loan: z.enum(EXPORT_LOAN_FIELDS) }),
  z.strictObject({ constant: z.string() }),
  /** The customer's own email address of the day's contacts feed (the newest valid one), e.g. on a call list's screen. */
  z.strictObject({ contact: z.literal('email') }),
  /** The label of the first range holding the number (e.g. AGING from days_past_due); a value in no range stops the export. */
  z.strictObject({ buckets: z.strictObject({ loan: z.enum(EXPORT_LOAN_FIELDS), ranges: z.array(bucketRangeSchema).min(1) }) }),
]);
export type ExportValue = z.infer<typeof exportValueSchema>;

export const exportColumnSchema = z.union([
  z.strictObject({ name: z.string().min(1).max(100), value: exportValueSchema }),
  /**
   * The selected contacts in rank order, `max` groups (each: value, type, party, time zone and the calling
   * window in UTC, named `phone_k…`/`email_k…`/`address_k` as the dial-time rules and the results loop read them).
   */
  z.strictObject({ contacts: z.strictObject({ max: z.number().int().min(1).max(20) }) }),
]);
export type ExportColumn = z.infer<typeof exportColumnSchema>;

export const exportTemplateSchema = z.strictObject({
  name: name,
  description: z.string().optional(),
  format: z.enum(EXPORT_FORMATS),
  columns: z.array(exportColumnSchema).min(1),
});
export type ExportTemplate = z.infer<typeof exportTemplateSchema>;

/** How a list leaves the product: its file's template (absent: the built-in layout of its channel), or held (no file); a partner it is delivered to over SFTP. */
export const listExportSchema = z.strictObject({
  template: z.string().min(1).optional(),
  held: z.boolean().default(false),
  /** A partner of the environment's partner registry (docs/exports.md "Partner delivery"). */
  delivery: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'expected a snake_case partner name')
    .optional(),
});

export const listSchema = z.strictObject({
  name: name,
  description: z.string().optional(),
  priority: z.number().int().nonnegative(),
  /** Defaults to the set's channel. */
  channel: z.enum(CHANNELS).optional(),
  purpose: z.enum(PURPOSES),
  active: z.boolean().default(true),
  /** Tried only on these weekdays of the load date (absent: every day); on other days the list is inactive. */
  active_weekdays: z.array(z.enum(WEEKDAYS)).min(1).optional(),
  genesys_campaign_id: z.string().optional(),
  genesys_list_id: z.string().optional(),
  export: listExportSchema.default({ held: false }),
  /** Lists of other sets, as `SET/LIST` or a list name unique in the configuration. */
  exclude_if_on_lists: z.array(z.string().min(1)).default([]),
  ab_test: abTestSchema.optional(),
  target_size: z.number().int().positive().optional(),
  distribution: z.enum(DISTRIBUTIONS).optional(),
  /** Work queues (e.g. research) keep customers who have no usable contact point. */
  contact_required: z.boolean().default(true),
  conditions: conditionSchema,
  suppression_rules: z.array(suppressionRuleSchema).default([]),
  contact_rules: z.array(contactRuleSchema).default([]),
});

export const setSchema = z.strictObject({
  name: name,
  description: z.string().optional(),
  channel: z.enum(CHANNELS),
  exclude_if_assigned_in: z.array(z.string().min(1)).default([]),
  suppression_rules: z.array(suppressionRuleSchema).default([]),
  lists: z.array(listSchema).min(1, 'a set needs at least one list'),
});

export const campaignConfigSchema = z
  .strictObject({
    /** The configuration's own version, recorded with every run's snapshot. */
    version: z.string().min(1),
    description: z.string().optional(),
    /**
     * Not read: a place for YAML anchors (`&name`) that the rest of the file reuses (`*name`); each use is
     * validated where it stands.
     */
    definitions: z.record(z.string(), z.unknown()).optional(),
    /** Bad-number flush thresholds (§6.3): within 90 days on the same number. */
    bad_number: z
      .strictObject({
        wrong_number_count: z.number().int().positive().default(2),
        disconnected_count: z.number().int().positive().default(3),
      })
      .default({ wrong_number_count: 2, disconnected_count: 3 }),
    custom_fields: z.array(customFieldSchema).default([]),
    list_history: z.array(listHistorySchema).default([]),
    export_templates: z.array(exportTemplateSchema).default([]),
    suppression_rules: z.array(suppressionRuleSchema).default([]),
    sets: z.array(setSchema).min(1, 'the configuration needs at least one set'),
  })
  .meta({ title: 'outbound campaign configuration', description: 'Sets, lists, conditions, contact rules, custom fields and suppression rules (SPEC §5).' });

export type CampaignConfig = z.output<typeof campaignConfigSchema>;
export type CampaignSet = CampaignConfig['sets'][number];
export type CampaignList = CampaignSet['lists'][number];
export type SuppressionRule = CampaignConfig['suppression_rules'][number];
export type ContactRule = CampaignList['contact_rules'][number];
export type ContactOutput = ContactRule['outputs'][number];
export type CustomField = CampaignConfig['custom_fields'][number];
export type ListHistoryFact = CampaignConfig['list_history'][number];

/**
 * The JSON Schema of the file an analyst writes (`outbound config schema`): the schema's input side,
 * so keys with defaults are optional; condition trees refer to `$defs/Condition`.
 */
export function campaignConfigJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(campaignConfigSchema, { io: 'input' });
}
