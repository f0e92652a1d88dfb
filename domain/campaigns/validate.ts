import { isIsoDate } from '../values/load-date.ts';
import {
  alternatives,
  describeValue,
  formatPath,
  issueMessage,
  zodProblems,
  type ConfigPath,
  type ConfigProblem,
  type LocatedProblem,
} from './config-problems.ts';
import { fieldRegistry, OPERATORS_BY_TYPE, type FieldDefinition } from './fields.ts';
import { resolveListReference } from './references.ts';
import { templateProblems } from '../exports/template.ts';
import {
  campaignConfigSchema,
  CHANNEL_CONTACT_TYPES,
  exportTemplateSchema,
  CHANNELS,
  CONTACT_TYPE_SELECTORS,
  DATA_TYPES,
  OPERATORS,
  SOURCES,
  type CampaignConfig,
  type Channel,
  type CustomField,
  type DataType,
  type ExportTemplate,
  type ListHistoryFact,
  type Operator,
  type Source,
} from './schema.ts';

export type { ConfigProblem } from './config-problems.ts';

export type CampaignConfigResult = { ok: true; config: CampaignConfig } | { ok: false; problems: ConfigProblem[] };

/** Finds the line of the node at a path, when the configuration came from a file. */
export type LineLocator = (path: ConfigPath) => number | undefined;

/**
 * Parses a campaign configuration (the value of the YAML or JSON document) and checks what the
 * schema cannot: names, references, fields and the values compared with them (§5). Every problem
 * is reported at once: zod's, then the semantic ones, which are checked on every part of the input
 * whose shape allows it, so a typo in one list does not hide a wrong reference in another.
 */
export function parseCampaignConfig(input: unknown, locate?: LineLocator): CampaignConfigResult {
  const parsed = campaignConfigSchema.safeParse(input, { error: issueMessage });
  const structural = parsed.success ? [] : zodProblems(parsed.error.issues, input);
  const reported = new Set(structural.map((problem) => formatPath(problem.path)));
  // One problem per path: a value the schema refused is not described a second time.
  const problems = [...structural, ...semanticProblems(input).filter((problem) => !reported.has(formatPath(problem.path)))];
  if (parsed.success && problems.length === 0) return { ok: true, config: parsed.data };
  return {
    ok: false,
    problems: problems.map(({ path, message }) => {
      const line = locate?.(path);
      return line === undefined ? { path: formatPath(path), message } : { path: formatPath(path), message, line };
    }),
  };
}

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);
const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T => values.includes(value as T);
/** The elements of an array that are objects, with their indexes; nothing when it is not an array. */
const nodes = (value: unknown): [number, Node][] =>
  Array.isArray(value) ? value.flatMap((element, index) => (isNode(element) ? [[index, element] as [number, Node]] : [])) : [];
const strings = (value: unknown): [number, string][] =>
  Array.isArray(value) ? value.flatMap((element, index) => (typeof element === 'string' ? [[index, element] as [number, string]] : [])) : [];
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function semanticProblems(input: unknown): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  if (!isNode(input)) return problems;
  const report = (path: ConfigPath, message: string) => problems.push({ path, message });

  const customFields = nodes(input.custom_fields);
  reportDuplicates(
    customFields.map(([i, field]) => [['custom_fields', i, 'name'], field.name]),
    'custom field',
    report,
  );
  const wellFormed = customFields
    .map(([, field]) => field)
    .filter((field): field is CustomField => typeof field.name === 'string' && isOneOf(DATA_TYPES, field.data_type))
    .filter((field, i, fields) => fields.findIndex((other) => other.name === field.name) === i);
  // A malformed custom_fields entry (already reported by the schema) may be the one a condition names.
  const allCustomFieldsKnown = input.custom_fields === undefined || (Array.isArray(input.custom_fields) && wellFormed.length === input.custom_fields.length);
  const listHistory = nodes(input.list_history);
  reportDuplicates(
    listHistory.map(([i, fact]) => [['list_history', i, 'name'], fact.name]),
    'list-history fact',
    report,
  );
  const historyFacts = listHistory
    .map(([, fact]) => fact)
    .filter((fact): fact is ListHistoryFact => typeof fact.name === 'string')
    .filter((fact, i, facts) => facts.findIndex((other) => other.name === fact.name) === i);
  const conditions = conditionChecker(fieldRegistry(wellFormed, historyFacts), allCustomFieldsKnown, report);

  checkSuppressionRules(input.suppression_rules, ['suppression_rules'], conditions, report);
  for (const [i, rule] of nodes(input.suppression_rules)) {
    if (rule.unless_suppressed_globally === true) {
      report(['suppression_rules', i, 'unless_suppressed_globally'], 'applies to set and list rules: a global rule is itself a global suppression');
    }
  }

  const sets = nodes(input.sets);
  reportDuplicates(
    sets.map(([i, set]) => [['sets', i, 'name'], set.name]),
    'set name',
    report,
  );
  const setNames = sets.map(([, set]) => text(set.name));
  // A reference to a name that exists nowhere is reported when every set and list has a name (a
  // malformed one, reported already, may be the one it means). Ambiguity and same-set references are
  // judged only when those names are also unique in their set.
  const wellNamed = (value: unknown, unique: boolean) => {
    const items = nodes(value);
    const named = items.flatMap(([, item]) => (typeof item.name === 'string' ? [item.name] : []));
    return Array.isArray(value) && named.length === value.length && (!unique || new Set(named).size === named.length);
  };
  const allNamed = wellNamed(input.sets, false) && sets.every(([, set]) => wellNamed(set.lists, false));
  const referencesResolvable = allNamed && sets.every(([, set]) => wellNamed(set.lists, true));
  const names = { sets: sets.map(([, set]) => ({ name: text(set.name) ?? '', lists: nodes(set.lists).map(([, list]) => ({ name: text(list.name) ?? '' })) })) };

  for (const [factIndex, fact] of listHistory) {
    for (const [i, reference] of strings(fact.lists)) {
      const resolved = resolveListReference(names, reference);
      if (!resolved.ok && (resolved.kind === 'unknown' ? allNamed : referencesResolvable)) report(['list_history', factIndex, 'lists', i], resolved.problem);
    }
  }

  const templateNodes = nodes(input.export_templates);
  reportDuplicates(
    templateNodes.map(([i, template]) => [['export_templates', i, 'name'], template.name]),
    'export template',
    report,
  );
  const templates = new Map<string, ExportTemplate>();
  for (const [, node] of templateNodes) {
    const parsed = exportTemplateSchema.safeParse(node);
    if (parsed.success && !templates.has(parsed.data.name)) templates.set(parsed.data.name, parsed.data);
  }
  const templatesValid =
    templateNodes.length === (Array.isArray(input.export_templates) ? input.export_templates.length : 0) && templates.size === templateNodes.length;

  sets.forEach(([setIndex, set], position) => {
    const setPath = ['sets', setIndex];
    const setName = text(set.name);
    for (const [i, reference] of strings(set.exclude_if_assigned_in)) {
      const path = [...setPath, 'exclude_if_assigned_in', i];
      if (reference === setName) report(path, 'a set cannot exclude itself');
      else if (allNamed && !setNames.includes(reference)) {
        report(path, `unknown set ${JSON.stringify(reference)}; sets are ${alternatives([...new Set(setNames)].map((name) => JSON.stringify(name)))}`);
      }
    }
    checkSuppressionRules(set.suppression_rules, [...setPath, 'suppression_rules'], conditions, report);

    const lists = nodes(set.lists);
    reportDuplicates(
      lists.map(([i, list]) => [[...setPath, 'lists', i, 'name'], list.name]),
      'list name',
      report,
      ' in the set',
    );
    reportDuplicates(
      lists.map(([i, list]) => [[...setPath, 'lists', i, 'priority'], list.priority]),
      'priority',
      report,
      ' in the set',
    );
    for (const [listIndex, list] of lists) {
      const listPath = [...setPath, 'lists', listIndex];
      conditions(list.conditions, [...listPath, 'conditions']);
      checkSuppressionRules(list.suppression_rules, [...listPath, 'suppression_rules'], conditions, report);
      if (list.distribution !== undefined && list.target_size === undefined) report([...listPath, 'distribution'], 'a distribution needs a target_size');
      for (const [i, reference] of strings(list.exclude_if_on_lists)) {
        const resolved = resolveListReference(names, reference);
        const path = [...listPath, 'exclude_if_on_lists', i];
        if (!resolved.ok) {
          if (resolved.kind === 'unknown' ? allNamed : referencesResolvable) report(path, resolved.problem);
        } else if (referencesResolvable && resolved.setIndex === position)
          report(path, `${JSON.stringify(reference)} is a list of the same set, where a customer is on one list at most`);
      }
      const channel = isOneOf(CHANNELS, list.channel) ? list.channel : list.channel === undefined && isOneOf(CHANNELS, set.channel) ? set.channel : undefined;
      checkContactRules(list.contact_rules, [...listPath, 'contact_rules'], channel, conditions, report);
      if (isNode(list.export)) checkListExport(list.export, [...listPath, 'export'], channel, templates, templatesValid, report);
    }
  });
  return problems;
}

type Report = (path: ConfigPath, message: string) => void;

/** A list's `export`: a template of `export_templates` that fits its channel; held lists have no file to template or deliver. */
function checkListExport(
  node: Node,
  path: ConfigPath,
  channel: Channel | undefined,
  templates: ReadonlyMap<string, ExportTemplate>,
  templatesValid: boolean,
  report: Report,
): void {
  if (node.held === true) {
    if (node.template !== undefined) report([...path, 'template'], 'a held list gets no file: drop the template or held');
    if (node.delivery !== undefined) report([...path, 'delivery'], 'a held list gets no file: drop the delivery or held');
    return;
  }
  const name = text(node.template);
  if (name === undefined) return;
  const template = templates.get(name);
  if (!template) {
    const known =
      templates.size === 0 ? 'export_templates declares none' : `export templates are ${alternatives([...templates.keys()].map((key) => JSON.stringify(key)))}`;
    if (templatesValid) report([...path, 'template'], `unknown export template ${JSON.stringify(name)}; ${known}`);
    return;
  }
  if (channel === undefined) return;
  for (const problem of templateProblems(template, channel))
    report([...path, 'template'], `export template ${JSON.stringify(name)} on a ${channel} list ${problem}`);
}

type ConditionCheck = (condition: unknown, path: ConfigPath) => void;

function reportDuplicates(entries: [ConfigPath, unknown][], what: string, report: Report, scope = ''): void {
  const first = new Map<unknown, ConfigPath>();
  for (const [path, key] of entries) {
    if (typeof key !== 'string' && typeof key !== 'number') continue;
    const seen = first.get(key);
    if (seen === undefined) first.set(key, path);
    else report(path, `duplicate ${what} ${JSON.stringify(key)}${scope}, first at ${formatPath(seen)}`);
  }
}

function checkSuppressionRules(rules: unknown, path: ConfigPath, conditions: ConditionCheck, report: Report): void {
  const items = nodes(rules);
  reportDuplicates(
    items.map(([i, rule]) => [[...path, i, 'name'], rule.name]),
    'suppression rule name',
    report,
    ' at this level',
  );
  for (const [i, rule] of items) conditions(rule.conditions, [...path, i, 'conditions']);
}

function checkContactRules(rules: unknown, path: ConfigPath, channel: Channel | undefined, conditions: ConditionCheck, report: Report): void {
  const items = nodes(rules);
  reportDuplicates(
    items.map(([i, rule]) => [[...path, i, 'rule_priority'], rule.rule_priority]),
    'rule_priority',
    report,
    ' in the list',
  );
  for (const [i, rule] of items) {
    if (rule.conditions !== undefined) conditions(rule.conditions, [...path, i, 'conditions']);
    if (rule.contact_conditions !== undefined) {
      conditions(rule.contact_conditions, [...path, i, 'contact_conditions']);
      reportNonContactLeaves(rule.contact_conditions, [...path, i, 'contact_conditions'], report);
    }
    if (channel === undefined) continue;
    const usable = CHANNEL_CONTACT_TYPES[channel];
    const outputs: [ConfigPath, Node][] = isNode(rule.outputs)
      ? [[[...path, i, 'outputs'], rule.outputs]]
      : nodes(rule.outputs).map(([j, output]) => [[...path, i, 'outputs', j], output]);
    for (const [outputPath, output] of outputs) {
      const type = output.contact_type;
      if (isOneOf(CONTACT_TYPE_SELECTORS, type) && type !== 'all' && !usable.includes(type)) {
        report(
          [...outputPath, 'contact_type'],
          `contact type "${type}" cannot be used on a ${channel} list; use ${alternatives([...usable, 'all'].map((t) => JSON.stringify(t)))}`,
        );
      }
    }
  }
}

/** `contact_conditions` are tested on one contact at a time: every leaf must read a contact field. */
function reportNonContactLeaves(condition: unknown, path: ConfigPath, report: Report): void {
  if (!isNode(condition)) return;
  for (const group of ['all', 'any'] as const) {
    if (Array.isArray(condition[group]))
      condition[group].forEach((child, i) => {
        reportNonContactLeaves(child, [...path, group, i], report);
      });
  }
  if (condition.not !== undefined) reportNonContactLeaves(condition.not, [...path, 'not'], report);
  if (condition.any_contact !== undefined) reportNonContactLeaves(condition.any_contact, [...path, 'any_contact'], report);
  if (isOneOf(SOURCES, condition.source) && condition.source !== 'contact') {
    report(
      [...path, 'source'],
      `contact_conditions and any_contact test one contact at a time: expected source "contact", got "${condition.source}"; put customer-level conditions outside them`,
    );
  }
}

/** Checks every leaf of a condition tree against the field registry: field, operator, value. */
function conditionChecker(registry: ReturnType<typeof fieldRegistry>, allCustomFieldsKnown: boolean, report: Report): ConditionCheck {
  const leaf = (node: Node, path: ConfigPath) => {
    const { source, field, operator } = node;
    if (!isOneOf(SOURCES, source) || typeof field !== 'string') return;
    const definition = registry.lookup(source, field);
    if (definition === undefined) {
      if (source !== 'custom_field' || allCustomFieldsKnown) report([...path, 'field'], unknownField(source, field, registry.names(source)));
      return;
    }
    if (!isOneOf(OPERATORS, operator)) return;
    if (node.character !== undefined) {
      const problem = characterProblem(definition, operator, node.value, path);
      if (problem !== null) report(problem.path, problem.message);
      return;
    }
    const admitted = OPERATORS_BY_TYPE[definition.dataType];
    if (!admitted.includes(operator)) {
      report(
        [...path, 'operator'],
        `operator "${operator}" does not apply to the ${definition.dataType} field ${source}.${field}; use one of ${admitted.map((o) => JSON.stringify(o)).join(', ')}`,
      );
      return;
    }
    const problem = valueProblem(definition, operator, node.value, path);
    if (problem !== null) report(problem.path, problem.message);
  };
  const check: ConditionCheck = (condition, path) => {
    if (!isNode(condition)) return;
    for (const group of ['all', 'any'] as const) {
      if (Array.isArray(condition[group]))
        condition[group].forEach((child, i) => {
          check(child, [...path, group, i]);
        });
    }
    if (condition.not !== undefined) check(condition.not, [...path, 'not']);
    if (condition.any_contact !== undefined) {
      check(condition.any_contact, [...path, 'any_contact']);
      reportNonContactLeaves(condition.any_contact, [...path, 'any_contact'], report);
    }
    if ('source' in condition || 'field' in condition || 'operator' in condition) leaf(condition, path);
  };
  return check;
}

/** The operators a `character` leaf admits: comparisons of one character. */
const CHARACTER_OPERATORS: readonly Operator[] = ['=', '!=', 'in', 'not_in', 'between', 'is_null', 'is_not_null'];

/** A `character` leaf reads one character of a string field, compared with single characters. */
function characterProblem(definition: FieldDefinition, operator: Operator, value: unknown, leafPath: ConfigPath): LocatedProblem | null {
  const field = `${definition.source}.${definition.name}`;
  if (definition.dataType !== 'string')
    return { path: [...leafPath, 'character'], message: `character applies to string fields; ${field} is a ${definition.dataType}` };
  if (!CHARACTER_OPERATORS.includes(operator)) {
    return {
      path: [...leafPath, 'operator'],
      message: `operator "${operator}" does not apply to one character of ${field}; use one of ${CHARACTER_OPERATORS.map((o) => JSON.stringify(o)).join(', ')}`,
    };
  }
  const problem = valueProblem(definition, operator, value, leafPath);
  if (problem !== null) return problem;
  const values: unknown[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const long = values.findIndex((element) => typeof element === 'string' && [...element].length !== 1);
  if (long < 0) return null;
  return {
    path: Array.isArray(value) ? [...leafPath, 'value', long] : [...leafPath, 'value'],
    message: `expected one character, got ${describeValue(values[long])}`,
  };
}

function unknownField(source: Source, field: string, known: string[]): string {
  if (source === 'custom_field' && known.length === 0) return `unknown custom field "${field}"; declare it under custom_fields`;
  return `unknown ${source} field "${field}"; ${source} fields are ${known.join(', ')}`;
}

function valueProblem(definition: FieldDefinition, operator: Operator, value: unknown, leafPath: ConfigPath): LocatedProblem | null {
  const path = [...leafPath, 'value'];
  const type = definition.dataType;
  const at = (message: string, where: ConfigPath = path) => ({ path: where, message });
  if (operator === 'is_null' || operator === 'is_not_null') return value === undefined ? null : at(`operator "${operator}" takes no value`);
  if (value === undefined) return at(`required: operator "${operator}" compares ${definition.source}.${definition.name} with a value`);
  if (operator === 'days_since >' || operator === 'days_since <') {
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? null : at(`expected a non-negative number of days, got ${describeValue(value)}`);
  }
  if (operator === 'in' || operator === 'not_in') {
    if (!Array.isArray(value) || value.length === 0) return at(`expected a non-empty list of ${type} values for "${operator}", got ${describeValue(value)}`);
    for (const [i, element] of value.entries()) {
      const problem = typeProblem(type, element);
      if (problem !== null) return at(problem, [...path, i]);
    }
    return null;
  }
  if (operator === 'between') {
    if (!Array.isArray(value) || value.length !== 2) return at(`expected [low, high] for "between", got ${describeValue(value)}`);
    for (const [i, element] of value.entries()) {
      const problem = typeProblem(type, element);
      if (problem !== null) return at(problem, [...path, i]);
    }
    return value[0] <= value[1] ? null : at(`expected low <= high, got [${value.map((v) => JSON.stringify(v)).join(', ')}]`);
  }
  if (Array.isArray(value)) return at(`expected ${type}, got a list; "in" compares with several values`);
  const problem = typeProblem(type, value);
  return problem === null ? null : at(problem);
}

function typeProblem(type: DataType, value: unknown): string | null {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : `expected number, got ${describeValue(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `expected boolean, got ${describeValue(value)}`;
    case 'string':
      if (typeof value === 'string') return null;
      return `expected string, got ${describeValue(value)}${typeof value === 'number' || typeof value === 'boolean' ? ' (quote it in YAML)' : ''}`;
    case 'date':
      if (typeof value === 'string' && isIsoDate(value)) return null;
      return `expected date YYYY-MM-DD (a real calendar day), got ${describeValue(value)}`;
  }
}
