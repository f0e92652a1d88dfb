import type { CampaignConfig, Channel, ExportTemplate } from '../campaigns/schema.ts';
import { genesysContactListDefinition, type GenesysContactListDefinition } from '../exports/layout.ts';
import { CALLS_ALLOWED_COLUMN, contactColumns, listTemplate, MAX_EXPORTED_CONTACTS, templateContactGroups } from '../exports/template.ts';

/**
 * What the Genesys Cloud org must hold for the configuration (SPEC §7 "Genesys Cloud round trip",
 * docs/genesys.md): a contact list per call/SMS list that goes to Genesys, with the export's columns;
 * one pre-call rule set refusing a dial outside the dialled number's window or with no call budget
 * left; one DNC list for the suppressed phone numbers. Everything is derived from the lists' export
 * templates (domain/exports/template.ts), so a column added there appears here.
 */

/** A condition of a dialer rule (Genesys `Condition`; only the fields this project uses). */
export interface DialerCondition {
  type: 'contactAttributeCondition' | 'phoneNumberTypeCondition';
  inverted: boolean;
  attributeName?: string;
  value: string;
  valueType: 'STRING' | 'NUMERIC' | 'DATETIME' | 'PERIOD';
  operator: 'EQUALS' | 'LESS_THAN_EQUALS' | 'BEFORE' | 'AFTER';
}

export interface DialerRule {
  name: string;
  order: number;
  category: 'DIALER_PRECALL';
  /** All must hold for the actions to run. */
  conditions: DialerCondition[];
  actions: { type: 'Action'; actionTypeName: 'DO_NOT_DIAL'; properties: Record<string, string> }[];
}

/** Body of `POST /api/v2/outbound/rulesets` (without ids). */
export interface RuleSetDefinition {
  name: string;
  rules: DialerRule[];
}

/** Body of `POST /api/v2/outbound/dnclists`: an internal (`rds`) list of phone numbers. */
export interface DncListDefinition {
  name: string;
  dncSourceType: 'rds';
  contactMethod: 'Phone';
}

export const CALL_RULE_SET_NAME = 'outbound dial window and budget';
export const DNC_LIST_NAME = 'outbound suppressed phones';
export const DNC_LIST: DncListDefinition = { name: DNC_LIST_NAME, dncSourceType: 'rds', contactMethod: 'Phone' };

/** SPEC §7 names of a phone column's own calling window. */
export const windowColumns = (phoneColumn: string) => ({ start: `${phoneColumn}_window_start_utc`, end: `${phoneColumn}_window_end_utc` });

/** "Relative Time" with no offset: the condition compares the column's date-time with the moment of the dial. */
const NOW = 'PT0S';

/** A list of the configuration whose contacts go to a Genesys contact list. */
export interface GenesysBoundList {
  setName: string;
  listName: string;
  channel: Exclude<Channel, 'email'>;
  /** `genesys_list_id` of the configuration: the contact list, when it exists; else the one named `contactListName`. */
  configuredId: string;
  contactListName: string;
  template: ExportTemplate;
}

export function contactListName(setName: string, listName: string): string {
  return `outbound ${setName}/${listName}`;
}

/** Active, exported call and SMS lists with a `genesys_list_id`, in configuration order (email lists go to the email service provider, mail to print). */
export function genesysBoundLists(config: CampaignConfig): GenesysBoundList[] {
  return config.sets.flatMap((set) =>
    set.lists.flatMap((list) => {
      const channel = list.channel ?? set.channel;
      if (!list.active || list.export.held || channel === 'email' || channel === 'mail' || !list.genesys_list_id) return [];
      return [
        {
          setName: set.name,
          listName: list.name,
          channel,
          configuredId: list.genesys_list_id,
          contactListName: contactListName(set.name, list.name),
          template: listTemplate(config, list, channel),
        },
      ];
    }),
  );
}

export interface DesiredGenesysOrg {
  contactLists: { list: GenesysBoundList; definition: GenesysContactListDefinition }[];
  ruleSet: RuleSetDefinition;
  dncList: DncListDefinition;
}

export function desiredGenesysOrg(config: CampaignConfig): DesiredGenesysOrg {
  const bound = genesysBoundLists(config);
  const widest = Math.max(MAX_EXPORTED_CONTACTS, ...bound.map((list) => templateContactGroups(list.template)));
  return {
    contactLists: bound.map((list) => ({ list, definition: genesysContactListDefinition(list.contactListName, list.channel, list.template) })),
    ruleSet: { name: CALL_RULE_SET_NAME, rules: callRules(widest) },
    dncList: DNC_LIST,
  };
}

const doNotDial = [{ type: 'Action', actionTypeName: 'DO_NOT_DIAL', properties: {} }] as DialerRule['actions'];

const attribute = (attributeName: string, operator: DialerCondition['operator'], valueType: DialerCondition['valueType'], value: string): DialerCondition => ({
  type: 'contactAttributeCondition',
  inverted: false,
  attributeName,
  value,
  valueType,
  operator,
});

/**
 * The pre-call rules of call lists: for each phone column k of the widest template, the dial of phone_k is
 * refused when its window starts after now, ended before now, or is blank (fail closed: Genesys does not
 * compare a blank date-time); a contact is refused when `calls_allowed_today` is 0. A blank budget is the
 * export's "no cap applies" (docs/compliance.md), so it does not refuse: the windows still do. Every Genesys
 * template has these columns (templateProblems), so the rules hold for each list.
 */
function callRules(phoneColumns: number): DialerRule[] {
  const rules: Omit<DialerRule, 'order'>[] = [];
  for (let position = 1; position <= phoneColumns; position += 1) {
    const phone = contactColumns('call', position).value;
    const window = windowColumns(phone);
    // The column-level type of phone_k is its own name (genesysContactListDefinition).
    const dialling: DialerCondition = { type: 'phoneNumberTypeCondition', inverted: false, value: phone, valueType: 'STRING', operator: 'EQUALS' };
    rules.push(
      {
        name: `${phone} before its window`,
        category: 'DIALER_PRECALL',
        conditions: [dialling, attribute(window.start, 'AFTER', 'PERIOD', NOW)],
        actions: doNotDial,
      },
      {
        name: `${phone} after its window`,
        category: 'DIALER_PRECALL',
        conditions: [dialling, attribute(window.end, 'BEFORE', 'PERIOD', NOW)],
        actions: doNotDial,
      },
      {
        name: `${phone} without a window`,
        category: 'DIALER_PRECALL',
        conditions: [dialling, attribute(window.start, 'EQUALS', 'STRING', '')],
        actions: doNotDial,
      },
    );
  }
  rules.push({
    name: 'no calls left today',
    category: 'DIALER_PRECALL',
    conditions: [attribute(CALLS_ALLOWED_COLUMN, 'LESS_THAN_EQUALS', 'NUMERIC', '0')],
    actions: doNotDial,
  });
  return rules.map((rule, order) => ({ ...rule, order }));
}
