import type { Condition, ConditionLeaf } from './schema.ts';

/** Every leaf of a condition tree, in document order (an absent condition has none). */
export function conditionLeaves(condition: Condition | undefined): ConditionLeaf[] {
  if (condition === undefined) return [];
  if ('all' in condition) return condition.all.flatMap(conditionLeaves);
  if ('any' in condition) return condition.any.flatMap(conditionLeaves);
  if ('not' in condition) return conditionLeaves(condition.not);
  if ('any_contact' in condition) return conditionLeaves(condition.any_contact);
  return [condition];
}
