import type { GenesysContactListDefinition } from '../exports/layout.ts';
import type { DesiredGenesysOrg, DialerRule, DncListDefinition, GenesysBoundList, RuleSetDefinition } from './definitions.ts';

/**
 * `outbound genesys plan|apply` (docs/genesys.md): the org as it is, compared with the desired state
 * (definitions.ts), gives the changes to make; applying them and planning again gives none.
 */

/** What the org holds, as far as the plan compares it (Genesys entities carry more fields). */
export interface ExistingContactList {
  id: string;
  name: string;
  version: number;
  columnNames: string[];
  phoneColumns?: { columnName: string; type?: string; callableTimeColumn?: string }[];
  emailColumns?: { columnName: string; type?: string; contactableTimeColumn?: string }[];
  automaticTimeZoneMapping?: boolean;
}

export interface ExistingRuleSet {
  id: string;
  name: string;
  version: number;
  rules: DialerRule[];
}

export interface ExistingDncList {
  id: string;
  name: string;
  version: number;
  dncSourceType?: string;
  contactMethod?: string;
}

/** The reads the plan needs (adapters/genesys-client.ts implements them over the Platform API). */
export interface GenesysOrgReader {
  /** undefined when the org has no contact list of that id. */
  contactList(id: string): Promise<ExistingContactList | undefined>;
  contactListByName(name: string): Promise<ExistingContactList | undefined>;
  ruleSetByName(name: string): Promise<ExistingRuleSet | undefined>;
  dncListByName(name: string): Promise<ExistingDncList | undefined>;
}

export type GenesysChange =
  | { kind: 'contact list'; name: string; create: GenesysContactListDefinition }
  | { kind: 'contact list'; name: string; update: GenesysContactListDefinition; id: string; version: number; differences: string[] }
  | { kind: 'rule set'; name: string; create: RuleSetDefinition }
  | { kind: 'rule set'; name: string; update: RuleSetDefinition; id: string; version: number; differences: string[] }
  | { kind: 'DNC list'; name: string; create: DncListDefinition }
  | { kind: 'DNC list'; name: string; update: DncListDefinition; id: string; version: number; differences: string[] };

export interface GenesysPlan {
  changes: GenesysChange[];
  /** Facts the operator should know that are not changes (a configured id not found). */
  notes: string[];
}

/**
 * The contact list a list goes to: the one of its `genesys_list_id` when the org has it, else the one
 * named after the list (created by `apply`). One rule for the plan and the daily push.
 */
export async function resolveContactList(
  org: GenesysOrgReader,
  list: Pick<GenesysBoundList, 'configuredId' | 'contactListName'>,
): Promise<ExistingContactList | undefined> {
  return (await org.contactList(list.configuredId)) ?? (await org.contactListByName(list.contactListName));
}

export async function planGenesysOrg(org: GenesysOrgReader, desired: DesiredGenesysOrg): Promise<GenesysPlan> {
  const changes: GenesysChange[] = [];
  const notes: string[] = [];
  for (const { list, definition } of desired.contactLists) {
    const existing = await resolveContactList(org, list);
    if (!existing) {
      changes.push({ kind: 'contact list', name: definition.name, create: definition });
      continue;
    }
    if (existing.id !== list.configuredId) {
      notes.push(
        `${list.setName}/${list.listName}: genesys_list_id ${list.configuredId} is not in the org; the list goes to contact list "${existing.name}" (${existing.id})`,
      );
    }
    // A list found by its configured id keeps the name the org gave it.
    const wanted = { ...definition, name: existing.name };
    const differences = contactListDifferences(existing, wanted);
    if (differences.length > 0)
      changes.push({ kind: 'contact list', name: existing.name, update: wanted, id: existing.id, version: existing.version, differences });
  }
  const ruleSet = await org.ruleSetByName(desired.ruleSet.name);
  if (!ruleSet) changes.push({ kind: 'rule set', name: desired.ruleSet.name, create: desired.ruleSet });
  else {
    const differences = ruleDifferences(ruleSet.rules, desired.ruleSet.rules);
    if (differences.length > 0)
      changes.push({ kind: 'rule set', name: ruleSet.name, update: desired.ruleSet, id: ruleSet.id, version: ruleSet.version, differences });
  }
  const dncList = await org.dncListByName(desired.dncList.name);
  if (!dncList) changes.push({ kind: 'DNC list', name: desired.dncList.name, create: desired.dncList });
  else {
    const differences = (['dncSourceType', 'contactMethod'] as const)
      .filter((field) => dncList[field] !== desired.dncList[field])
      .map((field) => `${field}: ${dncList[field] ?? 'unset'} → ${desired.dncList[field]}`);
    if (differences.length > 0)
      changes.push({ kind: 'DNC list', name: dncList.name, update: desired.dncList, id: dncList.id, version: dncList.version, differences });
  }
  return { changes, notes };
}

function contactListDifferences(existing: ExistingContactList, wanted: GenesysContactListDefinition): string[] {
  const differences: string[] = [];
  const added = wanted.columnNames.filter((column) => !existing.columnNames.includes(column));
  const removed = existing.columnNames.filter((column) => !wanted.columnNames.includes(column));
  if (added.length > 0) differences.push(`columns added: ${added.join(', ')}`);
  if (removed.length > 0) differences.push(`columns removed: ${removed.join(', ')}`);
  if (added.length === 0 && removed.length === 0 && existing.columnNames.join() !== wanted.columnNames.join()) differences.push('column order');
  const declared = (columns: readonly { columnName: string; type?: string; callableTimeColumn?: string; contactableTimeColumn?: string }[] | undefined) =>
    (columns ?? [])
      .map((column) => `${column.columnName}:${column.type ?? ''}:${column.callableTimeColumn ?? column.contactableTimeColumn ?? ''}`)
      .sort()
      .join();
  if (declared(existing.phoneColumns) !== declared(wanted.phoneColumns)) differences.push('phone columns (type, time-zone column)');
  if (declared(existing.emailColumns) !== declared(wanted.emailColumns)) differences.push('email columns (type, time-zone column)');
  if (existing.automaticTimeZoneMapping !== false) differences.push('automaticTimeZoneMapping → false');
  return differences;
}

/** The rules as the plan compares them: the fields the project sets, in a fixed key order. */
function ruleKey(rule: DialerRule): string {
  return JSON.stringify({
    name: rule.name,
    order: rule.order,
    category: rule.category,
    conditions: rule.conditions.map(({ type, inverted, attributeName, value, valueType, operator }) => ({
      type,
      inverted: inverted ?? false,
      attributeName,
      value,
      valueType,
      operator,
    })),
    actions: rule.actions.map(({ type, actionTypeName, properties }) => ({ type, actionTypeName, properties: properties ?? {} })),
  });
}

function ruleDifferences(existing: readonly DialerRule[], wanted: readonly DialerRule[]): string[] {
  const existingKeys = new Map(existing.map((rule) => [rule.name, ruleKey(rule)]));
  const wantedKeys = new Map(wanted.map((rule) => [rule.name, ruleKey(rule)]));
  const differences: string[] = [];
  const added = wanted.filter((rule) => !existingKeys.has(rule.name)).map((rule) => rule.name);
  const removed = existing.filter((rule) => !wantedKeys.has(rule.name)).map((rule) => rule.name);
  const changed = wanted.filter((rule) => existingKeys.has(rule.name) && existingKeys.get(rule.name) !== wantedKeys.get(rule.name)).map((rule) => rule.name);
  if (added.length > 0) differences.push(`rules added: ${added.join(', ')}`);
  if (removed.length > 0) differences.push(`rules removed: ${removed.join(', ')}`);
  if (changed.length > 0) differences.push(`rules changed: ${changed.join(', ')}`);
  return differences;
}

/** The writes `apply` makes (each PUT carries the version read by the plan: a concurrent edit fails it). */
export interface GenesysOrgWriter {
  createContactList(definition: GenesysContactListDefinition): Promise<{ id: string }>;
  updateContactList(id: string, version: number, definition: GenesysContactListDefinition): Promise<void>;
  createRuleSet(definition: RuleSetDefinition): Promise<{ id: string }>;
  updateRuleSet(id: string, version: number, definition: RuleSetDefinition): Promise<void>;
  createDncList(definition: DncListDefinition): Promise<{ id: string }>;
  updateDncList(id: string, version: number, definition: DncListDefinition): Promise<void>;
}

/** Makes the plan's changes, in plan order; returns one line per change made. */
export async function applyGenesysPlan(org: GenesysOrgWriter, plan: GenesysPlan): Promise<string[]> {
  const done: string[] = [];
  for (const change of plan.changes) {
    if ('create' in change) {
      const { id } =
        change.kind === 'contact list'
          ? await org.createContactList(change.create)
          : change.kind === 'rule set'
            ? await org.createRuleSet(change.create)
            : await org.createDncList(change.create);
      done.push(`created ${change.kind} "${change.name}" (${id})`);
      continue;
    }
    if (change.kind === 'contact list') await org.updateContactList(change.id, change.version, change.update);
    else if (change.kind === 'rule set') await org.updateRuleSet(change.id, change.version, change.update);
    else await org.updateDncList(change.id, change.version, change.update);
    done.push(`updated ${change.kind} "${change.name}" (${change.id})`);
  }
  return done;
}

/** The plan as `outbound genesys plan` prints it. */
export function formatGenesysPlan(plan: GenesysPlan): string {
  const lines = plan.changes.map((change) =>
    'create' in change
      ? `+ create ${change.kind} "${change.name}"${describeCreated(change)}`
      : `~ update ${change.kind} "${change.name}" (${change.id}): ${change.differences.join('; ')}`,
  );
  if (lines.length === 0) lines.push('nothing to do: the Genesys Cloud org is in step with the configuration');
  return [...lines, ...plan.notes.map((note) => `note: ${note}`)].join('\n');
}

function describeCreated(change: Extract<GenesysChange, { create: unknown }>): string {
  if (change.kind === 'contact list') {
    const contactColumns = change.create.phoneColumns.length + change.create.emailColumns.length;
    return ` (${change.create.columnNames.length} columns, ${contactColumns} ${change.create.phoneColumns.length > 0 ? 'phone' : 'email'} columns)`;
  }
  if (change.kind === 'rule set') return ` (${change.create.rules.length} pre-call rules, DO_NOT_DIAL)`;
  return ` (${change.create.contactMethod}, ${change.create.dncSourceType})`;
}
