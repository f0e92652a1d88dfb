import { addDays } from './dates.ts';
import type { CustomerFacts, FieldValue } from './facts.ts';
import type { FieldRegistry } from './fields.ts';
import type { Condition, ConditionLeaf } from './schema.ts';

/**
 * Compiles a condition tree into one JavaScript function, generated once per process: evaluating a
 * customer runs straight-line comparisons, with no walk over the configuration. Every literal
 * reaches the generated source through JSON.stringify or the constants array, never as raw text.
 *
 * The same function serves `explain`: given a trace it reports each evaluated leaf's value and
 * outcome; without one it pays a single null test per leaf.
 */

export interface LeafTrace {
  leaf(id: number, actual: FieldValue | FieldValue[] | undefined, outcome: boolean): void;
}

export type ConditionTest = (facts: CustomerFacts, trace: LeafTrace | null) => boolean;

/** The compiled tree's shape, with the id each leaf reports under. */
export type ConditionShape =
  | { kind: 'all' | 'any'; children: ConditionShape[] }
  | { kind: 'not'; child: ConditionShape }
  | { kind: 'leaf'; id: number; leaf: ConditionLeaf };

export interface CompiledCondition {
  test: ConditionTest;
  shape: ConditionShape;
}

export interface CompileContext {
  registry: FieldRegistry;
  loadDate: string;
  /** Allocates leaf ids, unique across one engine. */
  nextLeafId(): number;
}

const ALWAYS: CompiledCondition = { test: () => true, shape: { kind: 'all', children: [] } };

export function compileCondition(condition: Condition | undefined, context: CompileContext): CompiledCondition {
  if (condition === undefined) return ALWAYS;
  const constants: unknown[] = [];
  const helpers: string[] = [];
  const generate = (node: Condition): { code: string; shape: ConditionShape } => {
    if ('all' in node || 'any' in node) {
      const [kind, children] = 'all' in node ? (['all', node.all] as const) : (['any', node.any] as const);
      const parts = children.map(generate);
      return { code: `(${parts.map((part) => part.code).join(kind === 'all' ? ' && ' : ' || ')})`, shape: { kind, children: parts.map((part) => part.shape) } };
    }
    if ('not' in node) {
      const part = generate(node.not);
      return { code: `!${part.code}`, shape: { kind: 'not', child: part.shape } };
    }
    const id = context.nextLeafId();
    return { code: leafCode(node, id, context, constants, helpers), shape: { kind: 'leaf', id, leaf: node } };
  };
  const { code, shape } = generate(condition);
  const source = `"use strict";\n${helpers.join('\n')}\nreturn function condition(f, t) {\n  let v, r;\n  return ${code};\n};`;
  const test = new Function('k', source)(constants) as ConditionTest;
  return { test, shape };
}

function leafCode(leaf: ConditionLeaf, id: number, context: CompileContext, constants: unknown[], helpers: string[]): string {
  const field = context.registry.lookup(leaf.source, leaf.field);
  if (!field) throw new Error(`unknown field ${leaf.source}.${leaf.field}: validate the configuration before compiling it`);
  const predicate = predicateCode(leaf, context.loadDate, constants);
  const key = JSON.stringify(leaf.field);
  if (leaf.source === 'contact') {
    // Existential: the leaf holds when any of the customer's contacts satisfies it.
    const helper = `anyContact${id}`;
    helpers.push(`function ${helper}(contacts) {\n  for (let i = 0; i < contacts.length; i++) { const v = contacts[i][${key}]; if (${predicate}) return true; }\n  return false;\n}`);
    return `(r = ${helper}(f.contacts), t !== null && t.leaf(${id}, f.contacts.map((c) => c[${key}]), r), r)`;
  }
  const access = leaf.source === 'custom_field' ? `f.custom_fields[${key}]` : `f.${leaf.source}[${key}]`;
  return `(v = ${access}, r = ${predicate}, t !== null && t.leaf(${id}, v === undefined ? null : v, r), r)`;
}

/** The test of `v` against the leaf's operator and value; null and undefined fail every comparison. */
function predicateCode(leaf: ConditionLeaf, loadDate: string, constants: unknown[]): string {
  const constant = (value: unknown): string => `k[${constants.push(value) - 1}]`;
  const literal = (value: unknown): string => JSON.stringify(value);
  const value = leaf.value;
  switch (leaf.operator) {
    case 'is_null':
      return 'v == null';
    case 'is_not_null':
      return 'v != null';
    case '=':
      return `v === ${literal(value)}`;
    case '!=':
      return `(v != null && v !== ${literal(value)})`;
    case '>':
    case '>=':
    case '<':
    case '<=':
      return `(v != null && v ${leaf.operator} ${literal(value)})`;
    case 'in':
      return `${constant(new Set(value as unknown[]))}.has(v)`;
    case 'not_in':
      return `(v != null && !${constant(new Set(value as unknown[]))}.has(v))`;
    case 'between': {
      const [low, high] = value as [unknown, unknown];
      return `(v != null && v >= ${literal(low)} && v <= ${literal(high)})`;
    }
    case 'like':
      return `(v != null && ${constant(likePattern(value as string))}.test(v))`;
    // Dates are ISO strings, so "more than N whole days ago" is a comparison with one precomputed date.
    case 'days_since >':
      return `(v != null && v <= ${literal(addDays(loadDate, -(Math.floor(value as number) + 1)))})`;
    case 'days_since <':
      return `(v != null && v >= ${literal(addDays(loadDate, -(Math.ceil(value as number) - 1)))})`;
  }
}

/** SQL LIKE: `%` any run, `_` one character, everything else literal; anchored, case-sensitive. */
export function likePattern(pattern: string): RegExp {
  const body = [...pattern]
    .map((char) => (char === '%' ? '[\\s\\S]*' : char === '_' ? '[\\s\\S]' : char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'u');
}
