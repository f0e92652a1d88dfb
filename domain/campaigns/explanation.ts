import type { ConditionShape } from './condition-compiler.ts';
import type { FieldValue } from './facts.ts';
import type { ConditionExplanation, CustomerDecision, CustomerExplanation, ListExplanation, RuleExplanation } from './decision.ts';
import type { CompiledRule, CompiledSet, EvaluationTrace } from './engine.ts';

/**
 * Turns the trace of one evaluation into `explain`'s account: for every set, the lists in priority
 * order with their conditions, the suppression rules evaluated, the contact rules tried, and the
 * decision's own contacts and drops. Nothing here decides anything; it only reads the trace.
 */
export function explainCustomer(
  { sets, globalRules }: { sets: readonly CompiledSet[]; globalRules: readonly CompiledRule[] },
  decision: CustomerDecision,
  trace: EvaluationTrace,
): CustomerExplanation {
  return {
    decision,
    sets: sets.map((set) => {
      const assignment = decision.assignments.find((candidate) => candidate.set_name === set.definition.name);
      const assignedList = set.lists.find((list) => list.definition.name === assignment?.list_name);
      const lists: ListExplanation[] = set.lists.map((list) => {
        const outcome = trace.rules.get(list.definition);
        return {
          list_name: list.definition.name,
          priority: list.definition.priority,
          outcome: list.shape === null ? 'inactive' : outcome === undefined ? 'not_tried' : outcome ? 'assigned' : 'conditions_not_met',
          conditions: outcome === undefined || list.shape === null ? null : explainShape(list.shape, trace),
        };
      });
      const suppressionRules = assignedList
        ? [...globalRules, ...set.suppressionRules, ...assignedList.suppressionRules].flatMap((rule) => ruleExplanation(rule, trace))
        : [];
      const contactRules = (assignedList?.contactRules ?? []).flatMap((rule): RuleExplanation[] => {
        const outcome = trace.rules.get(rule.definition);
        return outcome === undefined ? [] : [{ rule: `rule_priority ${rule.rulePriority}`, outcome, conditions: explainShape(rule.condition.shape, trace) }];
      });
      return {
        set_name: set.definition.name,
        lists,
        assigned_list: assignment?.list_name ?? null,
        suppressions: assignment?.suppressions ?? [],
        suppression_rules: suppressionRules,
        contact_rules: contactRules,
        contacts: assignment?.contacts ?? [],
        dropped: assignment?.dropped ?? [],
        ab_group: assignment?.ab_group ?? null,
        calls_allowed_today: assignment?.calls_allowed_today ?? null,
      };
    }),
  };
}

function ruleExplanation(rule: CompiledRule, trace: EvaluationTrace): RuleExplanation[] {
  const outcome = trace.rules.get(rule.definition);
  if (outcome === undefined) {
    // Every rule of the assigned list's levels is evaluated, except those a global suppression skips.
    return rule.definition.unless_suppressed_globally
      ? [{ rule: rule.name, level: rule.level, outcome: false, not_evaluated: 'suppressed_globally', conditions: null }]
      : [];
  }
  return [{ rule: rule.name, level: rule.level, outcome, conditions: explainShape(rule.condition.shape, trace) }];
}

function explainShape(shape: ConditionShape, trace: EvaluationTrace): ConditionExplanation {
  switch (shape.kind) {
    case 'leaf': {
      const recorded = trace.leaves.get(shape.id);
      const { source, field, operator, value, character } = shape.leaf;
      const leaf = { kind: 'leaf', source, field, operator, value, actual: recorded?.actual, outcome: recorded?.outcome ?? null } as const;
      return character === undefined ? leaf : { ...leaf, character };
    }
    case 'any_contact': {
      const recorded = trace.leaves.get(shape.id);
      return { kind: 'any_contact', condition: shape.condition, matched: recorded?.actual as FieldValue[] | undefined, outcome: recorded?.outcome ?? null };
    }
    case 'not': {
      const child = explainShape(shape.child, trace);
      return { kind: 'not', outcome: child.outcome === null ? null : !child.outcome, child };
    }
    default: {
      const children = shape.children.map((child) => explainShape(child, trace));
      return { kind: shape.kind, outcome: groupOutcome(shape.kind, children), children };
    }
  }
}

/** A group's outcome from its evaluated children: short-circuit leaves the rest unevaluated. */
function groupOutcome(kind: 'all' | 'any', children: readonly ConditionExplanation[]): boolean | null {
  const decisive = kind === 'any';
  if (children.some((child) => child.outcome === decisive)) return decisive;
  if (children.every((child) => child.outcome === !decisive)) return !decisive;
  return null;
}
