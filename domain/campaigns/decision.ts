import type { ContactFacts, CustomerFacts, FieldValue } from './facts.ts';
import type { CampaignConfig, Channel, Condition, ContactType, Operator, Purpose, RelatedPartyType, Source } from './schema.ts';

/** What the engine decided for one customer: one assignment per set where a list's conditions held. */
export interface CustomerDecision {
  payoffuid: string;
  account_number: string;
  /** In configuration order of the sets; sets where no list matched are absent. */
  assignments: readonly ListAssignment[];
}

/** §7 `suppression_type` of a customer-level suppression. */
export type SuppressionType = 'GLOBAL' | 'SET' | 'LIST' | 'CROSS_SET' | 'CROSS_LIST';

export interface AppliedSuppression {
  type: SuppressionType;
  reason: string;
  /** The rule name, or `suppression_feed` for an entry of the suppression feed. */
  origin: string;
}

export interface ListAssignment {
  set_name: string;
  list_name: string;
  channel: Channel;
  purpose: Purpose;
  ab_group: 'A' | 'B' | null;
  /** Every suppression that applies, in the order global → set → list → cross-set → cross-list. */
  suppressions: readonly AppliedSuppression[];
  suppressed: boolean;
  /** Contacts that will be used, in rank order (empty when the customer is suppressed). */
  contacts: readonly SelectedContact[];
  /** Contacts the list's rules selected but that may not be used today, each with its reason. */
  dropped: readonly DroppedContact[];
  /**
   * SPEC §7 `calls_allowed_today`: what the frequency caps in force for the list's channel and purpose leave of
   * the account's attempts today, over the customer's known locations and the states of the contacts kept;
   * null when no cap in force applies to the customer (docs/compliance.md).
   */
  calls_allowed_today: number | null;
}

export interface SelectedContact {
  related_party_type: RelatedPartyType;
  contact_type: ContactType;
  contact_value: string;
  /** 1 = first choice. */
  contact_rank: number;
  /** Set by the compliance filters that compute calling windows (IANA zone, UTC instants); else null. */
  timezone: string | null;
  window_start_utc: string | null;
  window_end_utc: string | null;
}

export interface DroppedContact {
  related_party_type: RelatedPartyType;
  contact_type: ContactType;
  contact_value: string;
  reason: string;
}

/** A contact on its way through the drop filters; filters that compute windows fill them in. */
export interface CandidateContact {
  facts: ContactFacts;
  timezone: string | null;
  window_start_utc: string | null;
  window_end_utc: string | null;
}

/** What a contact filter knows about the list it runs for. */
export interface ListContext {
  set_name: string;
  list_name: string;
  channel: Channel;
  purpose: Purpose;
}

export interface FilterContext {
  /** ISO load date of the run. */
  loadDate: string;
  config: CampaignConfig;
}

/**
 * One step of the contact-drop pipeline (§6.3). When the configuration is compiled, each filter is
 * asked once per list for its check (null: the filter does not apply to that list). Per customer,
 * the engine runs the list's checks in order on every contact left by the previous ones; the first
 * reason returned drops the contact. Compliance filters (frequency caps, calling windows) plug in here.
 */
export interface ContactFilter {
  readonly name: string;
  forList(list: ListContext, context: FilterContext): ContactCheck | null;
  /** A filter that caps counts per account also tells, per list, what is left of them today (null: nothing capped for the list). */
  budgetForList?(list: ListContext, context: FilterContext): AccountBudget | null;
}

/**
 * The attempts the caps leave the account today, for a customer and the contacts it keeps (each contact's
 * area-code state may add its caps); null when no cap applies. Never negative.
 */
export type AccountBudget = (customer: CustomerFacts, contacts: readonly ContactFacts[]) => number | null;

/** A drop reason, or null to keep the contact. A check may fill in the contact's calling window. */
export type ContactCheck = (contact: CandidateContact, customer: CustomerFacts) => string | null;

/** `outbound explain`: the decision plus how it was reached, from the same evaluation. */
export interface CustomerExplanation {
  decision: CustomerDecision;
  sets: SetExplanation[];
}

export interface SetExplanation {
  set_name: string;
  /** Active lists in priority order up to the one that assigned; inactive lists are listed as such. */
  lists: ListExplanation[];
  assigned_list: string | null;
  suppressions: readonly AppliedSuppression[];
  /** Suppression rules evaluated for the assigned list, with their conditions. */
  suppression_rules: RuleExplanation[];
  /** The contact rules tried, in rule_priority order, up to the one whose outputs were used. */
  contact_rules: RuleExplanation[];
  contacts: readonly SelectedContact[];
  dropped: readonly DroppedContact[];
  ab_group: 'A' | 'B' | null;
  calls_allowed_today: number | null;
}

export interface ListExplanation {
  list_name: string;
  priority: number;
  outcome: 'assigned' | 'conditions_not_met' | 'inactive' | 'not_tried';
  conditions: ConditionExplanation | null;
}

export interface RuleExplanation {
  /** Suppression rule name, or `rule_priority N` for a contact rule. */
  rule: string;
  level?: SuppressionType;
  outcome: boolean;
  /** Set when the rule was not evaluated: `suppressed_globally` for an `unless_suppressed_globally` rule of a customer suppressed globally. */
  not_evaluated?: 'suppressed_globally';
  conditions: ConditionExplanation | null;
}

export type ConditionExplanation =
  | { kind: 'all' | 'any'; outcome: boolean | null; children: ConditionExplanation[] }
  | { kind: 'not'; outcome: boolean | null; child: ConditionExplanation }
  /** `matched`: the values of the contacts that met the nested condition (undefined when not evaluated). */
  | { kind: 'any_contact'; outcome: boolean | null; condition: Condition; matched: FieldValue[] | undefined }
  | {
      kind: 'leaf';
      source: Source;
      field: string;
      operator: Operator;
      value: unknown;
      /** The 1-based character compared instead of the whole value. */
      character?: number;
      /** The customer's value; for `contact` fields, the values of all contacts. null outcome = not evaluated (short-circuit). */
      actual: FieldValue | FieldValue[] | undefined;
      outcome: boolean | null;
    };
