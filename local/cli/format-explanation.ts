import type { ConditionExplanation, CustomerExplanation, RuleExplanation } from '../../domain/campaigns/decision.ts';
import type { CustomerFacts } from '../../domain/campaigns/facts.ts';

/**
 * `outbound explain` as text: every set, every list tried with each condition's value and outcome,
 * every suppression rule evaluated, the contact rules tried, each contact kept or dropped and why.
 * It only renders the engine's explanation; it decides nothing.
 */
export function formatExplanation(explanation: CustomerExplanation, header: string, facts?: CustomerFacts): string {
  const lines = [header, ...(facts === undefined ? [] : factLines(facts))];
  for (const set of explanation.sets) {
    const verdict = set.assigned_list === null ? 'no list' : `→ ${set.assigned_list}${set.suppressions.length > 0 ? ' (suppressed)' : ''}`;
    lines.push('', `set ${set.set_name}: ${verdict}${set.ab_group ? `, A/B group ${set.ab_group}` : ''}`);
    for (const list of set.lists) {
      lines.push(`  list ${list.list_name} (priority ${list.priority}): ${list.outcome.replaceAll('_', ' ')}`);
      if (list.conditions) lines.push(...conditionLines(list.conditions, 4));
    }
    if (set.suppression_rules.length > 0) lines.push('  suppression rules:', ...set.suppression_rules.flatMap((rule) => ruleLines(rule)));
    for (const suppression of set.suppressions) {
      lines.push(`  SUPPRESSED ${suppression.type} ${suppression.reason} (${suppression.origin})`);
    }
    if (set.contact_rules.length > 0) lines.push('  contact rules:', ...set.contact_rules.flatMap((rule) => ruleLines(rule)));
    for (const contact of set.contacts) {
      const window = contact.window_start_utc ? `, window ${contact.window_start_utc} – ${contact.window_end_utc} (${contact.timezone})` : '';
      lines.push(`  contact #${contact.contact_rank} ${contact.contact_type} ${contact.contact_value} (${contact.related_party_type})${window}`);
    }
    for (const dropped of set.dropped) {
      lines.push(`  dropped ${dropped.contact_type} ${dropped.contact_value} (${dropped.related_party_type}): ${dropped.reason}`);
    }
    if (set.calls_allowed_today !== null) lines.push(`  calls allowed today: ${set.calls_allowed_today} (frequency caps)`);
  }
  return lines.join('\n');
}

/** Fields left out of the facts block: names, the street address and the loan's display id are not needed to read a decision. */
const UNPRINTED = new Set(['loan.loan_id', 'customer.first_name', 'customer.last_name', 'customer.address_1', 'customer.address_2', 'customer.city']);

/** The facts the rules read, by source (loan, customer, derived, list history), with their values. */
function factLines(facts: CustomerFacts): string[] {
  const sources: [string, object | undefined][] = [
    ['loan', facts.loan],
    ['customer', facts.customer],
    ['derived', facts.derived],
    ['list_history', facts.list_history],
  ];
  return [
    '',
    'facts:',
    ...sources.flatMap(([source, values]) => {
      const shown = Object.entries(values ?? {}).filter(([field]) => !UNPRINTED.has(`${source}.${field}`));
      return shown.length === 0 ? [] : [`  ${source}: ${shown.map(([field, value]) => `${field}=${JSON.stringify(value ?? null)}`).join(', ')}`];
    }),
  ];
}

function ruleLines(rule: RuleExplanation): string[] {
  return [
    `    ${rule.level ? `${rule.level} ` : ''}${rule.rule}: ${rule.not_evaluated === 'suppressed_globally' ? 'not evaluated (suppressed globally)' : rule.outcome ? 'holds' : 'does not hold'}`,
    ...(rule.conditions ? conditionLines(rule.conditions, 6) : []),
  ];
}

function conditionLines(condition: ConditionExplanation, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const outcome = (value: boolean | null) => (value === null ? 'not evaluated' : value ? 'true' : 'false');
  switch (condition.kind) {
    case 'leaf': {
      const expected = condition.value === undefined ? '' : ` ${JSON.stringify(condition.value)}`;
      const actual = condition.outcome === null ? '' : ` — value ${JSON.stringify(condition.actual ?? null)}`;
      const character = condition.character === undefined ? '' : ` character ${condition.character}`;
      return [`${pad}${condition.source}.${condition.field}${character} ${condition.operator}${expected}: ${outcome(condition.outcome)}${actual}`];
    }
    case 'any_contact': {
      const matched = condition.outcome === null ? '' : ` — contacts ${JSON.stringify(condition.matched ?? [])}`;
      return [`${pad}any_contact ${JSON.stringify(condition.condition)}: ${outcome(condition.outcome)}${matched}`];
    }
    case 'not':
      return [`${pad}not: ${outcome(condition.outcome)}`, ...conditionLines(condition.child, indent + 2)];
    default:
      if (condition.children.length === 0) return [`${pad}(no conditions): true`];
      return [`${pad}${condition.kind}: ${outcome(condition.outcome)}`, ...condition.children.flatMap((child) => conditionLines(child, indent + 2))];
  }
}
