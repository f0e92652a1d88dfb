import type { z } from 'zod';

/**
 * Problems of a campaign configuration, each at its path (`sets[1].lists[0].conditions.all[2].value`),
 * and the translation of zod's issues into such problems: one readable message per issue, union
 * failures resolved to the branch the author meant.
 */

/** Keys and array indexes from the configuration's root to a node. */
export type ConfigPath = readonly (string | number)[];

export interface ConfigProblem {
  /** `sets[1].lists[0].conditions.all[2].value`; empty for the document as a whole (e.g. a syntax error). */
  path: string;
  message: string;
  /** 1-based line in the file, when the problem was found in a file. */
  line?: number;
  /** 1-based column, for syntax errors. */
  column?: number;
}

export interface LocatedProblem {
  path: ConfigPath;
  message: string;
}

export function formatPath(path: ConfigPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** One line: `path: message (line L)`. */
export function formatProblem(problem: ConfigProblem): string {
  const where =
    problem.line === undefined ? '' : problem.column === undefined ? ` (line ${problem.line})` : ` (line ${problem.line}, column ${problem.column})`;
  return `${problem.path === '' ? '' : `${problem.path}: `}${problem.message}${where}`;
}

/** How a value is named in messages: its type, and the value itself when it is short. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length <= 40 ? `string ${JSON.stringify(value)}` : 'a string';
  return `${typeof value} ${String(value)}`;
}

/** `a, b or c`. */
export function alternatives(values: readonly string[]): string {
  return values.length <= 1 ? (values[0] ?? '') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

const quoted = (values: readonly unknown[]) => values.map((value) => JSON.stringify(value)).join(', ');

/**
 * zod's per-parse error map: the message of every issue the schema does not word itself (the
 * schema's own messages, such as "split must be strictly between 0 and 1", take precedence).
 */
export const issueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${issue.expected === 'int' ? 'an integer' : issue.expected}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      if (issue.input === undefined) return `required: one of ${quoted(issue.values)}`;
      return issue.values.length === 1 ? `expected ${JSON.stringify(issue.values[0])}` : `expected one of ${quoted(issue.values)}`;
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const comparison = issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      if (issue.origin === 'array') return `expected ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound} item${bound === 1 ? '' : 's'}`;
      if (issue.origin === 'string') {
        return issue.code === 'too_small' && bound === 1 ? 'must not be empty' : `expected a length ${comparison} ${bound}`;
      }
      return `expected a number ${comparison} ${bound}`;
    }
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue ? `expected text matching ${String(issue.pattern)}` : `expected ${issue.format}`;
    case 'unrecognized_keys': {
      const allowed = allowedKeys(issue.inst);
      return allowed === null ? 'unknown key' : `unknown key; expected one of ${allowed.join(', ')}`;
    }
    default:
      return undefined;
  }
};

function allowedKeys(schema: unknown): string[] | null {
  const shape = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape === undefined ? null : Object.keys(shape);
}

/** zod's issues as problems with paths into `input`, the value that was parsed. */
export function zodProblems(issues: readonly z.core.$ZodIssue[], input: unknown): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const visit = (issue: z.core.$ZodIssue, base: ConfigPath) => {
    const path = [...base, ...(issue.path as (string | number)[])];
    if (issue.code === 'invalid_union') {
      const node = valueAt(input, path);
      const expected = rootTypes(issue);
      if (expected !== null) {
        problems.push({ path, message: `expected ${alternatives([...new Set(expected)])}, got ${describeValue(node)}` });
      } else {
        for (const inner of bestBranch(issue.errors, node)) visit(inner, path);
      }
    } else if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: [...path, key], message: issue.message });
    } else {
      problems.push({ path, message: issue.message });
    }
  };
  for (const issue of issues) visit(issue, []);
  return problems;
}

/** The types a union expected when every branch refused the value's type itself; else null. */
function rootTypes(issue: z.core.$ZodIssueInvalidUnion): string[] | null {
  const expected: string[] = [];
  for (const branch of issue.errors) {
    const types = branchRootTypes(branch);
    if (types === null) return null;
    expected.push(...types);
  }
  return expected;
}

function branchRootTypes(branch: readonly z.core.$ZodIssue[]): string[] | null {
  const root = branch.filter((issue) => issue.path.length === 0);
  if (root.length === 0) return null;
  const types: string[] = [];
  for (const issue of root) {
    if (issue.code === 'invalid_type') types.push(issue.expected);
    else if (issue.code === 'invalid_union') {
      const inner = rootTypes(issue);
      if (inner === null) return null;
      types.push(...inner);
    } else return null;
  }
  return types;
}

/**
 * The union branch the author meant: not one refusing the value's type, then the one that knows the
 * most of the object's keys (a leaf for `{source, field, …}`, the `all` branch for `{all: …}`), then
 * the one missing the fewest required keys, then the one with the fewest issues.
 */
function bestBranch(branches: readonly (readonly z.core.$ZodIssue[])[], node: unknown): readonly z.core.$ZodIssue[] {
  const score = (branch: readonly z.core.$ZodIssue[]): number[] => {
    const typeMismatch = branchRootTypes(branch) !== null ? 1 : 0;
    const unknownKeys = branch.reduce((sum, issue) => sum + (issue.code === 'unrecognized_keys' && issue.path.length === 0 ? issue.keys.length : 0), 0);
    const missingKeys = branch.filter(
      (issue) => issue.code === 'invalid_type' && issue.path.length === 1 && valueAt(node, issue.path as (string | number)[]) === undefined,
    ).length;
    return [typeMismatch, unknownKeys, missingKeys, branch.length];
  };
  let best = branches[0]!;
  let bestScore = score(best);
  for (const branch of branches.slice(1)) {
    const candidate = score(branch);
    const index = candidate.findIndex((value, i) => value !== bestScore[i]);
    if (index >= 0 && candidate[index]! < bestScore[index]!) {
      best = branch;
      bestScore = candidate;
    }
  }
  return best;
}

function valueAt(root: unknown, path: ConfigPath): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[segment];
  }
  return node;
}
