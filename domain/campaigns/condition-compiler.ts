import { addDays } from './dates.ts';
import type { ContactFacts, CustomerFacts, FieldValue } from './facts.ts';
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
  /** The outcome of a whole condition, recorded under the key its compiler was given. */
  rule(key: object, outcome: boolean): void;
}

export type ConditionTest = (facts: CustomerFacts, trace: LeafTrace | null) => boolean;
/** A condition over one contact's fields (a contact rule's `contact_conditions`). */
export type ContactTest = (contact: ContactFacts) => boolean;
/** The position of the first condition that holds, or -1. */
export type FirstMatch = (facts: CustomerFacts, trace: LeafTrace | null) => number;

/** The compiled tree's shape, with the id each leaf reports under. */
export type ConditionShape =
  | { kind: 'all' | 'any'; children: ConditionShape[] }
  | { kind: 'not'; child: ConditionShape }
  /** Reports, under its id, the values of the contacts that met the nested condition. */
  | { kind: 'any_contact'; id: number; condition: Condition }
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

/** An absent condition always holds. */
const ALWAYS_SHAPE: ConditionShape = { kind: 'all', children: [] };

/** One condition → one function; with a trace it records each leaf and, under `key`, the outcome. */
export function compileCondition(condition: Condition | undefined, context: CompileContext, key: object): CompiledCondition {
  const generator = new Generator(context);
  const { code, shape } = generator.expression(condition);
  const test = generator.build<ConditionTest>(`const h = ${code};\n  if (t !== null) t.rule(${generator.constant(key)}, h);\n  return h;`);
  return { test, shape };
}

/**
 * A tree of `contact` leaves → one function of a single contact: each leaf reads that contact's field
 * (not "any contact of the customer"). Not traced: `explain` shows the contacts it kept.
 */
export function compileContactCondition(condition: Condition, context: CompileContext): ContactTest {
  const generator = new Generator(context, true);
  const { code } = generator.expression(condition);
  return generator.build<ContactTest>(`return ${code};`);
}

/**
 * Several conditions tried in order → one function returning the position of the first that holds
 * (a set's lists in priority order): a single call per set, and V8 optimises the whole chain.
 * With a trace, each condition tried is recorded under its key.
 */
export function compileFirstMatch(
  conditions: readonly { condition: Condition | undefined; key: object }[],
  context: CompileContext,
): { test: FirstMatch; shapes: ConditionShape[] } {
  const generator = new Generator(context);
  generator.shareRepeated(conditions.map(({ condition }) => condition));
  const shapes: ConditionShape[] = [];
  const steps = conditions.map(({ condition, key }, position) => {
    const { code, shape } = generator.expression(condition);
    shapes.push(shape);
    return `h = ${code};\n  if (t !== null) t.rule(${generator.constant(key)}, h);\n  if (h) return ${position};`;
  });
  // Untraced, a customer who fails what every list requires leaves at once (most customers, on most sets).
  const shared = sharedConjuncts(conditions.map(({ condition }) => condition));
  const gate = shared.length === 0 ? [] : [`if (t === null && !${generator.expression({ all: shared }).code}) return -1;`];
  const test = generator.build<FirstMatch>(`let h;\n  ${[...gate, ...steps, 'return -1;'].join('\n  ')}`);
  return { test, shapes };
}

/** The leading conjuncts that every one of several `all` conditions starts with (none unless there are two or more). */
function sharedConjuncts(conditions: readonly (Condition | undefined)[]): Condition[] {
  if (conditions.length < 2) return [];
  const groups = conditions.map((condition) => (condition !== undefined && 'all' in condition ? condition.all : null));
  if (groups.some((group) => group === null)) return [];
  const [first, ...rest] = groups as Condition[][];
  const shared: Condition[] = [];
  for (const [index, conjunct] of first!.entries()) {
    const key = JSON.stringify(conjunct);
    if (!rest.every((group) => group.length > index && JSON.stringify(group[index]) === key)) break;
    shared.push(conjunct);
  }
  return shared;
}

/** A `character` leaf's read: the 1-based character of a string, lower-cased; null past its end or for a non-string. */
const CHAR_AT = `function charAt(value, n) { return typeof value === 'string' && value.length >= n ? value.charAt(n - 1).toLowerCase() : null; }`;

/** Accumulates the generated source of one function: its expressions, helper functions and constants. */
class Generator {
  private readonly constants: unknown[] = [];
  private readonly helpers: string[] = [];
  /** Sub-conditions written more than once (a program's shared readings), by their text; each gets a slot. */
  private repeated = new Set<string>();
  private readonly slots = new Map<string, string>();

  constructor(
    private readonly context: CompileContext,
    private readonly oneContact = false,
  ) {}

  /**
   * Sub-conditions that occur more than once among `conditions` are computed once per call and reused (lists of
   * one set sharing "delinquent, internal half"); with a trace every occurrence is evaluated, so each reports.
   */
  shareRepeated(conditions: readonly (Condition | undefined)[]): void {
    const seen = new Map<string, number>();
    const visit = (condition: Condition): void => {
      const key = JSON.stringify(condition);
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if ('all' in condition) condition.all.forEach(visit);
      else if ('any' in condition) condition.any.forEach(visit);
      else if ('not' in condition) visit(condition.not);
    };
    for (const condition of conditions) if (condition !== undefined) visit(condition);
    this.repeated = new Set([...seen].filter(([, count]) => count > 1).map(([key]) => key));
  }

  constant(value: unknown): string {
    return `k[${this.constants.push(value) - 1}]`;
  }

  expression(condition: Condition | undefined): { code: string; shape: ConditionShape } {
    if (condition === undefined) return { code: 'true', shape: ALWAYS_SHAPE };
    const key = this.repeated.size === 0 ? null : JSON.stringify(condition);
    if (key === null || !this.repeated.has(key)) return this.uncached(condition);
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = `s${this.slots.size}`;
      this.slots.set(key, slot);
    }
    const { code, shape } = this.uncached(condition);
    return { code: `(t === null && ${slot} !== undefined ? ${slot} : (${slot} = ${code}))`, shape };
  }

  private uncached(condition: Condition): { code: string; shape: ConditionShape } {
    if ('all' in condition || 'any' in condition) {
      const [kind, children] = 'all' in condition ? (['all', condition.all] as const) : (['any', condition.any] as const);
      const parts = children.map((child) => this.expression(child));
      return { code: `(${parts.map((part) => part.code).join(kind === 'all' ? ' && ' : ' || ')})`, shape: { kind, children: parts.map((part) => part.shape) } };
    }
    if ('not' in condition) {
      const part = this.expression(condition.not);
      return { code: `!${part.code}`, shape: { kind: 'not', child: part.shape } };
    }
    if ('any_contact' in condition) {
      const id = this.context.nextLeafId();
      if (this.oneContact) return { code: this.contactExpression(condition.any_contact), shape: { kind: 'any_contact', id, condition: condition.any_contact } };
      const helper = `anyContact${id}`;
      this.helpers.push(
        `function ${helper}(contacts, t) {\n  let v, met = null;\n  for (let i = 0; i < contacts.length; i++) {\n    const f = contacts[i];\n` +
          `    if (${this.contactExpression(condition.any_contact)}) { if (t === null) return true; (met ??= []).push(f.contact_value); }\n  }\n` +
          `  if (t !== null) t.leaf(${id}, met ?? [], met !== null);\n  return met !== null;\n}`,
      );
      return { code: `${helper}(f.contacts, t)`, shape: { kind: 'any_contact', id, condition: condition.any_contact } };
    }
    const id = this.context.nextLeafId();
    const code = this.oneContact
      ? contactLeafCode(condition, this.context, this.constants)
      : leafCode(condition, id, this.context, this.constants, this.helpers);
    return { code, shape: { kind: 'leaf', id, leaf: condition } };
  }

  /** A condition over one contact `f` (inside `any_contact`, or a contact rule's `contact_conditions`). */
  private contactExpression(condition: Condition): string {
    if ('all' in condition) return `(${condition.all.map((child) => this.contactExpression(child)).join(' && ')})`;
    if ('any' in condition) return `(${condition.any.map((child) => this.contactExpression(child)).join(' || ')})`;
    if ('not' in condition) return `!${this.contactExpression(condition.not)}`;
    if ('any_contact' in condition) return this.contactExpression(condition.any_contact);
    return contactLeafCode(condition, this.context, this.constants);
  }

  build<T>(body: string): T {
    const source = `"use strict";\n${CHAR_AT}\n${this.helpers.join('\n')}\nreturn function condition(f, t) {\n  let v, r${[...this.slots.values()].map((slot) => `, ${slot}`).join('')};\n  ${body}\n};`;
    return new Function('k', source)(this.constants) as T;
  }
}

function leafCode(leaf: ConditionLeaf, id: number, context: CompileContext, constants: unknown[], helpers: string[]): string {
  const field = context.registry.lookup(leaf.source, leaf.field);
  if (!field) throw new Error(`unknown field ${leaf.source}.${leaf.field}: validate the configuration before compiling it`);
  const predicate = predicateCode(leaf, context.loadDate, constants);
  const key = JSON.stringify(leaf.field);
  if (leaf.source === 'contact') {
    // Existential: the leaf holds when any of the customer's contacts satisfies it.
    const helper = `anyContact${id}`;
    const read = characterCode(`contacts[i][${key}]`, leaf.character);
    helpers.push(
      `function ${helper}(contacts) {\n  for (let i = 0; i < contacts.length; i++) { const v = ${read}; if (${predicate}) return true; }\n  return false;\n}`,
    );
    return `(r = ${helper}(f.contacts), t !== null && t.leaf(${id}, f.contacts.map((c) => ${characterCode(`c[${key}]`, leaf.character)}), r), r)`;
  }
  if (leaf.source === 'list_history') {
    // A declared fact the customer-facts record lacks is a broken run, never a null that lets the customer through.
    const missing = JSON.stringify(`customer facts carry no list_history.${leaf.field}: the facts step did not compute the configuration's list history`);
    helpers.push(
      `function history${id}(f) {\n  const v = f.list_history === undefined ? undefined : f.list_history[${key}];\n  if (v === undefined) throw new Error(${missing});\n  return v;\n}`,
    );
  }
  const access =
    leaf.source === 'list_history'
      ? `history${id}(f)`
      : field.record === 'top'
        ? `f[${key}]`
        : leaf.source === 'custom_field'
          ? `f.custom_fields[${key}]`
          : `f.${leaf.source}[${key}]`;
  return `(v = ${characterCode(access, leaf.character)}, r = ${predicate}, t !== null && t.leaf(${id}, v === undefined ? null : v, r), r)`;
}

/** The read of a field, or of its `character`-th character lower-cased (null when the value is shorter). */
function characterCode(access: string, character: number | undefined): string {
  return character === undefined ? access : `charAt(${access}, ${character})`;
}

/** A leaf of a one-contact condition: `f` is the contact itself. */
function contactLeafCode(leaf: ConditionLeaf, context: CompileContext, constants: unknown[]): string {
  if (leaf.source !== 'contact' || !context.registry.lookup('contact', leaf.field)) {
    throw new Error(`contact_conditions: ${leaf.source}.${leaf.field} is not a contact field: validate the configuration before compiling it`);
  }
  return `(v = ${characterCode(`f[${JSON.stringify(leaf.field)}]`, leaf.character)}, ${predicateCode(leaf, context.loadDate, constants)})`;
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
  const body = [...pattern].map((char) => (char === '%' ? '[\\s\\S]*' : char === '_' ? '[\\s\\S]' : char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'u');
}
